"""Run text-only detection on what the rules kept, and map its spans back to the source.

Detection sees the rule-cleaned text (so it is not fooled by boilerplate the rules
already removed), but every removal must be an offset into the repaired source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from operator import le
from typing import TYPE_CHECKING, Literal

from cleaner.result import DETECTION_FALLBACK_MARK, Removal, apply_removals

if TYPE_CHECKING:
    from cleaner.detect.features import LineCache


@dataclass(frozen=True, slots=True)
class Detected:
    removals: tuple[Removal, ...]
    warnings: tuple[str, ...]


def kept_segments(source: str, removals: Sequence[Removal]) -> list[tuple[int, int]]:
    """The (start, end) source ranges that survive ``removals``, in order."""
    segments, pos = [], 0
    for rem in removals:
        if rem.start > pos:
            segments.append((pos, rem.start))
        if rem.end > pos:  # ``pos = max(pos, rem.end)`` without a call per removal
            pos = rem.end
    if pos < len(source):
        segments.append((pos, len(source)))
    return segments


def to_source(segments: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """Map a span of the kept text back to one or more source spans."""
    return spans_to_source(segments, [(start, end)])[0]


def spans_to_source(
    segments: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """``to_source`` of every span, in input order, from one walk over ``segments``.

    Why one walk: mapping each span by scanning the segments from the first made a document with
    many removals quadratic (a 1 MB page whose rules and detection cut 27,000 lines took 17 s,
    nearly all of it here). The spans are visited in order of their start, each resuming where the
    one before it left the walk, so the cost is the segments plus the spans, whatever their number.

    >>> spans_to_source([(0, 2), (5, 9)], [(1, 4), (4, 5)])
    [[(1, 2), (5, 7)], [(7, 8)]]
    """
    out: list[list[tuple[int, int]]] = [[] for _ in spans]
    count, i, offset = len(segments), 0, 0  # segments[i] starts at ``offset`` in the kept text
    for k in _by_start(spans):
        start, end = spans[k]
        while i < count and offset + segments[i][1] - segments[i][0] <= start:  # ends before the span
            offset += segments[i][1] - segments[i][0]
            i += 1
        pieces, j, seg_offset = out[k], i, offset
        while j < count and seg_offset < end:
            seg_start, seg_end = segments[j]
            lo, hi = max(start, seg_offset), min(end, seg_offset + seg_end - seg_start)
            if lo < hi:
                pieces.append((seg_start + lo - seg_offset, seg_start + hi - seg_offset))
            seg_offset += seg_end - seg_start
            j += 1
    return out


def _by_start(spans: Sequence[tuple[int, int]]) -> Sequence[int]:
    """The indices of ``spans`` in order of their start, ties in input order (a stable sort's order).

    Spans mostly come sorted (a pass's removals, held matches in text order): then that order is the
    input's, found by one C-level comparison of neighbours rather than a sort with a Python key.
    """
    starts = [start for start, _ in spans]
    if all(map(le, starts, islice(starts, 1, None))):
        return range(len(spans))
    return sorted(range(len(spans)), key=starts.__getitem__)


def detect_on_kept(
    source: str,
    removals: Sequence[Removal],
    *,
    url: str | None,
    mode: Literal["text", "html"] = "text",
    cache: LineCache | None = None,
) -> Detected:
    """Detection over the text the rules kept; its spans as source removals.

    ``mode="html"`` uses the model trained on extracted text (:mod:`cleaner.detect.extracted`):
    the whole-page model removes real paragraphs from an extractor's output. Pass the same
    ``cache`` to every pass over one document (see :class:`cleaner.detect.features.LineCache`).
    """
    from cleaner.detect import detect_boilerplate
    from cleaner.detect.extracted import detect_extracted

    kept = apply_removals(source, removals)
    result = (detect_extracted if mode == "html" else detect_boilerplate)(kept, url=url, cache=cache)
    mapped = spans_to_source(kept_segments(source, removals), [(span.start, span.end) for span in result.spans])
    found = [
        Removal(a, b, source[a:b], span.rule_id, "detect", span.evidence)
        for span, pieces in zip(result.spans, mapped, strict=True)
        for a, b in pieces
    ]
    warnings = (f"{DETECTION_FALLBACK_MARK}: {result.warning}",) if result.fell_back and result.warning else ()
    return Detected(tuple(found), warnings)
