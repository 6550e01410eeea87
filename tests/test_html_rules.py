"""HTML rules in rule files: validated, example-tested, and applied before extraction for their site."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import CleanConfig, Cleaner, RuleFileError

DEMO_RULES = Path(__file__).parent / "data" / "html_rules"
SITE = (DEMO_RULES / "sites" / "demo.yaml").read_text(encoding="utf-8")

PAGE = """<html><head><title>Budget approved</title></head><body><article>
<h1>Budget approved</h1>
<p>The city council voted on Monday to approve a new budget for road repairs, after months of debate.</p>
<div class="demo-related"><p>Bus fares to rise in the spring, the transport authority warns riders.</p></div>
<p>Officials said the first contracts would be signed in April, and crews would start by summer.</p>
</article></body></html>"""


@pytest.fixture
def cleaner() -> Cleaner:
    return Cleaner(CleanConfig(rules_dirs=(DEMO_RULES,)))


def test_site_html_rule_drops_its_element_before_extraction(cleaner: Cleaner) -> None:
    generic = cleaner.html_xpaths("https://other.example/a")
    assert cleaner.html_xpaths("https://www.demo.example/a") == (*generic, '//div[@class="demo-related"]')
    with_rule = cleaner.clean_html(PAGE, url="https://www.demo.example/a")
    without = cleaner.clean_html(PAGE, url="https://other.example/a")
    assert "Bus fares" not in with_rule.text and "Bus fares" in without.text
    for text in (with_rule.text, without.text):
        assert "voted on Monday" in text and "signed in April" in text


def test_html_rule_with_a_bad_xpath_names_file_and_rule(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(SITE.replace("//div[@class=", "//div[[@class="), encoding="utf-8")
    cleaner = Cleaner(CleanConfig(rules_dirs=(tmp_path,)))  # checked in HTML mode: text mode never loads lxml
    with pytest.raises(RuleFileError, match=r"demo\.yaml.*demo\.related-module"):
        cleaner.clean_html(PAGE, url="https://www.demo.example/a")


def test_cli_html_run_refuses_a_bad_xpath_before_reading_input(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.cli import main

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.yaml").write_text(SITE.replace("//div[@class=", "//div[[@class="), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["clean", str(page), "--html", "--rules", str(rules), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "invalid rule file" in err and "demo.related-module" in err
    text = tmp_path / "a.txt"
    text.write_text("The council met on Monday.", encoding="utf-8")
    assert main(["clean", str(text), "--rules", str(rules), "--quiet", "--no-detect"]) == 0  # text mode: no XPath


MODAL_PAGE = """<html><head><title>Tutoring works</title></head><body><article>
<h1>Tutoring works</h1>
<p>Students who were tutored three times a week gained several months of learning, the study found.</p>
<div role="dialog"><p>Republish this article under a Creative Commons licence, with the byline.</p></div>
<p>The researchers said the effect was largest for students who started the year furthest behind.</p>
</article></body></html>"""


def test_generic_html_rule_drops_a_modal_dialog_on_any_site() -> None:
    kept = Cleaner(CleanConfig()).clean_html(MODAL_PAGE, url="https://news.example/a").text
    unruled = Cleaner(CleanConfig(disabled=frozenset({"widgets.modal-dialog"}))).clean_html(MODAL_PAGE).text
    assert "Republish this article" in unruled and "Republish this article" not in kept
    assert "three times a week" in kept and "furthest behind" in kept


GATED_SITE = """set: demo
kind: site
site: {hosts: [demo.example]}
rules: []
html_rules:
  - id: demo.promo-box
    description: The promo box of the demo site's template.
    classes: [demo-promo]
    xpath: "//div[contains(concat(' ', normalize-space(@class), ' '), ' demo-promo ')]"
    examples:
      remove: ['<div class="box demo-promo"><a href="/x">Buy now</a></div>']
      keep: ['<p>Story text.</p>']
"""

PROMO_PAGE = PAGE.replace('class="demo-related"', 'class="box demo-promo"')


def test_a_rule_with_classes_runs_only_on_pages_that_use_one(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(GATED_SITE, encoding="utf-8")
    cleaner = Cleaner(CleanConfig(rules_dirs=(tmp_path,)))
    url = "https://www.demo.example/a"
    rule = cleaner.html_xpaths(url)[-1]
    assert rule in cleaner.html_xpaths(url, PROMO_PAGE) and rule in cleaner.html_xpaths(url, PROMO_PAGE.encode())
    assert rule not in cleaner.html_xpaths(url, PAGE)  # no element with that class: the XPath is not run
    assert rule in cleaner.html_xpaths(url, "<p>A page without any class attribute</p>")  # unknown: it runs
    text = cleaner.clean_html(PROMO_PAGE, url=url).text
    assert "Bus fares" not in text and "voted on Monday" in text and "signed in April" in text


def test_classes_must_be_single_tokens(tmp_path: Path) -> None:
    from cleaner.rulespec import parse_ruleset

    with pytest.raises(RuleFileError, match=r"demo\.promo-box.*one class token"):
        parse_ruleset(GATED_SITE.replace("classes: [demo-promo]", "classes: ['demo promo']"), "demo.yaml")


def test_remove_examples_must_select_elements_carrying_the_classes() -> None:
    from cleaner.rulespec import parse_ruleset
    from cleaner.ruletest import HtmlExampleCase, check_html_example

    rule = parse_ruleset(GATED_SITE, "demo.yaml").html_rules[0]
    case = HtmlExampleCase(rule.id, "//div", "remove", 0, '<div class="box demo-promo">Buy now</div><div>x</div>',
                           rule.classes)
    assert "none of the rule's classes" in (check_html_example(case) or "")
    assert check_html_example(HtmlExampleCase(rule.id, rule.xpath, "remove", 0, case.snippet, rule.classes)) is None
