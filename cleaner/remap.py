"""Run text-only detection on what the rules kept, and map its spans back to the source.

Detection sees the rule-cleaned text (so it is not fooled by boilerplate the rules
already removed), but every removal must be an offset into the repaired source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
        pos = max(pos, rem.end)
    if pos < len(source):
        segments.append((pos, len(source)))
    return segments


def to_source(segments: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """Map a span of the kept text back to one or more source spans."""
    out, offset = [], 0
    for seg_start, seg_end in segments:
        length = seg_end - seg_start
        lo, hi = max(start, offset), min(end, offset + length)
        if lo < hi:
            out.append((seg_start + lo - offset, seg_start + hi - offset))
        offset += length
        if offset >= end:
            break
    return out


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
    segments = kept_segments(source, removals)
    found = [
        Removal(a, b, source[a:b], span.rule_id, "detect", span.evidence)
        for span in result.spans
        for a, b in to_source(segments, span.start, span.end)
    ]
    warnings = (f"{DETECTION_FALLBACK_MARK}: {result.warning}",) if result.fell_back and result.warning else ()
    return Detected(tuple(found), warnings)
