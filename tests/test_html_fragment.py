"""HTML mode's fragment rescue: when trafilatura keeps a fragment, the whole page is cleaned in text mode.

The decision is ours, so it is tested with extractions built by hand (``extract_html`` replaced);
the extraction side is tested on real pages: a page with far more prose than trafilatura keeps is
rendered whole, an ordinary article is not.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

import cleaner.html
import cleaner.html_fragment
from cleaner import CleanConfig, Cleaner, apply_removals
from cleaner.html import HtmlExtraction, HtmlOptions, extract_html
from cleaner.html_fragment import is_candidate, is_fragment, page_text, prose_chars
from cleaner.stats import Stats
from tests.test_html import PARAGRAPHS, article_page

NAV = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Travel", "Video", "Newsletters"])
ARTICLE = "\n".join(
    [
        *PARAGRAPHS,
        "The finance office has ninety days to review the plan and may ask the council for changes.",
        "Teachers' unions welcomed the vote and said new hires could start as early as September.",
        "Road repairs will begin with the two bridges, which engineers rated unsafe last winter.",
    ]
)
WHOLE_PAGE = f"{NAV}\nCouncil approves budget\n{ARTICLE}\n© 2024 Example Times. All rights reserved."


def _cleaner_with(monkeypatch: pytest.MonkeyPatch, extraction: HtmlExtraction) -> Cleaner:
    monkeypatch.setattr(cleaner.html, "extract_html", lambda *args, **kwargs: extraction)
    return Cleaner()


def test_a_fragment_is_replaced_by_the_whole_page_cleaned_in_text_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    extraction = HtmlExtraction(text=PARAGRAPHS[0], metadata={"title": "Council approves budget"}, page_text=WHOLE_PAGE)
    result = _cleaner_with(monkeypatch, extraction).clean_html("<html></html>", url="https://example.com/a")
    for line in ARTICLE.split("\n"):
        assert line in result.text
    assert "Newsletters" not in result.text and "All rights reserved" not in result.text
    assert result.source == WHOLE_PAGE and apply_removals(result.source, result.removals) == result.text
    assert any(w.startswith("html:fragment:") for w in result.warnings)
    assert result.metadata["title"] == "Council approves budget"


def test_the_html_result_stays_when_text_mode_keeps_not_much_more(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = "\n".join(ARTICLE.split("\n")[:4])
    extraction = HtmlExtraction(text=kept, page_text=WHOLE_PAGE)
    result = _cleaner_with(monkeypatch, extraction).clean_html("<html></html>")
    assert result.text == kept and result.source == kept
    assert not any(w.startswith("html:fragment:") for w in result.warnings)


def test_without_a_rendered_page_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _cleaner_with(monkeypatch, HtmlExtraction(text=PARAGRAPHS[0])).clean_html("<html></html>")
    assert result.text == PARAGRAPHS[0]


def test_thresholds() -> None:
    assert is_candidate(prose=2_001, kept=1_000) and not is_candidate(prose=2_000, kept=1_000)
    assert is_fragment(kept=1_000, whole=3_001) and not is_fragment(kept=1_000, whole=3_000)
    assert is_candidate(prose=100, kept=0)  # trafilatura found nothing: render the page


def test_prose_counts_long_text_outside_scripts_and_styles() -> None:
    sentence = "A sentence long enough to read as prose, with several words in it."
    page = lxml_html.document_fromstring(
        f"<html><head><title>{sentence}</title></head><body><p>{sentence}</p>"
        f"<script>var x = '{sentence}';</script><style>/* {sentence} */</style>"
        f"<nav><a>Home</a><a>World</a></nav><div>  {sentence.replace(' ', '   ')}  </div></body></html>"
    )
    assert prose_chars(page) == 2 * len(sentence)


def test_page_text_renders_blocks_as_lines_with_bullets() -> None:
    page = lxml_html.document_fromstring(
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li>World</li></ul></nav>"
        "<h1>Title</h1><p>First paragraph.</p><p>Second <b>bold</b> paragraph.</p>"
        "<img src='x.png' alt='a photo'><script>var hidden = 1;</script></body></html>"
    )
    text = page_text(page)
    assert text.split("\n") == ["* Home", "* World", "", "Title", "", "First paragraph.", "", "Second bold paragraph."]


def test_an_ordinary_article_is_not_rendered() -> None:
    assert extract_html(article_page()).page_text == ""


def test_a_page_with_far_more_prose_than_kept_is_rendered_whole() -> None:
    teasers = "".join(
        f"<div class='teaser'><p>More from the region, story {i}: {p}</p></div>" for i in range(4) for p in PARAGRAPHS
    )
    page = article_page().replace("</article>", f"</article><aside class='sidebar'>{teasers}</aside>")
    extraction = extract_html(page)
    assert "story 0:" not in extraction.text
    assert "More from the region, story 3: " + PARAGRAPHS[-1] in extraction.page_text
    assert extract_html(page, options=HtmlOptions(fragment_rescue=False)).page_text == ""


@pytest.mark.parametrize(
    "section",
    ["<section id='comments'>{}</section>", "<ol class='commentlist'>{}</ol>", "<div id='disqus_thread'>{}</div>",
     "<div class='entry comments-area'>{}</div>"],
)
def test_reader_comments_are_left_out_of_the_rendered_page(section: str) -> None:
    comments = "".join(f"<li><p>Reader {i} wrote: {p}</p></li>" for i, p in enumerate(PARAGRAPHS))
    page = lxml_html.document_fromstring(article_page().replace("</article>", "</article>" + section.format(comments)))
    text = page_text(page)
    assert PARAGRAPHS[0] in text and "Reader" not in text
    assert "Reader 0 wrote" in lxml_html.tostring(page, encoding=str)  # the caller's tree is untouched


def test_commentary_is_not_a_comment_section() -> None:
    body = f"<div class='commentary'><p>{PARAGRAPHS[0]}</p></div>"
    page = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    assert page_text(page) == PARAGRAPHS[0]


def test_stats_count_pages_cleaned_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    extraction = HtmlExtraction(text=PARAGRAPHS[0], page_text=WHOLE_PAGE)
    result = _cleaner_with(monkeypatch, extraction).clean_html("<html></html>")
    stats = Stats()
    stats.add({"html": "<html></html>"}, {"html": result.text}, result)
    assert stats.to_dict()["html_fragments"] == 1
    assert "1 HTML page cleaned whole" in stats.summary()


def test_cli_html_options_reach_the_config() -> None:
    from cleaner.cli import build_parser, config_from_args

    parser = build_parser()
    default = config_from_args(parser.parse_args(["clean", "pages.jsonl", "--html"])).html
    assert default.fragment_rescue and default.time_budget_s == HtmlOptions().time_budget_s
    args = parser.parse_args(["clean", "pages.jsonl", "--html", "--no-fragment-rescue", "--html-budget", "2.5"])
    assert config_from_args(args).html == HtmlOptions(fragment_rescue=False, time_budget_s=2.5)
    with pytest.raises(SystemExit):
        parser.parse_args(["clean", "pages.jsonl", "--html-budget", "-1"])


def test_a_rendered_page_over_max_chars_leaves_the_html_result(monkeypatch: pytest.MonkeyPatch) -> None:
    extraction = HtmlExtraction(PARAGRAPHS[0], page_text=WHOLE_PAGE)
    monkeypatch.setattr(cleaner.html, "extract_html", lambda *args, **kwargs: extraction)
    result = Cleaner(CleanConfig(max_chars=len(WHOLE_PAGE) - 1)).clean_html("<html></html>")
    assert result.text == PARAGRAPHS[0]


def test_a_page_that_cannot_be_rendered_keeps_trafilaturas_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(tree: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cleaner.html_fragment, "page_text", broken)
    teasers = "".join(f"<p>More from the region, story {i}: {p}</p>" for i in range(4) for p in PARAGRAPHS)
    page = article_page().replace("</article>", f"</article><aside class='sidebar'>{teasers}</aside>")
    extraction = extract_html(page, options=HtmlOptions(time_budget_s=None))
    assert PARAGRAPHS[-1] in extraction.text and extraction.page_text == ""
    assert any(w.startswith("html:render-failed:") for w in extraction.warnings)
