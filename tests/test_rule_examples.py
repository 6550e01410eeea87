"""Every example of every rule is its own test, named '<rule id>::<kind>[i]'.

The rule runs alone, so an example proves what that rule does, not what the rule set
does together. ``todo_*`` examples are known gaps: strict xfail, so fixing one shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.rulebook import RuleBook, bundled_rules_dir
from cleaner.ruletest import (
    ExampleCase,
    HtmlExampleCase,
    check_example,
    check_html_example,
    example_cases,
    html_example_cases,
)

BOOK = RuleBook.load([bundled_rules_dir()])
CASES = list(example_cases(BOOK))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_example(case: ExampleCase) -> None:
    problem = check_example(BOOK, case)
    if case.kind.startswith("todo_"):
        if problem is None:
            pytest.fail("todo example passes now: move it to its real list")
        pytest.xfail(problem)
    assert problem is None, problem


def test_every_rule_has_examples_of_both_kinds() -> None:
    for cr in BOOK.rules:
        assert cr.rule.examples.remove and cr.rule.examples.keep, cr.id


# The bundled generic HTML rules and the demo site file's (which keeps site HTML rules tested).
DEMO_HTML = RuleBook.load([Path(__file__).parent / "data" / "html_rules"])
HTML_CASES = list(html_example_cases(BOOK)) + list(html_example_cases(DEMO_HTML))


@pytest.mark.parametrize("case", HTML_CASES, ids=[c.name for c in HTML_CASES])
def test_html_rule_example(case: HtmlExampleCase) -> None:
    problem = check_html_example(case)
    assert problem is None, problem
