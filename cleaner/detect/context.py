"""Line features in context: a line's neighbours and its place relative to the article's prose.

The article of a page is one contiguous region of prose; menus, share bars and related lists are runs
of short non-prose lines around it. So besides what a line says about itself (:mod:`features`) the
detector looks at windows of neighbouring lines and at how much of the document's prose lies before
and after the line. Everything is computed column by column with C-level ``map``/``accumulate`` (the
detector's speed budget is a few microseconds per line).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from itertools import accumulate, chain, compress, islice, repeat
from operator import mul, sub, truediv

from cleaner.detect.features import LineTable

#: Phrase categories grouped into feature columns: legal/cookie notices, other chrome, end markers.
LEGAL = frozenset({"legal", "cookie"})
END_MARKERS = frozenset({"end-marker"})
#: Lines this long with many function words read as prose even without sentence punctuation.
LONG_UNITS = 20
LONG_STOP_SHARE = 0.35
#: Neighbour windows (in non-blank lines, each side) and what is averaged over them.
WINDOWS = ((2, ("prose", "log_units", "bullet", "repeated")), (6, ("prose", "log_units")))
#: Each line's value of the phrase columns, by phrase category (the chrome column is 1.0 for categories not listed).
#: A comment-count heading ("3 thoughts on “Title”") is left out of the chrome column: the detector cuts the
#: thread at it by structure, and the fitted model saw those lines without a phrase.
LEGAL_VALUE: dict[str | None, float] = dict.fromkeys(LEGAL, 1.0)
CHROME_VALUE: dict[str | None, float] = dict.fromkeys((None, "", *LEGAL, *END_MARKERS, "comment-count"), 0.0)
END_MARKER_VALUE: dict[str | None, float] = dict.fromkeys(END_MARKERS, 1.0)

FEATURE_NAMES: tuple[str, ...] = (
    "log_units",
    "end_punct",
    "colon_end",
    "log_inner_punct",
    "cap_ratio",
    "bullet",
    "repeated",
    "log_same_start",
    "phrase_legal",
    "phrase_chrome",
    "phrase_end_marker",
    "prose",
    "log_block_lines",
    *(f"ctx{w}_{k}" for w, keys in WINDOWS for k in keys),
    "prose_before",
    "prose_after",
    "edge",
    "after_end_marker",
    "short_outside",
)


def prose_flags(t: LineTable) -> list[bool]:
    """Lines that read as running text: several words, sentence punctuation, function words.

    A long line dense in function words counts even without punctuation (sloppy sites drop the
    final full stop; menus and headlines are neither long nor made of function words).

    This is the precision guard too: such a line inside the article region is never removed.
    """
    return [
        units >= 8
        and (((end or inner >= 2) and pw >= 0.15 * units) or (units >= LONG_UNITS and pw >= LONG_STOP_SHARE * units))
        for units, end, inner, pw in zip(t.units, t.end_punct, t.inner_punct, t.prose_words, strict=True)
    ]


def window_means(values: list[float], w: int) -> list[float]:
    """Mean of each value's neighbours within ``w`` positions either side, excluding itself."""
    return window_means_of(values, prefix_sums(values), w, neighbour_counts(len(values), w))


def prefix_sums(values: list) -> list:
    """``[0.0, v0, v0 + v1, ...]``: computed once, it serves every window width over ``values``.

    Summed left to right like :func:`itertools.accumulate`, so the windows are bit-for-bit those the
    model was trained on. Booleans sum as integers, exactly the floats the 0/1 columns would give.
    """
    return [0.0, *accumulate(values)]


def window_means_of(values: list[float], prefix: list, w: int, counts: list[float]) -> list[float]:
    """:func:`window_means` from the ``prefix`` sums of ``values``, read in place rather than sliced.

    ``counts`` is :func:`neighbour_counts` for ``len(values)`` and ``w``, passed in because every
    column of a document shares it.
    """
    n = len(values)
    if n < 2:
        return [0.0] * n
    upper = chain(islice(prefix, w + 1, None), repeat(prefix[n], w))
    lower = chain(repeat(0.0, w), prefix)
    return list(map(truediv, map(sub, map(sub, upper, lower), values), counts))


def neighbour_counts(n: int, w: int) -> list[float]:
    """Neighbour counts of each position: ``2w`` inside, fewer near the edges."""
    counts = [float(2 * w)] * n
    for i in range(min(w, n)):
        counts[i] = float(min(i + w, n - 1) - max(i - w, 0)) or 1.0
        j = n - 1 - i
        counts[j] = float(min(j + w, n - 1) - max(j - w, 0)) or 1.0
    return counts


def _floats(values: list) -> list[float]:
    return [1.0 if v else 0.0 for v in values]


def feature_columns(t: LineTable) -> tuple[list[list[float]], list[bool]]:
    """Feature columns (in ``FEATURE_NAMES`` order) for the lines of ``t``, and the prose flags."""
    n = len(t)
    prose = prose_flags(t)
    prose_f = _floats(prose)
    log1p = math.log1p
    log_units = list(map(log1p, t.units))
    bullets = _floats(t.bullet)
    safe_units = [u or 1 for u in t.units]

    block_lines = Counter(t.block)

    base = {"prose": prose_f, "log_units": log_units, "bullet": bullets, "repeated": _floats(t.repeated)}
    # One prefix sum per column serves both widths; the 0/1 columns sum their booleans (small ints).
    # A column of zeros (a page without bullets or repeated lines) averages 0.0 in every window.
    summed: dict[str, list] = {"prose": prose, "log_units": log_units, "bullet": t.bullet, "repeated": t.repeated}
    prefixes = {k: prefix_sums(v) for k, v in summed.items() if any(v)}
    counts = {w: neighbour_counts(n, w) for w, _ in WINDOWS}
    windows = [
        window_means_of(base[k], prefixes[k], w, counts[w]) if k in prefixes else [0.0] * n
        for w, keys in WINDOWS
        for k in keys
    ]

    before, after, edge = prose_position(t.chars, prose)

    after_marker = after_end_heading(t, prose.index(True) if True in prose else n)

    phrases = t.phrase
    columns = [
        log_units,
        _floats(t.end_punct),
        _floats(t.colon_end),
        list(map(log1p, t.inner_punct)),
        list(map(truediv, t.capitalised, safe_units)),
        bullets,
        base["repeated"],
        list(map(log1p, t.same_start)),
        list(map(LEGAL_VALUE.get, phrases, repeat(0.0))),
        list(map(CHROME_VALUE.get, phrases, repeat(1.0))),
        list(map(END_MARKER_VALUE.get, phrases, repeat(0.0))),
        prose_f,
        list(map({b: log1p(k) for b, k in block_lines.items()}.__getitem__, t.block)),
        *windows,
        before,
        after,
        edge,
        after_marker,
        [1.0 if u < 6 and not p and e < 0.01 else 0.0 for u, p, e in zip(t.units, prose, edge, strict=True)],
    ]
    return columns, prose


def prose_position(chars: list[int], prose: list[bool]) -> tuple[list[float], list[float], list[float]]:
    """Share of the prose characters before each line, after it, and the smaller of the two (``edge``).

    Each share is one division of the running prose total; ``after`` is ``1 - `` the share up to and
    including the line, which is the next line's ``before``. ``before`` never falls and ``after``
    never rises, so ``edge`` is ``before`` up to the first line where ``after`` is smaller, then
    ``after``: a binary search, not a ``min`` per line.
    """
    prose_chars = list(map(mul, chars, prose))
    total_prose = float(sum(prose_chars)) or 1.0
    shares = list(map(truediv, accumulate(prose_chars, initial=0), repeat(total_prose)))
    before = shares[:-1]
    after = list(map(sub, repeat(1.0), islice(shares, 1, None)))
    lo, hi = 0, len(before)
    while lo < hi:
        mid = (lo + hi) // 2
        if after[mid] < before[mid]:
            hi = mid
        else:
            lo = mid + 1
    return before, after, before[:lo] + after[lo:]


def is_end_heading(phrase: str | None, units: int, text: str) -> bool:
    """A short line that *is* an end marker ("Comments", "Related articles"), not "Related: X"."""
    return phrase == "end-marker" and units <= 5 and ":" not in text[:-1]


def first_end(t: LineTable, first: int) -> int:
    """Index of the first line after ``first`` where the article is over, or ``len(t)``.

    That is an end-marker heading, or the first line of a comment thread (the first of at least
    two comment author lines).
    """
    n = len(t)
    meta = t.marks("comment-meta")
    k = bisect_right(meta, first)
    end = meta[k] if len(meta) - k >= 2 else n
    phrases, units, text = t.phrase, t.units, t.text
    for i in t.marks("end-marker")[bisect_right(t.marks("end-marker"), first) :]:
        if i >= end:
            break
        if is_end_heading(phrases[i], units[i], text[i]):
            return i
    return end


def after_end_heading(t: LineTable, first: int) -> list[float]:
    """1.0 for lines from the end of the article (see :func:`first_end`) after line ``first``."""
    end = first_end(t, first)
    return [0.0] * end + [1.0] * (len(t) - end)


def article_region(units: list[int], scores: list[float], threshold: float) -> tuple[int, int]:
    """Maximum-sum run of lines, each counting ``±(1 + words)`` by the sign of ``score - threshold``.

    The article is one contiguous stretch; a lone prose-like line far out in the footer does not
    extend it, because the chrome between pulls the running sum below zero. Inclusive bounds;
    ``(0, -1)`` for an empty document.
    """
    best, best_lo, best_hi = -math.inf, 0, -1
    acc, lo = 0.0, 0
    for i, (u, z) in enumerate(zip(units, scores, strict=True)):
        if acc <= 0:
            acc, lo = 0.0, i
        acc += (1.0 + u) if z >= threshold else -(1.0 + u)
        if acc > best:
            best, best_lo, best_hi = acc, lo, i
    return best_lo, best_hi


STAGE2_NAMES: tuple[str, ...] = (
    "z1",
    "z1_ctx1",
    "z1_ctx3",
    "in_region",
    "log_before_region",
    "after_end_heading",
    "prose",
    "bullet",
)


def stage2_columns(z1: list[float], t: LineTable, prose: list[bool], threshold: float) -> list[list[float]]:
    """Second-stage features: the first-stage score of the line, of its neighbours, and the region.

    A line the first stage finds borderline is decided by its neighbourhood: chrome comes in runs.
    """
    n = len(z1)
    clipped = clip(z1)
    prefix = prefix_sums(clipped)
    lo, hi = article_region(t.units, z1, threshold)
    log1p = math.log1p
    # log1p(lo - i) for each line i above the region: lo, lo - 1, ..., 1.
    before = [*map(log1p, range(lo, 0, -1)), *repeat(0.0, max(0, n - lo))]
    return [
        clipped,
        window_means_of(clipped, prefix, 1, neighbour_counts(n, 1)),
        window_means_of(clipped, prefix, 3, neighbour_counts(n, 3)),
        [0.0] * lo + [1.0] * (hi + 1 - lo) + [0.0] * (n - hi - 1),
        before,
        after_end_heading(t, lo),
        _floats(prose),
        _floats(t.bullet),
    ]


def clip(scores: list[float], bound: float = 8.0) -> list[float]:
    """Scores clipped to ``[-bound, bound]`` (a conditional per line: ``min``/``max`` calls cost more)."""
    low = -bound
    return [low if z < low else bound if z > bound else z for z in scores]


def logits(columns: list[list[float]], coef: tuple[float, ...], intercept: float) -> list[float]:
    """Linear score of every line: ``intercept + sum(coef[j] * columns[j])``, row by row.

    ``sum(map(mul, ...))`` over each row is the fastest pure-Python dot product.
    """
    return [intercept + sum(map(mul, coef, row)) for row in zip(*columns, strict=True)]


#: An author card (name line, then a paragraph opening with the name) counts only this close to the
#: end of the page's prose: at most this share of the prose characters follows it. A bio closes the
#: article; a heading repeated by its paragraph ("Power BI" / "Power BI is ...") sits inside it.
CARD_TAIL_SHARE = 0.12
#: More cards than this on one page are a listicle of people or products, not the author box.
MAX_CARDS = 3
#: Short lines (a job title, "Contributing Writer") allowed between the name line and the bio.
CARD_GAP = 2
#: Word counts of a name line, and the longest job-title line between it and the bio.
NAME_UNITS = frozenset({2, 3, 4})
MAX_TITLE_UNITS = 6
#: Characters a name may hold besides letters: initials and double-barrelled names ("Z.B. Steele").
NAME_CHARS = frozenset(".-'’")


def is_name_line(text: str, stop: frozenset[str]) -> bool:
    """A person's name on a line of its own: two to four capitalised words, letters only, not
    opening with a function word ("The Takeaway" is a heading)."""
    words = text.split()
    return (
        2 <= len(words) <= 4
        and words[0].lower() not in stop
        and all(w[0].isupper() and all(c.isalpha() or c in NAME_CHARS for c in w) for w in words)
    )


def opens_with_name(text: str, name: str) -> bool:
    """Whether a paragraph opens with the person named on ``name``: the full name ("Jane Doe is ...",
    "Jane Doe, a reporter ...") or the first name and a lower-case word ("Jane covers ...").

    A heading repeated by its own paragraph keeps its words: "Email Marketing" / "Email marketing
    is ...", "Product Video" / "Product videos ..." are no card.
    """
    if text.startswith((name + " ", name + ",")):
        return True
    first, second = name.split()[:2]
    rest = text[len(first) + 1 :] if text.startswith(first + " ") else ""
    return rest[:1].islower() and not rest.lower().startswith(second.lower()[:4])


def author_cards(t: LineTable, prose: list[bool], stop: frozenset[str]) -> list[tuple[int, int]]:
    """``(name line, bio line)`` of each author box after the article: a name line, at most
    ``CARD_GAP`` short lines (a job title), then a prose paragraph that opens with the name, with
    little of the page's prose after it (see ``CARD_TAIL_SHARE``).

    A bio reads as prose ("Jane Doe is a reporter covering ...") and so does article text of that
    shape, so the phrase alone says nothing; its place and the name line above it say it is the
    author box. An empty list when the page holds more than ``MAX_CARDS`` such pairs anywhere.
    """
    # Walk back from the end to where the last CARD_TAIL_SHARE of the prose starts: only the page's
    # tail is searched, and the whole page only when the tail holds a card (to count them).
    chars = t.chars
    tail = CARD_TAIL_SHARE * sum(compress(chars, prose))
    i, after = len(t), 0
    while i > 0 and after + (chars[i - 1] if prose[i - 1] else 0) <= tail:
        i -= 1
        after += chars[i] if prose[i] else 0
    # Line ``i - 1`` is the last with no more than the tail's prose after it: a bio may stand there.
    cards = _name_cards(t, prose, stop, max(0, i - CARD_GAP - 3))
    cards = [(a, b) for a, b in cards if b >= i - 1]
    if not cards or len(_name_cards(t, prose, stop, 0)) > MAX_CARDS:
        return []
    return cards


def _name_cards(t: LineTable, prose: list[bool], stop: frozenset[str], start: int) -> list[tuple[int, int]]:
    """Name line and bio line of each name card from line ``start`` on, wherever it stands."""
    n = len(t)
    text, units, end_punct, bullet = t.text, t.units, t.end_punct, t.bullet
    cards = []
    for i in range(start, n - 1):
        if units[i] not in NAME_UNITS or end_punct[i] or bullet[i]:
            continue
        for j in range(i + 1, min(n, i + CARD_GAP + 2)):
            if prose[j]:
                if is_name_line(text[i], stop) and opens_with_name(text[j], text[i]):
                    cards.append((i, j))
                break
            if units[j] > MAX_TITLE_UNITS or end_punct[j]:
                break
    return cards
