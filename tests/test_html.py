"""HTML mode: decoding of badly declared bytes, extraction, HTML rules, time budget, garbage input.

Pages here are written for the tests (no dev-set data): the behaviour under test is ours, not
trafilatura's heuristics, so each page is an unambiguous article.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from cleaner import CleanConfig, Cleaner, apply_removals, tidy
from cleaner.html import (
    HtmlError,
    HtmlExtraction,
    HtmlOptions,
    HtmlRuleError,
    HtmlTimeoutError,
    extract_html,
    extract_text_only,
)
from cleaner.html_decode import decode_html
from cleaner.html_rules import check_html_rule_example, validate_html_rule
from cleaner.html_worker import _widen_pipe as widen_pipe

FRENCH = (
    "Le conseil municipal a voté mardi un budget qui prévoit davantage de dépenses pour les écoles. "
    "« C\u2019est une étape décisive », a déclaré la maire, très émue, devant une salle comble à Montréal."
)
JAPANESE = (
    "東京都議会は火曜日、学校と道路への支出を増やす新しい予算案を可決した。"
    "知事は記者会見で歓迎の意を表明した。"
)

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a budget that raises spending on schools and roads.",
    "Council members debated the plan for four hours before the final vote was taken late at night.",
    "The mayor said the new budget would allow the city to hire forty teachers and repair two bridges.",
    "Opponents argued that the increase would force a rise in property taxes within the next two years.",
    "The budget takes effect in July, after a review by the state finance office, officials said.",
]
RELATED = "Sign up now for our free morning briefing, delivered to your inbox before breakfast every day."


def article_page(extra_in_body: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Council approves budget | Example Times</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="og:site_name" content="Example Times">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<meta name="description" content="The council approved the budget.">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Council approves budget</h1>{body}{extra_in_body}</article>"
        "<footer>© 2024 Example Times. All rights reserved.</footer></body></html>"
    )


def page_bytes(text: str, encoding: str, meta: str | None) -> bytes:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>".encode(encoding)


# --------------------------------------------------------------------------- decode_html

def test_decode_cp1252_bytes_declared_utf8() -> None:
    assert FRENCH in decode_html(page_bytes(FRENCH, "cp1252", "utf-8"), declared="utf-8")


def test_decode_utf8_bytes_without_declaration() -> None:
    assert FRENCH in decode_html(page_bytes(FRENCH, "utf-8", None))


def test_decode_utf8_bytes_declared_latin1() -> None:
    assert FRENCH in decode_html(page_bytes(FRENCH, "utf-8", "iso-8859-1"), declared="iso-8859-1")


def test_decode_shift_jis_declared_and_undeclared() -> None:
    assert JAPANESE in decode_html(page_bytes(JAPANESE, "shift_jis", "shift_jis"))
    assert JAPANESE in decode_html(page_bytes(JAPANESE * 3, "shift_jis", None))


def test_decode_latin1_label_means_cp1252() -> None:
    data = page_bytes("“Quoted” — dash", "cp1252", "iso-8859-1")
    assert "“Quoted” — dash" in decode_html(data)


def test_decode_utf8_with_one_stray_cp1252_byte() -> None:
    data = page_bytes(FRENCH, "utf-8", "utf-8").replace(b"</p>", b" caf\xe9</p>")
    decoded = decode_html(data)
    assert FRENCH in decoded
    assert "café" in decoded


def test_decode_bom_wins() -> None:
    assert FRENCH in decode_html(page_bytes(FRENCH, "utf-16", None))


def test_decode_never_raises_on_garbage() -> None:
    assert decode_html(b"") == ""
    assert isinstance(decode_html(bytes(range(256)) * 50), str)
    assert isinstance(decode_html(b"\xff\xfe\xfd" * 1000, declared="no-such-charset"), str)


# --------------------------------------------------------------------------- extraction

def test_extract_article_text_and_metadata() -> None:
    result = extract_html(article_page(), url="https://example.com/news/budget")
    assert isinstance(result, HtmlExtraction)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert "All rights reserved" not in result.text
    assert "World" not in result.text
    meta = result.metadata
    assert meta["title"] == "Council approves budget"
    assert meta["author"] == "Jane Doe"
    assert meta["date"] == "2024-03-05"
    assert meta["sitename"] == "Example Times"
    assert meta["description"] == "The council approved the budget."
    assert meta["language"] == "en-GB"
    assert meta["url"] == "https://example.com/news/budget"
    assert result.warnings == ()


def test_extract_bytes_with_wrong_declaration() -> None:
    page = article_page(f"<p>{FRENCH}</p>").replace('charset="utf-8"', 'charset="windows-1252"')
    result = extract_html(page.encode("utf-8"))
    assert FRENCH in result.text
    assert result.encoding == "utf_8"


@pytest.mark.parametrize(("url", "sitename"), [
    ("https://www.example.com:8080/a", "example.com"),
    ("https://example.com?id=1", "example.com"),
    ("https://example.com#top", "example.com"),
    ("https://user:secret@www.example.com/a", "example.com"),
    ("http://[::1", None),
    ("http://[::1]/a", None),
    ("not a url", None),
])
def test_sitename_from_the_url_is_its_host_or_nothing(url: str, sitename: str | None) -> None:
    page = "<html><head><title>t</title></head><body><article><p>" + PARAGRAPHS[0] + "</p></article></body></html>"
    assert extract_html(page, url=url).metadata.get("sitename") == sitename


def test_inline_mode_gives_same_result() -> None:
    subprocess_result = extract_html(article_page(), url="https://example.com/a")
    inline = HtmlOptions(time_budget_s=None)
    inline_result = extract_html(article_page(), url="https://example.com/a", options=inline)
    assert inline_result == subprocess_result


def test_text_only_shim() -> None:
    assert PARAGRAPHS[0] in extract_text_only(article_page(), url="https://example.com/a")


# --------------------------------------------------------------------------- HTML rules

MODULE_XPATH = '//*[contains(concat(" ", normalize-space(@class), " "), " sx-module ")]'
TAIL = "The parks plan covers ten sites across the city."


def test_drop_xpaths_removes_module_and_keeps_tail_text() -> None:
    extra = (
        f'<div class="sx-module"><p>{RELATED}</p></div>'
        f'<p>The budget also funds parks.<span class="sx-module"> Promo: {RELATED}</span> {TAIL}</p>'
    )
    kept = extract_html(article_page(extra))
    assert RELATED in kept.text, "the test page must carry a module trafilatura keeps on its own"
    dropped = extract_html(article_page(extra), drop_xpaths=[MODULE_XPATH])
    assert RELATED not in dropped.text
    assert "Promo" not in dropped.text
    assert TAIL in dropped.text
    for paragraph in PARAGRAPHS:
        assert paragraph in dropped.text


def test_drop_xpaths_ignores_non_element_results() -> None:
    result = extract_html(article_page(), drop_xpaths=["//p/text()", "//article/@class"])
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text


def test_check_html_rule_example() -> None:
    xpath = '//div[contains(@class,"related")]'
    assert check_html_rule_example(xpath, '<div class="related"><a>Other story</a></div>')
    assert not check_html_rule_example(xpath, "<p>Article text.</p>")
    assert not check_html_rule_example("//p/@class", '<p class="x">Article text.</p>')


@pytest.mark.parametrize("xpath", ["//div[", "count(//div)", "", "//*[unknown-function()]"])
def test_invalid_rule_is_a_clear_error(xpath: str) -> None:
    with pytest.raises(HtmlRuleError):
        validate_html_rule(xpath)
    with pytest.raises(HtmlRuleError):
        extract_html(article_page(), drop_xpaths=[xpath])


# --------------------------------------------------------------------------- time budget

def slow_page(paragraphs: int = 60_000) -> str:
    """A real page trafilatura needs seconds for: tens of thousands of nested, linked paragraphs."""
    block = "<div class='c'><p>Paragraph {i} with <a href='/l{i}'>a link</a> and <b>some</b> words.</p></div>"
    body = "".join(block.format(i=i) for i in range(paragraphs))
    return f"<html><head><title>slow</title></head><body><main>{body}</main></body></html>"


def test_time_budget_stops_a_slow_page_and_recovers() -> None:
    extract_html(article_page())  # start the worker outside the measured window
    start = time.monotonic()
    with pytest.raises(HtmlTimeoutError, match=r"0\.5 s"):
        extract_html(slow_page(), options=HtmlOptions(time_budget_s=0.5))
    assert time.monotonic() - start < 3.0
    assert PARAGRAPHS[0] in extract_html(article_page()).text


def test_page_larger_than_the_request_pipe_goes_through_the_worker() -> None:
    filler = "<!-- " + "padding of a template comment " * 40_000 + "-->"
    page = article_page(filler)
    assert len(page) > 1 << 20
    assert PARAGRAPHS[0] in extract_html(page).text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are a Linux feature")
def test_request_pipe_is_widened_to_hold_a_page() -> None:
    import fcntl

    cap = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "wb") as stream:
        widen_pipe(stream)
        assert fcntl.fcntl(stream.fileno(), fcntl.F_GETPIPE_SZ) >= min(1 << 20, cap)


def test_timeout_is_a_value_error() -> None:
    assert issubclass(HtmlTimeoutError, HtmlError)
    assert issubclass(HtmlTimeoutError, ValueError)


def test_invalid_budget() -> None:
    with pytest.raises(ValueError, match="time_budget_s"):
        extract_html(article_page(), options=HtmlOptions(time_budget_s=0))


# --------------------------------------------------------------------------- garbage input

@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "html:empty-input"),
        ("   \n ", "html:empty-input"),
        (bytes(range(256)) * 40, "html:binary-input"),
        ("<html><head><title>x</title></head><body><div></div></body></html>", "html:no-content"),
    ],
)
def test_garbage_gives_empty_text_with_warning(data: str | bytes, code: str) -> None:
    result = extract_html(data)
    assert result.text == ""
    assert any(w.startswith(code) for w in result.warnings), result.warnings


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        extract_html(None)  # type: ignore[arg-type]


def test_a_lone_surrogate_does_not_cut_the_page_short() -> None:
    """lxml stops reading a string at a lone surrogate: everything after it would be lost."""
    page = article_page().replace(PARAGRAPHS[0], "Broken \ud800 character. " + PARAGRAPHS[0])
    result = extract_html(page)
    assert "Broken \ufffd character." in result.text
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text


@pytest.mark.parametrize("reference", ["&#1;", "&#x1B;", "&#65535;", "&#xfffe", "&#0;", "&#xD800;", "&#99999999;"])
def test_a_character_reference_xml_cannot_hold_does_not_lose_the_article(reference: str) -> None:
    """trafilatura found no content at all on a page with ``&#1;`` (its tree goes through XML)."""
    page = article_page(f"<p>Odd {reference} character in the closing sentence of this article.</p>")
    result = extract_html(page, options=HtmlOptions(fragment_rescue=False))
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert "character in the closing sentence" in result.text


@pytest.mark.parametrize("shape", ["deep", "big-script"])
def test_a_page_past_libxml2_limits_keeps_its_article(shape: str) -> None:
    """libxml2 stops parsing at 256 nested elements or a 10 MB text node, losing the rest of the page."""
    page = article_page()
    if shape == "deep":  # a template that never closes its <div>s, before the article
        page = page.replace("<article>", "<div>" * 300 + "<article>")
    else:  # a page's state embedded as one huge inline script
        page = page.replace("</head>", "<script>var state = '" + "x" * 11_000_000 + "';</script></head>")
    result = extract_html(page, options=HtmlOptions(fragment_rescue=False))
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert result.metadata["title"] == "Council approves budget"


def test_a_page_nested_past_any_parser_limit_is_marked_truncated() -> None:
    """Past 2,048 levels libxml2 stops even without its safety limits: what follows is lost, so say so."""
    page = article_page().replace("<footer>", "<div>" * 3000 + "<p>Lost after the nest.</p><footer>")
    result = extract_html(page)
    assert PARAGRAPHS[0] in result.text
    assert any(w.startswith("html:truncated:") for w in result.warnings), result.warnings
    assert not any(w.startswith("html:truncated:") for w in extract_html(article_page()).warnings)


def test_page_with_its_article_twice_gives_it_once() -> None:
    more = "Schools will receive the first payments in September, the finance office said in a statement."
    body = "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS, more])
    result = extract_html(article_page(f"<p>{more}</p><div class='print-copy'>{body}</div>"))
    assert result.text.count(PARAGRAPHS[0]) == 2, "the extraction keeps both copies; the second is cut"
    assert [cut.rule_id for cut in result.cuts] == ["html:repeated-text"]
    assert result.kept_text.count(PARAGRAPHS[0]) == 1
    assert result.kept_text.count(more) == 1
    assert result.kept_text.index(PARAGRAPHS[-1]) < result.kept_text.index(more)
    assert any(w.startswith("html:repeated-text") for w in result.warnings)


def test_section_after_the_article_element_goes_with_a_warning() -> None:
    question = "Frequently asked questions about the budget plan of the city council answered here"
    answer = "The answer to every question about the plan is in the council minutes published online."
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    page = (
        "<html><head><title>t</title></head><body><main>"
        f"<div class='body'>{body}</div><section><h2>{question}</h2><p>{answer}</p></section>"
        "</main></body></html>"
    )
    result = extract_html(page)
    assert answer in result.text and answer not in result.kept_text
    assert result.kept_text.endswith(PARAGRAPHS[-1])
    assert [cut.rule_id for cut in result.cuts] == ["html:outside-tail"]
    assert any(w.startswith("html:outside-tail") for w in result.warnings)
    kept = extract_html(page, options=HtmlOptions(drop_outside_tail=False))
    assert answer in kept.kept_text and not kept.cuts
    assert not any(w.startswith("html:outside-tail") for w in kept.warnings)
    cleaned = Cleaner(CleanConfig(detect=False)).clean_html(page)
    assert answer not in cleaned.text
    cut = next(r for r in cleaned.removals if r.rule_id == "html:outside-tail")
    assert answer in cut.text and cut.evidence, "the cut is explained like any other removal"
    assert tidy(apply_removals(cleaned.source, cleaned.removals)) == cleaned.text


def test_page_read_as_latin1_is_repaired_before_extraction() -> None:
    """trafilatura deletes the C1 controls of Latin-1 mojibake, after which it cannot be repaired."""
    dashed = [p.replace(" on ", " \u2014 on ", 1) for p in PARAGRAPHS]
    page = article_page().replace(PARAGRAPHS[0], dashed[0]).encode("utf-8").decode("latin-1")
    result = extract_html(page)
    assert dashed[0] in result.text and "\u00e2" not in result.text
    assert any(w.startswith("html:mojibake:") for w in result.warnings)
    french = article_page().replace(PARAGRAPHS[1], "Le ch\u00e2teau a \u00e9t\u00e9 r\u00e9nov\u00e9 cette ann\u00e9e.")
    assert not any(w.startswith("html:mojibake:") for w in extract_html(french).warnings)
