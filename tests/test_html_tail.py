"""Lines trafilatura appends after the article from elsewhere on the page go; the article stays."""

from __future__ import annotations

from budget_story import BUDGET_STORY
from lxml import html

from cleaner.html_tail import line_elements, outside_tail

ARTICLE = BUDGET_STORY[:7]
PROMO = ["Get our morning briefing in your inbox", "Frequently asked questions about our plans"]
INTRO = "In brief: what the new budget means for schools"


def drop_outside_tail(tree: html.HtmlElement, text: str) -> tuple[str, int]:
    """``text`` without the lines :func:`outside_tail` names, and the characters that went."""
    lines = text.split("\n")
    tail = outside_tail(tree, lines)
    if tail is None:
        return text, 0
    kept = "\n".join(lines[: tail[0]] + lines[tail[1] + 1 :])
    return kept, len(text) - len(kept)


def page(before: str = "", after: list[str] | None = None) -> html.HtmlElement:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    tail = "".join(f"<p>{p}</p>" for p in (PROMO if after is None else after))
    return html.document_fromstring(
        f"<html><body><header>{before}</header><article><h1>Budget</h1>{body}</article>"
        f"<aside class='promo'>{tail}</aside></body></html>"
    )


def test_trailing_lines_from_outside_the_article_go() -> None:
    text = "\n".join([*ARTICLE, *PROMO])
    kept, dropped = drop_outside_tail(page(), text)
    assert kept == "\n".join(ARTICLE)
    assert dropped == len(text) - len(kept)


def test_unmapped_lines_between_article_and_outside_lines_go_too() -> None:
    text = "\n".join([*ARTICLE, "| a | table row trafilatura built |", *PROMO])
    assert drop_outside_tail(page(), text)[0] == "\n".join(ARTICLE)


def test_lines_before_the_article_stay() -> None:
    text = "\n".join([INTRO, *ARTICLE])
    assert drop_outside_tail(page(before=f"<p>{INTRO}</p>"), text) == (text, 0)


def test_unmapped_last_line_stays() -> None:
    text = "\n".join([*ARTICLE, "A closing line that is in no block of the page at all"])
    assert drop_outside_tail(page(), text) == (text, 0)


def test_outside_lines_followed_by_article_lines_stay() -> None:
    text = "\n".join([*ARTICLE[:4], *PROMO, *ARTICLE[4:]])
    assert drop_outside_tail(page(), text) == (text, 0)


def test_nothing_goes_when_the_tail_is_a_large_share() -> None:
    unmapped = [f"Line {i} that trafilatura built itself, found in no block of the page, long." for i in range(4)]
    text = "\n".join([*ARTICLE, *unmapped, PROMO[0]])
    assert drop_outside_tail(page(), "\n".join([*ARTICLE, PROMO[0]]))[1] > 0
    assert drop_outside_tail(page(), text) == (text, 0)


def test_text_with_no_mapped_line_is_unchanged() -> None:
    text = "Nothing here appears on the page.\nNeither does this line of text."
    assert drop_outside_tail(page(), text) == (text, 0)
    assert drop_outside_tail(page(), "") == ("", 0)


def test_paragraphs_that_open_alike_each_map_to_their_own_element() -> None:
    """Lines sharing their first characters (a list of results, a refrain) must not all map to the
    first such block, which would make that one paragraph the "article" and cut the lines after it."""
    opening = "The city council voted on Monday evening to approve a new budget for"
    alike = [f"{opening} {topic}, after a long debate." for topic in ("roads", "schools", "parks", "libraries")]
    last = "The mayor welcomed the vote in a short statement."
    tree = html.document_fromstring(
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in [*alike, last]) + "</article></body></html>"
    )
    text = "\n".join([*alike, last])
    assert drop_outside_tail(tree, text) == (text, 0)


def test_a_block_inside_a_block_of_the_same_text_is_one_block() -> None:
    quote = "The city council voted on Monday evening to approve a new budget for the coming year."
    tree = html.document_fromstring(
        f"<html><body><article><blockquote><p>{quote}</p></blockquote><p>{ARTICLE[0]}</p>"
        f"<p>{ARTICLE[1]}</p></article><aside><p>{quote}</p></aside></body></html>"
    )
    elements = line_elements(tree, [quote, ARTICLE[0], ARTICLE[1], quote])
    assert [e.tag for e in elements] == ["blockquote", "p", "p", "p"]
    assert elements[3].getparent().tag == "aside"
