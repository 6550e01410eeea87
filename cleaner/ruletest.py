"""Run a rule's own examples, alone, and report what fails.

Used by the test suite (one test per example) and by ``boilerstrip rules test`` so
authors of a new site file can check it before sending it in (sqlfluff ships the
same thing for its rules).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from cleaner.engine import run_rules
from cleaner.result import TIMEOUT_MARK, apply_removals, tidy
from cleaner.rulebook import RuleBook
from cleaner.rulespec import Example, RuleFileError


@dataclass(frozen=True, slots=True)
class ExampleCase:
    """One example of one rule: ``kind`` is remove, keep, todo_remove or todo_keep."""

    rule_id: str
    kind: str
    index: int
    example: Example

    @property
    def name(self) -> str:
        return f"{self.rule_id}::{self.kind}[{self.index}]"


def example_cases(book: RuleBook) -> Iterator[ExampleCase]:
    for cr in book.rules:
        ex = cr.rule.examples
        for kind in ("remove", "keep", "todo_remove", "todo_keep"):
            for i, example in enumerate(getattr(ex, kind)):
                yield ExampleCase(cr.id, kind, i, example)


def check_example(book: RuleBook, case: ExampleCase, *, timeout: float = 1.0) -> str | None:
    """None when the rule, run alone, does what the example says; else what went wrong."""
    idx = book.by_id[case.rule_id]
    text = case.example.text
    run = run_rules(book, text, {idx}, timeout=timeout)
    got = tidy(apply_removals(text, run.removals))
    runaway = [w for w in run.warnings if TIMEOUT_MARK in w]
    if runaway:
        return f"pattern timed out: {runaway}"
    if case.kind.endswith("keep"):
        if run.removals:
            return f"must keep, but removed {[r.text for r in run.removals]}"
        return None
    want = tidy(case.example.out) if case.example.out is not None else ""
    if got != want:
        return f"expected {want!r}, got {got!r}"
    for key, value in (case.example.metadata or {}).items():
        if str(run.metadata.get(key)) != str(value):
            return f"metadata {key!r}: expected {value!r}, got {run.metadata.get(key)!r}"
    return None


def runaway_patterns(book: RuleBook, rule_ids: Collection[str], *, timeout: float) -> Iterator[RuleFileError]:
    """One error for each rule of ``rule_ids`` whose pattern runs longer than ``timeout`` on one of its own examples.

    Such a pattern would be stopped on every document like that example, each one flagged
    ``regex_timeout``; ``boilerstrip clean`` refuses the rule file before the run instead.
    """
    seen: set[str] = set()
    for case in example_cases(book):
        if case.rule_id not in rule_ids or case.rule_id in seen:
            continue
        run = run_rules(book, case.example.text, {book.by_id[case.rule_id]}, timeout=timeout)
        if any(TIMEOUT_MARK in w for w in run.warnings):
            seen.add(case.rule_id)
            rule = book.rules[book.by_id[case.rule_id]].rule
            yield RuleFileError(rule.source, f"pattern runs away on its own {case.kind} example (stopped after "
                                f"{timeout}s); rewrite it without nested repetition such as (a+)+",
                                rule_id=rule.id, line=rule.line)


def failures(book: RuleBook) -> list[tuple[ExampleCase | HtmlExampleCase, str]]:
    """Every example that does not behave as written, todo ones excluded while they still fail."""
    out: list[tuple[ExampleCase | HtmlExampleCase, str]] = []
    for html_case in html_example_cases(book):
        if (problem := check_html_example(html_case)) is not None:
            out.append((html_case, problem))
    for case in example_cases(book):
        problem = check_example(book, case)
        if case.kind.startswith("todo_"):
            if problem is None:
                out.append((case, "todo example now passes: move it to its list"))
        elif problem is not None:
            out.append((case, problem))
    return out


@dataclass(frozen=True, slots=True)
class HtmlExampleCase:
    """One example of one HTML rule: an HTML snippet the XPath must (remove) or must not (keep) match."""

    rule_id: str
    xpath: str
    kind: str
    index: int
    snippet: str
    classes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.rule_id}::{self.kind}[{self.index}]"


def html_example_cases(book: RuleBook) -> Iterator[HtmlExampleCase]:
    for rs in book.rulesets:
        for rule in rs.html_rules:
            for kind in ("remove", "keep"):
                for i, example in enumerate(getattr(rule.examples, kind)):
                    yield HtmlExampleCase(rule.id, rule.xpath, kind, i, example.text, rule.classes)


def check_html_example(case: HtmlExampleCase) -> str | None:
    """None when the XPath matches a remove snippet and matches nothing in a keep snippet.

    A rule that declares ``classes`` must select, in its remove snippets, only elements carrying
    one of them: on a page without them it does not run at all.
    """
    from cleaner.html_rules import check_html_rule_example

    matched = check_html_rule_example(case.xpath, case.snippet)
    if case.kind == "remove" and not matched:
        return f"xpath {case.xpath!r} selects nothing in the snippet"
    if case.kind == "keep" and matched:
        return f"xpath {case.xpath!r} selects an element of a snippet it must keep"
    if case.kind == "remove" and case.classes:
        from lxml import etree, html

        tree = html.document_fromstring(f"<html><body>{case.snippet}</body></html>")
        for element in etree.XPath(f"({case.xpath})[self::*]")(tree):
            if set((element.get("class") or "").split()).isdisjoint(case.classes):
                return f"xpath {case.xpath!r} selects a <{element.tag}> with none of the rule's classes {case.classes}"
    return None
