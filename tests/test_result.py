"""The fast paths of ``cleaner.result`` against the plain definitions they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.remap import kept_segments
from cleaner.result import Removal, apply_removals, merge_spans

SOURCE = "abcdefghij\n" * 6


def plain_merge(removals: list[Removal], source: str) -> tuple[Removal, ...]:
    """``merge_spans`` as first written: one sort with a tuple key, then the trimming loop."""
    merged: list[Removal] = []
    covered = 0
    for rem in sorted(removals, key=lambda r: (r.start, -r.end)):
        start = max(rem.start, covered)
        if start >= rem.end:
            continue
        if start != rem.start:
            rem = Removal(start, rem.end, source[start : rem.end], rem.rule_id, rem.action, rem.evidence)
        merged.append(rem)
        covered = rem.end
    return tuple(merged)


@st.composite
def removals(draw: st.DrawFn, low: int = 0) -> list[Removal]:
    """Removals of ``SOURCE`` that may overlap, repeat, tie on either end, be empty or reversed; the
    rule id numbers them, so an order that differs among equal spans shows."""
    spans = draw(st.lists(st.tuples(st.integers(low, 20), st.integers(low, 20)), max_size=12))
    return [Removal(a, b, SOURCE[a:b], f"r{i}", "x") for i, (a, b) in enumerate(spans)]


@st.composite
def disjoint_removals(draw: st.DrawFn) -> list[Removal]:
    """Sorted, disjoint, non-empty removals: the common input (two of them joined: a pass's merge)."""
    cuts = sorted(set(draw(st.lists(st.integers(0, len(SOURCE)), max_size=20))))
    return [Removal(a, b, SOURCE[a:b], "r", "x") for a, b in zip(cuts[::2], cuts[1::2], strict=False)]


@given(st.one_of(removals(), removals(low=-3), disjoint_removals()))
def test_merge_spans_is_the_plain_merge(case: list[Removal]) -> None:
    assert merge_spans(case, SOURCE) == plain_merge(case, SOURCE)
    assert merge_spans(iter(case), SOURCE) == plain_merge(case, SOURCE)
    merged = merge_spans(case, SOURCE)
    assert merge_spans(merged, SOURCE) == merged  # the engine skips merging again when nothing was added


@given(disjoint_removals(), disjoint_removals())
def test_merge_spans_of_two_runs_is_the_plain_merge(first: list[Removal], second: list[Removal]) -> None:
    assert merge_spans([*first, *second], SOURCE) == plain_merge([*first, *second], SOURCE)


def plain_pieces(source: str, removals: list[Removal]) -> list[tuple[int, int]]:
    """What ``apply_removals`` keeps, as first written: after each removal, ``pos = max(pos, rem.end)``."""
    pieces, pos = [], 0
    for rem in removals:
        pieces.append((pos, rem.start))
        pos = max(pos, rem.end)
    return [*pieces, (pos, len(source))]


@given(st.one_of(removals(), removals(low=-3), disjoint_removals()))
def test_kept_text_is_the_plain_cut(case: list[Removal]) -> None:
    pieces = plain_pieces(SOURCE, case)
    assert apply_removals(SOURCE, case) == "".join(SOURCE[a:b] for a, b in pieces)
    assert kept_segments(SOURCE, case) == [(a, b) for a, b in pieces if b > a]
