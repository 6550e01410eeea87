"""Decide which lines of a page's text are boilerplate, and explain each removal.

Steps: per-line features (:mod:`features`), features in context (:mod:`context`), a learned score per
line (:mod:`model`), the article region (the run of lines whose scores add up most, weighted by length),
then the precision guard: a line that reads as prose inside the region is never removed. Removed
lines are grouped into spans, each with a rule id and a human-readable reason (:mod:`structures`).
"""

from __future__ import annotations

from itertools import compress
from operator import not_

from cleaner.detect.context import article_region, author_cards, feature_columns, first_end
from cleaner.detect.data import stopwords
from cleaner.detect.features import LineCache, LineTable, guess_language, split_lines
from cleaner.detect.model import LineModel, default_model
from cleaner.detect.phrases import default_matcher
from cleaner.detect.spans import DetectionResult, remove_spans
from cleaner.detect.structures import explain

#: Below this share of the document's characters kept, with no prose line kept, detection gives up.
MIN_KEPT_SHARE = 0.02
#: A list item of at most this many words outside the article region is a menu entry.
NAV_ITEM_UNITS = 4
#: Lines of chrome above the article that mark the text as a whole-page dump (see the head cut).
MIN_HEAD_CHROME = 3
#: A line ending like a sentence with at least this many words extends the region like prose.
MIN_SENTENCE_UNITS = 4
#: Short non-prose lines the region may cross to reach more prose (timestamps, rules, captions).
MAX_GAP = 2
#: Phrase categories that the prose guard does not protect: a cookie notice reads like a sentence, and so
#: does a share button's label ("Click to share on Facebook (Opens in new window)").
UNGUARDED = frozenset(
    {"cookie", "legal", "comment-form", "newsletter", "login", "comment-meta", "comment-count", "caption", "ad",
     "share", "follow"}
)
#: Phrase categories removed wherever they stand: a share button or an ad label is never article text.
FORCED = frozenset(
    {"share", "follow", "newsletter", "login", "cookie", "comment-form", "comment-meta", "comment-count", "teaser",
     "caption", "ad"}
)


def trim_region(prose: list[bool], lo: int, hi: int) -> tuple[int, int]:
    """Shrink the region to its first and last prose line: the article starts and ends in prose."""
    inside = [i for i in range(lo, hi + 1) if prose[i]]
    return (inside[0], inside[-1]) if inside else (lo, hi)


def extend_region(table: LineTable, prose: list[bool], lo: int, hi: int, limit: int) -> tuple[int, int]:
    """Grow the region over adjacent prose: the article's first and last paragraphs score low
    (their neighbours are chrome) but still read as prose next to the article.

    A gap of up to ``MAX_GAP`` short lines without a phrase ("10 p.m.", "___") is crossed when
    prose follows it; anything else stops the growth, and so does ``limit`` (the article's end).
    """
    n = len(table)
    phrases, units, end_punct = table.phrase, table.units, table.end_punct

    def step(i: int, direction: int) -> int:
        best = i
        j = i + direction
        gap = 0
        while 0 <= j < n and j < limit and gap <= MAX_GAP:
            if (prose[j] or (end_punct[j] and units[j] >= MIN_SENTENCE_UNITS)) and phrases[j] is None:
                best, gap = j, 0
            elif phrases[j] is None and units[j] <= 6:
                gap += 1
            else:
                break
            j += direction
        return best

    if hi < lo:
        return lo, hi
    return step(lo, -1), step(hi, 1)


def detect_boilerplate(
    text: str, *, url: str | None = None, model: LineModel | None = None, cache: LineCache | None = None
) -> DetectionResult:
    """Find boilerplate lines in ``text`` (page text with no site rule) and explain each removal.

    ``url`` is accepted for the engine's interface; detection reads only the text. ``model`` lets
    the training script score with held-out weights; ``cache`` carries per-line evidence from one
    pass over a document to the next (see :class:`LineCache`).
    """
    del url
    lang = guess_language(text)
    table = split_lines(text, lang, default_matcher(), cache)
    if not len(table):
        return DetectionResult(())
    model = model or default_model()
    columns, prose = feature_columns(table)
    scores = model.scores(columns, table, prose)
    threshold = model.threshold
    lo, hi = article_region(table.units, scores, threshold)
    # Comments and "related" teasers read as prose, but a "Comments" / "Related articles" heading or
    # a comment thread after the start of the article says the article is over: no guard past it.
    lo, hi = trim_region(prose, lo, hi)
    end = first_end(table, lo)
    # A heading that counts the comments and names the post ("3 thoughts on “Title”") opens the thread:
    # everything from it on is readers' text, however much it reads like prose.
    thread = next((i for i in table.marks("comment-count") if i > lo), len(table))
    end = min(end, thread)
    lo, hi = extend_region(table, prose, lo, hi, end)
    phrases = table.phrase
    removed = [z < threshold or p in FORCED for z, p in zip(scores, phrases, strict=True)]
    units, end_punct = table.units, table.end_punct
    for i in range(lo, min(hi + 1, end)):
        if removed[i] and phrases[i] not in UNGUARDED and (
            prose[i] or (end_punct[i] and units[i] >= MIN_SENTENCE_UNITS)
        ):
            removed[i] = False
    # Outside the article region a short list item is navigation, however its neighbours score.
    bullet = table.bullet
    for i in (*range(lo), *range(hi + 1, len(table))):
        if bullet[i] and units[i] <= NAV_ITEM_UNITS:
            removed[i] = True
    # On a whole-page dump (chrome already found above the article), the headline, byline and date
    # lines between the chrome and the first paragraph go too: they are not article text. On clean
    # text (nothing removed above the article) the title stays.
    if sum(removed[:lo]) >= MIN_HEAD_CHROME:
        for i in range(lo):
            if not prose[i] and not end_punct[i]:
                removed[i] = True
    if end < len(table) and (end == thread or table.phrase[end:].count("comment-meta") >= 2):
        removed[end:] = [True] * (len(table) - end)
    # The author box after the article: its bio reads as prose, but the name line above it and its
    # place at the end of the prose say it is no article text (see :func:`author_cards`).
    bios = author_cards(table, prose, stopwords(lang))
    for i, j in bios:
        removed[i : j + 1] = [True] * (j + 1 - i)

    total = sum(table.chars)
    kept = sum(compress(table.chars, map(not_, removed)))
    kept_prose = any(p and not r for p, r in zip(prose, removed, strict=True))
    if kept == 0 or (kept < MIN_KEPT_SHARE * total and not kept_prose):
        return DetectionResult(
            (),
            fell_back=True,
            warning=f"detection would keep {kept} of {total} characters and no prose line: kept everything",
        )
    return DetectionResult(explain(table, removed, prose, (lo, hi), bios))


def clean_text_only(text: str, url: str | None = None) -> str:
    """Text-mode cleaning by detection alone (no site rules): for the quality harness."""
    return remove_spans(text, detect_boilerplate(text, url=url).spans)
