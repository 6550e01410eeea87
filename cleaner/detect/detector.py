"""Decide which lines of a page's text are boilerplate, and explain each removal.

Steps: per-line features (:mod:`features`), features in context (:mod:`context`), a learned score per
line (:mod:`model`), the article region (the run of lines whose scores add up most, weighted by length),
then the precision guard: a line that reads as prose inside the region is never removed. Removed
lines are grouped into spans, each with a rule id and a human-readable reason (:mod:`structures`).
"""

from __future__ import annotations

import math
from cleaner.detect.context import feature_rows
from cleaner.detect.features import guess_language, split_lines
from cleaner.detect.model import LineModel, default_model
from cleaner.detect.phrases import default_matcher
from cleaner.detect.spans import DetectionResult, remove_spans
from cleaner.detect.structures import explain

#: Below this share of the document's characters kept, with no prose line kept, detection gives up.
MIN_KEPT_SHARE = 0.02
#: Phrase categories that the prose guard does not protect: a cookie notice reads like a sentence.
UNGUARDED = frozenset({"cookie", "legal", "comment-form", "newsletter", "login"})


def _region(lines_units: list[int], probs: list[float]) -> tuple[int, int]:
    """Maximum-sum run of lines scored ``(p - 0.5) * log-length``: the article region, inclusive."""
    best, best_lo, best_hi = -math.inf, 0, -1
    acc, lo = 0.0, 0
    for i, (units, p) in enumerate(zip(lines_units, probs, strict=True)):
        if acc <= 0:
            acc, lo = 0.0, i
        acc += (p - 0.5) * (1.0 + units)
        if acc > best:
            best, best_lo, best_hi = acc, lo, i
    return best_lo, best_hi


def detect_boilerplate(text: str, *, url: str | None = None, model: LineModel | None = None) -> DetectionResult:
    """Find boilerplate lines in ``text`` (page text with no site rule) and explain each removal.

    ``url`` is accepted for the engine's interface; detection reads only the text. ``model`` lets
    the training script score with held-out weights.
    """
    del url
    lang = guess_language(text)
    lines = split_lines(text, lang, default_matcher())
    if not lines:
        return DetectionResult(())
    model = model or default_model()
    rows, prose, _before = feature_rows(lines)
    logits = [model.logit(r) for r in rows]
    probs = [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) for z in logits]
    lo, hi = _region([ln.units for ln in lines], probs)

    removed: list[bool] = []
    for i, (ln, z) in enumerate(zip(lines, logits, strict=True)):
        keep = z >= model.threshold
        if not keep and prose[i] and lo <= i <= hi and ln.phrase not in UNGUARDED:
            keep = True
        removed.append(not keep)

    total = sum(ln.chars for ln in lines)
    kept = sum(ln.chars for ln, r in zip(lines, removed, strict=True) if not r)
    kept_prose = any(p and not r for p, r in zip(prose, removed, strict=True))
    if kept == 0 or (kept < MIN_KEPT_SHARE * total and not kept_prose):
        return DetectionResult(
            (),
            fell_back=True,
            warning=f"detection would keep {kept} of {total} characters and no prose line: kept everything",
        )
    return DetectionResult(explain(lines, removed, prose, (lo, hi)))


def clean_text_only(text: str, url: str | None = None) -> str:
    """Text-mode cleaning by detection alone (no site rules): for the quality harness."""
    return remove_spans(text, detect_boilerplate(text, url=url).spans)
