"""A page that carries its article twice gives it once; short repeats stay."""

from __future__ import annotations

from budget_story import BUDGET_STORY

from cleaner.html_repeats import MIN_CHARS, repeated_runs

ARTICLE = BUDGET_STORY[:6]


def drop_repeated_runs(text: str) -> tuple[str, int]:
    """``text`` without the line ranges :func:`repeated_runs` names, and the characters that went."""
    lines = text.split("\n")
    gone = {i for first, last in repeated_runs(lines) for i in range(first, last + 1)}
    kept = "\n".join(line for i, line in enumerate(lines) if i not in gone)
    return kept, len(text) - len(kept)


def test_second_copy_of_the_article_goes() -> None:
    once = "\n".join(ARTICLE)
    text, dropped = drop_repeated_runs(f"{once}\n{once}\nDownload Now")
    assert text == f"{once}\nDownload Now"
    assert dropped == len(once) + 1


def test_copy_with_blank_lines_and_indentation_goes() -> None:
    first = "\n\n".join(ARTICLE)
    second = "\n".join(f"  {line}" for line in ARTICLE)
    text, _ = drop_repeated_runs(f"Headline\n{first}\nRelated\n{second}")
    assert text.count(ARTICLE[2]) == 1
    assert text.startswith(f"Headline\n{first}\nRelated")


def test_short_repeats_stay() -> None:
    chorus = "We will rise again\nWe will rise again and again\nUntil the morning comes"
    assert len(chorus) < MIN_CHARS
    text = f"{chorus}\nVerse one goes here with its own words.\n{chorus}"
    assert drop_repeated_runs(text) == (text, 0)


def test_two_long_lines_repeated_stay() -> None:
    text = "\n".join([ARTICLE[0] * 4, ARTICLE[1] * 4, "Between", ARTICLE[0] * 4, ARTICLE[1] * 4])
    assert drop_repeated_runs(text) == (text, 0)


def test_text_without_repeats_is_unchanged() -> None:
    text = "\n".join(ARTICLE)
    assert drop_repeated_runs(text) == (text, 0)
    assert drop_repeated_runs("") == ("", 0)


def test_many_identical_lines_stay_fast_and_kept() -> None:
    text = "\n".join(["|---|---|", "| a | b |"] * 5_000)
    out, dropped = drop_repeated_runs(text)
    assert len(out) + dropped == len(text)
    assert out.startswith("|---|---|\n| a | b |")
