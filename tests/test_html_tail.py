"""Lines trafilatura appends after the article from elsewhere on the page go; the article stays."""

from __future__ import annotations

from budget_story import BUDGET_STORY
from lxml import html

from cleaner.html_tail import outside_tail

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
