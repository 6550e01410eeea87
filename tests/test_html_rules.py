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
