"""When the rules run again: only if a match a guard held back would pass it in the text left.

Each case counts the full rules passes (``run_rules`` over all rules) a document gets.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.api
from cleaner import CleanConfig, Cleaner
from cleaner.engine import run_rules
from cleaner.rerun import head_pass_finds_nothing

CLEANER = Cleaner(CleanConfig(detect=False))
PROSE = "The council approved the budget on Monday after a long debate about roads, schools and parks."
APPEAL = ("Your support helps us to tell the story. Please consider supporting our journalism with a donation "
          "today, every bit helps us.")


def _count_full_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for every full rules pass (``run_rules`` over more than the head rules)."""
    calls: list[int] = []
    real = cleaner.api.run_rules

    def counting(book, view, scope, **kwargs):  # type: ignore[no-untyped-def]
        if not scope <= book.head_rule_set:
            calls.append(1)
        return real(book, view, scope, **kwargs)

    monkeypatch.setattr(cleaner.api, "run_rules", counting)
    return calls


def _passes(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[str, int]:
    """The clean text and how many full rules passes made it."""
    calls = _count_full_passes(monkeypatch)
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


BLOCK_RULES = """set: blocks
kind: generic
description: A widget between two markers, and promo lines that can sit inside it.
rules:
  - id: blocks.widget
    description: From the widget's heading to its closing line.
    match:
      regex: 'WIDGET START'
      end: 'WIDGET END'
      prefilter: [widget start]
    action: drop_block
    guard: {max_lines: 2}
    examples:
      remove: ["WIDGET START\\nWIDGET END"]
      keep: ["WIDGET START\\na\\nb\\nc\\nWIDGET END"]
  - id: blocks.promo
    description: A promo line.
    match:
      regex: 'PROMO \\d'
      prefilter: [promo]
    action: drop_line
    examples:
      remove: ["PROMO 1"]
      keep: ["A PROMO 1 in a sentence stays."]
"""


def test_block_end_brought_into_reach_by_other_removals_is_cut_in_a_second_pass(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "blocks.yaml").write_text(BLOCK_RULES, encoding="utf-8")
    own = Cleaner(CleanConfig(detect=False, default_rules=False, rules_dirs=(tmp_path,)))
    text = "\n".join(["WIDGET START", "PROMO 1", "PROMO 2", "PROMO 3", "WIDGET END", PROSE])
    out = own.clean(text)
    assert out == PROSE
    assert own.clean(out) == out


def _fake_detection(lines_to_drop: set[str]):  # type: ignore[no-untyped-def]
    """A stand-in for detection that removes the given whole lines, so the pass logic can be pinned."""
    from cleaner.remap import Detected, kept_segments, to_source
    from cleaner.result import Removal, apply_removals

    def detect(source, removals, **_):  # type: ignore[no-untyped-def]
        kept, segments = apply_removals(source, removals), kept_segments(source, removals)
        found, pos = [], 0
        for line in kept.split("\n"):
            start, end = pos, pos + len(line) + 1
            pos = end
            if line in lines_to_drop:
                if end > len(kept):  # the last line: take the newline before it
                    start, end = start - 1, end - 1
                pieces = to_source(segments, start, end)
                found += [Removal(a, b, source[a:b], "heuristic:test", "detect") for a, b in pieces]
        return Detected(tuple(found), ())

    return detect


def _detect_passes(monkeypatch: pytest.MonkeyPatch, text: str, drop: set[str]) -> tuple[str, int]:
    monkeypatch.setattr(cleaner.api, "detect_on_kept", _fake_detection(drop))
    own = Cleaner(CleanConfig(detect=True))
    calls = _count_full_passes(monkeypatch)
    return own.clean(text), len(calls)


def test_detection_removals_that_free_no_held_match_cost_no_rules_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(["Trending", *([PROSE] * 6), "MENU ITEM", *([PROSE] * 6), "Download App"])
    out, passes = _detect_passes(monkeypatch, text, {"MENU ITEM"})
    assert "MENU ITEM" not in out and "Download App" not in out and out.startswith("Trending")
    assert passes == 1


def test_detection_removals_that_free_a_held_match_run_the_rules_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # "©…" sits just before the middle (copyright.notice-line, min_position 0.5) until detection
    # removes the filler after it: then it qualifies, and only a second rules pass can see that.
    filler = "F" * 44
    text = "0" * 44 + "\n©" + "0" * 44 + "\n" + filler
    out, passes = _detect_passes(monkeypatch, text, {filler})
    assert out == "0" * 44 and passes == 2


def test_a_removal_inside_a_line_lets_every_rule_look_at_what_is_left() -> None:
    # The date header (extract_meta) takes the first "date …" of line 0; what is left of the line
    # reads as a header again, so the rules run again instead of stopping one step short of done.
    text = " date 2026-01-31 date 2026-01-31\n" + PROSE
    out = CLEANER.clean(text)
    assert out == PROSE
    assert CLEANER.clean(out) == out


def _head_lines() -> list[str]:
    """Lines the head rules (``max_line`` rules, front matter) match or nearly match: their examples' lines."""
    book = CLEANER.rulebook
    found = {"", "   ", "---", " --- ", "...", "title: Talks", PROSE}
    for idx in book.head_rules:
        examples = book.rules[idx].rule.examples
        for example in (*examples.remove, *examples.keep):
            found.update(example.text.split("\n"))
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_head_lines()), max_size=30), st.sampled_from([None, *CLEANER.rulebook.sites]))
def test_a_head_pass_said_to_find_nothing_finds_nothing(lines: list[str], site: str | None) -> None:
    """``head_pass_finds_nothing`` never skips a pass that would have removed, held, extracted or warned."""
    book = CLEANER.rulebook
    scope = book.active_rules(site, generic=True, disabled=frozenset()) & book.head_rule_set
    text = "\n".join(lines)
    if head_pass_finds_nothing(book, text, scope, timeout=1.0):
        run = run_rules(book, text, scope, timeout=1.0)
        assert (run.removals, run.metadata, run.warnings, run.held) == ((), {}, (), ())


@pytest.mark.parametrize("detect", [False, True])
@pytest.mark.parametrize("copies", [100, 1000])
def test_a_long_cascade_of_tail_markers_ends_at_a_fixed_point(detect: bool, copies: int) -> None:
    """Each cut brings an earlier "Related Stories" past its ``min_position``: ~14 passes for 1,000 markers.

    Six passes used to end such a page half-way, and cleaning the output again cut more.
    """
    cleaner_ = Cleaner(CleanConfig(detect=detect))
    once = cleaner_.clean(("Related Stories\n" + "x" * 50 + "\n") * copies)
    assert cleaner_.clean(once) == once
