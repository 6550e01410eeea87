"""Mapping spans of the kept text back to the source (``cleaner.remap``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.remap import kept_segments, spans_to_source, to_source
from cleaner.result import Removal, apply_removals


def one_by_one(segments: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The plain definition: walk the segments from the first, keeping what overlaps the span."""
    out, offset = [], 0
    for seg_start, seg_end in segments:
        lo, hi = max(start, offset), min(end, offset + seg_end - seg_start)
        if lo < hi:
            out.append((seg_start + lo - offset, seg_start + hi - offset))
        offset += seg_end - seg_start
    return out


@st.composite
def segments_and_spans(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    cuts = sorted(set(draw(st.lists(st.integers(0, 300), max_size=30))))
    segments = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    kept = sum(b - a for a, b in segments)
    span = st.tuples(st.integers(0, kept + 2), st.integers(0, kept + 2)).map(lambda p: (min(p), max(p)))
    return segments, draw(st.lists(span, max_size=20))


@given(segments_and_spans())
def test_spans_map_as_one_by_one_in_any_order(case: tuple[list[tuple[int, int]], list[tuple[int, int]]]) -> None:
    segments, spans = case
    assert spans_to_source(segments, spans) == [one_by_one(segments, a, b) for a, b in spans]
    assert [to_source(segments, a, b) for a, b in spans] == [one_by_one(segments, a, b) for a, b in spans]


@given(st.text(alphabet="ab\n", max_size=60), st.data())
def test_mapped_spans_cover_the_same_characters(source: str, data: st.DataObject) -> None:
    """What a span of the kept text reads is what its source pieces read, joined."""
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(source)), max_size=10))))
    removals = [Removal(a, b, source[a:b], "r", "drop_line") for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    kept = apply_removals(source, removals)
    span = data.draw(st.tuples(st.integers(0, len(kept)), st.integers(0, len(kept))).map(sorted))
    (pieces,) = spans_to_source(kept_segments(source, removals), [tuple(span)])
    assert "".join(source[a:b] for a, b in pieces) == kept[span[0] : span[1]]


class CountingSegments(list[tuple[int, int]]):
    """Segments that count how often they are read."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self.reads += 1
        return super().__getitem__(index)

    def __iter__(self):  # type: ignore[no-untyped-def]
        for item in super().__iter__():
            self.reads += 1
            yield item


def test_many_spans_cost_one_walk_over_the_segments() -> None:
    """Thousands of removals map in time linear in segments plus spans, not their product.

    Mapping every span by a scan from the first segment made a page whose rules and detection cut
    27,000 lines take 17 s. Reads of the segments are counted, so the test does not depend on timing.
    """
    n = 5000
    segments = CountingSegments((10 * k, 10 * k + 5) for k in range(n))  # 5 kept characters in every 10
    spans = [(5 * k + 1, 5 * k + 3) for k in range(n)]  # one span inside each segment
    mapped = spans_to_source(segments, spans)
    assert mapped == [[(10 * k + 1, 10 * k + 3)] for k in range(n)]
    assert segments.reads <= 10 * n  # one scan per span would read ~n * n / 2


@given(st.text(alphabet="ab\n", max_size=60), st.data())
def test_in_source_is_the_plain_mapping(source: str, data: st.DataObject) -> None:
    """``_in_source`` keeps a removal that maps to itself instead of building it again: the same values."""
    from cleaner.api import _in_source
    from cleaner.result import merge_spans

    def removals_of(text: str) -> tuple[Removal, ...]:
        cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=10))))
        return merge_spans(
            (Removal(a, b, text[a:b], f"r{a}", "x", "e") for a, b in zip(cuts[::2], cuts[1::2], strict=False)), text
        )

    removals = removals_of(source)
    found = removals_of(apply_removals(source, removals))
    mapped = spans_to_source(kept_segments(source, removals), [(r.start, r.end) for r in found])
    plain = [
        Removal(a, b, source[a:b], r.rule_id, r.action, r.evidence)
        for r, pieces in zip(found, mapped, strict=True)
        for a, b in pieces
    ]
    assert _in_source(source, removals, found) == plain


@given(st.text(alphabet="ab \n\t", max_size=40), st.data())
def test_tidied_text_is_the_plain_cut(source: str, data: st.DataObject) -> None:
    """``_tidied`` gives the text its removals leave from the text it tidied, not by cutting ``source`` again."""
    from cleaner.api import _tidied
    from cleaner.result import merge_spans, tidy_spans

    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(source)), max_size=10))))
    removals = merge_spans(
        (Removal(a, b, source[a:b], f"r{a}", "x") for a, b in zip(cuts[::2], cuts[1::2], strict=False)), source
    )
    kept = apply_removals(source, removals)
    junctions = data.draw(st.none() | st.just([r.start for r in removals]))
    if junctions is not None and tidy_spans(kept) != tidy_spans(kept, junctions):
        junctions = None  # junctions promise a tidy text with pieces cut out: only where that holds
    tidied, text = _tidied(source, removals, junctions)
    assert text == apply_removals(source, tidied)
    assert tidied == merge_spans((*removals, *tidied), source)  # sorted, disjoint, a superset
