"""When the rules run again: only if a match a guard held back would pass it in the text left.

Each case counts the full rules passes (``run_rules`` over all rules) a document gets.
"""

from __future__ import annotations

import pytest

import cleaner.api
from cleaner import CleanConfig, Cleaner

CLEANER = Cleaner(CleanConfig(detect=False))
PROSE = "The council approved the budget on Monday after a long debate about roads, schools and parks."
APPEAL = ("Your support helps us to tell the story. Please consider supporting our journalism with a donation "
          "today, every bit helps us.")


def _passes(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[str, int]:
    """The clean text and how many full rules passes made it."""
    calls: list[int] = []
    real = cleaner.api.run_rules

    def counting(book, view, scope, **kwargs):  # type: ignore[no-untyped-def]
        if not scope <= book.head_rule_set:
            calls.append(1)
        return real(book, view, scope, **kwargs)

    monkeypatch.setattr(cleaner.api, "run_rules", counting)
    return CLEANER.clean(text), len(calls)


def test_copyright_line_moved_past_its_guard_by_a_removal_goes_in_a_second_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "©…" starts just before the middle (min_position 0.5); once the last line goes it is past it.
    text = "0" * 44 + "\n©" + "0" * 44 + "\nDOWNLOAD APP"
    out, passes = _passes(monkeypatch, text)
    assert out == "0" * 44 and passes == 2
    assert CLEANER.clean(out) == out


def test_tail_marker_held_by_prose_that_a_rule_removes_cuts_in_a_second_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n".join([*([PROSE] * 8), "Related Topics", APPEAL])
    out, passes = _passes(monkeypatch, text)
    assert out == "\n".join([PROSE] * 8) and passes == 2


def test_menu_heading_far_above_its_guard_costs_no_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # "Trending" (related.tail-section, min_position 0.6) is held back at the top and stays there.
    text = "\n".join(["Trending", *([PROSE] * 12), "Download App"])
    out, passes = _passes(monkeypatch, text)
    assert out.startswith("Trending") and "Download App" not in out
    assert passes == 1
