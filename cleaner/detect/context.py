"""Line features in context: a line's neighbours and its place relative to the article's prose.

The article of a page is one contiguous region of prose; menus, share bars and related lists are runs
of short non-prose lines around it. So besides what a line says about itself (:mod:`features`) the
detector looks at windows of neighbouring lines (prefix sums keep that linear) and at how much of the
document's prose lies before and after the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cleaner.detect.features import Line

#: Phrase categories that become one-hot features (and rule ids).
CATEGORIES = ("share", "follow", "newsletter", "login", "nav", "end-marker", "comment-form", "legal", "cookie")
#: Neighbour windows (in non-blank lines, each side).
WINDOWS = (2, 6)

FEATURE_NAMES: tuple[str, ...] = (
    "log_chars",
    "log_units",
    "end_punct",
    "colon_end",
    "log_inner_punct",
    "stop_ratio",
    "cap_ratio",
    "digit_ratio",
    "log_separators",
    "bullet",
    "repeated",
    *(f"phrase_{c}" for c in CATEGORIES),
    "prose",
    "log_block_lines",
    "block_bullet_share",
    *(f"ctx{w}_{k}" for w in WINDOWS for k in ("prose", "log_units", "bullet")),
    "prose_before",
    "prose_after",
    "edge",
    "after_end_marker",
    "short_outside",
    "log_gap_to_prose",
)


def is_prose(line: Line) -> bool:
    """A line that reads as running text: several words, sentence punctuation, function words.

    This is the precision guard too: such a line inside the article region is never removed.
    """
    if line.units < 8 or not (line.end_punct or line.inner_punct >= 2):
        return False
    return line.prose_words >= 0.15 * line.units


def _window_means(values: Sequence[float], w: int) -> list[float]:
    """Mean of each value's neighbours within ``w`` positions, excluding itself."""
    n = len(values)
    prefix = [0.0]
    for v in values:
        prefix.append(prefix[-1] + v)
    out = []
    for i in range(n):
        lo, hi = max(0, i - w), min(n, i + w + 1)
        count = hi - lo - 1
        out.append((prefix[hi] - prefix[lo] - values[i]) / count if count else 0.0)
    return out


def feature_rows(lines: Sequence[Line]) -> tuple[list[list[float]], list[bool], list[float]]:
    """Feature vectors (in ``FEATURE_NAMES`` order) for ``lines``.

    Also returns each line's prose flag and the share of the document's prose characters before it,
    which the region logic and the evidence strings reuse.
    """
    n = len(lines)
    prose = [is_prose(ln) for ln in lines]
    prose_f = [1.0 if p else 0.0 for p in prose]
    log_units = [math.log1p(ln.units) for ln in lines]
    bullets = [1.0 if ln.bullet else 0.0 for ln in lines]

    block_lines: dict[int, int] = {}
    block_bullets: dict[int, int] = {}
    for ln in lines:
        block_lines[ln.block] = block_lines.get(ln.block, 0) + 1
        block_bullets[ln.block] = block_bullets.get(ln.block, 0) + ln.bullet

    windows = []
    for w in WINDOWS:
        windows.extend((_window_means(prose_f, w), _window_means(log_units, w), _window_means(bullets, w)))

    prose_chars = [ln.chars if p else 0 for ln, p in zip(lines, prose, strict=True)]
    total_prose = float(sum(prose_chars)) or 1.0
    before: list[float] = []
    acc = 0
    for c in prose_chars:
        before.append(acc / total_prose)
        acc += c

    # Distance (in lines) to the nearest prose line, either side.
    gap = [float(n)] * n
    last = -(10**9)
    for i in range(n):
        if prose[i]:
            last = i
        gap[i] = float(i - last)
    last = 10**9
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        gap[i] = min(gap[i], float(last - i))

    first_prose = prose.index(True) if True in prose else n
    seen_end_marker = False
    rows: list[list[float]] = []
    for i, ln in enumerate(lines):
        units = ln.units or 1
        after = 1.0 - before[i] - prose_chars[i] / total_prose
        edge = min(before[i], after)
        if ln.phrase == "end-marker" and i > first_prose:
            seen_end_marker = True
        short = ln.units < 6 and not prose[i]
        row = [
            math.log1p(ln.chars),
            log_units[i],
            1.0 if ln.end_punct else 0.0,
            1.0 if ln.colon_end else 0.0,
            math.log1p(ln.inner_punct),
            ln.prose_words / units,
            ln.capitalised / units,
            ln.digits / (ln.chars or 1),
            math.log1p(ln.separators),
            bullets[i],
            1.0 if ln.repeated else 0.0,
            *(1.0 if ln.phrase == c else 0.0 for c in CATEGORIES),
            prose_f[i],
            math.log1p(block_lines[ln.block]),
            block_bullets[ln.block] / block_lines[ln.block],
            *(win[i] for win in windows),
            before[i],
            after,
            edge,
            1.0 if seen_end_marker else 0.0,
            1.0 if short and edge < 0.01 else 0.0,
            math.log1p(gap[i]),
        ]
        rows.append(row)
    return rows, prose, before
