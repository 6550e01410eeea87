"""Boilerplate detection on an extractor's output (HTML mode), not on whole-page text.

trafilatura has already cut menus and footers; what it leaves behind is different from a crawl
dump: one line per paragraph, ``- `` list items and ``| `` table rows, and at the edges of the
article a few leftovers - a "related stories" run of headlines at the end, a newsletter or app
pitch, a share line, a caption or credit. The whole-page detector (:mod:`cleaner.detect.detector`)
is tuned on dumps where most lines are chrome; on extracted text it removed real paragraphs. This
module is the same kind of interpretable model - per-line features, the same features in context, two
stacked logistic regressions - trained on extracted text (``scripts/train_html_detector.py``), with
weights in ``html_weights.json``.

Precision first: the benchmark's gold is mostly what trafilatura kept, so a line is removed only when
the model is confident, a line that reads as prose only when it is very confident, and detection
falls back (nothing removed, a warning) when it would remove more than ``MAX_REMOVED_SHARE`` of the
text.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from cleaner.detect.context import clip, logits, window_means
from cleaner.detect.features import LineCache, LineTable, guess_language, split_lines
from cleaner.detect.model import Linear
from cleaner.detect.phrases import default_matcher
from cleaner.detect.spans import Detection, DetectionResult, remove_spans

WEIGHTS = Path(__file__).with_name("html_weights.json")

#: Detection gives up (removes nothing, warns) rather than remove more than this share of the characters:
#: trafilatura chose the text as the article, so losing most of it means the model misread the page.
MAX_REMOVED_SHARE = 0.4
#: Phrase categories of ``rules/lang`` that are notices rather than links or buttons.
LEGAL = frozenset({"legal", "cookie"})
END_MARKERS = frozenset({"end-marker"})
#: Short lines (in words) that count as labels: a run of them is a link list, tag cloud or fact box.
SHORT_UNITS = 6
#: Lines up to this many words may be headlines (of related stories) when unpunctuated.
HEADLINE_UNITS = 20
#: Calls to action and promotion wording, at the start of a line or anywhere in it.
CTA_START = re.compile(
    r"^(?:click|tap|sign up|subscribe|register|download|join|follow|buy|shop|order|book now|learn more|"
    r"read more|find out|discover|try|start your|watch|listen|contact us|call us|visit|check out|"
    r"don'?t miss|see more|explore|get (?:the|your|our|a|it|started|access)|sponsored|advertisement|"
    r"related|recommended|more from|you may also|you might also|also read|see also|read next|up next)\b",
    re.I,
)
CTA_ANY = re.compile(
    r"(?:click here|sign up|subscribe|newsletter|free trial|promo code|coupon|% off|affiliate|"
    r"sponsored|our partners|terms of (?:use|service)|privacy policy|all rights reserved|©|\(c\) \d{4}|"
    r"photo(?:graph)?s? by|image(?: credit)?:|credit:|getty images|shutterstock|\bad\b|cookies?)",
    re.I,
)
ADDRESS = re.compile(r"https?://|www\.|@\w|\.com\b|\.org\b", re.I)
CODE_CHARS = frozenset("{};=<>()[]$/\\_")
#: Share of the characters counted as the start or the end of the text, where leftovers gather.
EDGE_SHARE = 0.15

FEATURE_NAMES: tuple[str, ...] = (
    "log_units",
    "end_punct",
    "prose",
    "stop_ratio",
    "cap_ratio",
    "bullet",
    "table_row",
    "colon_end",
    "phrase_chrome",
    "phrase_legal",
    "phrase_end_marker",
    "cta_start",
    "cta_any",
    "address",
    "digit_ratio",
    "code_ratio",
    "repeated",
    "log_same_start",
    "chars_before",
    "chars_after",
    "prose_after",
    "first_line",
    "last_line",
    "tail_not_prose",
    "tail_headline",
    "trailing_run",
    "log_trailing_run",
    "head_not_prose",
    "after_end_heading",
    "log_short_run",
    "log_bullet_run",
    "log_headline_run",
    "ctx1_prose",
    "ctx2_log_units",
    "ctx2_bullet",
    "ctx2_end_punct",
)

STAGE2_NAMES: tuple[str, ...] = (
    "z1",
    "z1_ctx1",
    "z1_ctx3",
    "z1_after_mean",
    "prose",
    "chars_after",
    "log_units",
)


def _runs(flags: list[bool]) -> list[int]:
    """For each line, the length of the run of consecutive flagged lines it belongs to (0 if unflagged)."""
    out = [0] * len(flags)
    i, n = 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j
    return out


def _f(values: list[bool]) -> list[float]:
    return [1.0 if v else 0.0 for v in values]


def prose_flags(t: LineTable) -> list[bool]:
    """Lines that read as running text: several words, sentence punctuation, function words.

    Defined here rather than shared with the whole-page detector, whose definition is tuned with
    its own weights: a change there must not silently shift this model's features.
    """
    return [
        units >= 8 and (end or inner >= 2) and pw >= 0.15 * units
        for units, end, inner, pw in zip(t.units, t.end_punct, t.inner_punct, t.prose_words, strict=True)
    ]


def line_table(text: str, cache: LineCache | None = None) -> LineTable:
    """The non-blank lines of ``text`` with the whole-page detector's per-line measurements."""
    return split_lines(text, guess_language(text), default_matcher(), cache)


def feature_columns(t: LineTable) -> tuple[list[list[float]], list[bool]]:
    """Feature columns (in ``FEATURE_NAMES`` order) for the lines of ``t``, and the prose flags.

    Position is measured in characters from both ends: leftovers of an extraction sit at the end
    (related lists, pitches) or the start (kicker, credits), and "how much article is still to come"
    (``prose_after``) separates a mid-article subheading from a trailing headline.
    """
    n = len(t)
    prose = prose_flags(t)
    log1p = math.log1p
    units, text = t.units, t.text
    safe_units = [u or 1 for u in units]
    total = float(sum(t.chars)) or 1.0
    cum = [0, *accumulate(t.chars)]
    prose_chars = [c if p else 0 for c, p in zip(t.chars, prose, strict=True)]
    total_prose = float(sum(prose_chars)) or 1.0
    prose_cum = [0, *accumulate(prose_chars)]
    phrases = t.phrase
    table_row = [s.startswith("|") for s in text]
    short = [u <= SHORT_UNITS and not p for u, p in zip(units, prose, strict=True)]
    headline = [
        3 <= u <= HEADLINE_UNITS and not e and not p for u, e, p in zip(units, t.end_punct, prose, strict=True)
    ]
    end = _end_heading(t)
    # The final run of non-prose lines (nothing reading as prose after them): where related lists sit.
    last_prose = max((i for i, p in enumerate(prose) if p), default=-1)
    trailing = [i > last_prose for i in range(n)]
    log_units = list(map(log1p, units))
    bullets = _f(t.bullet)
    end_punct = _f(t.end_punct)
    columns = [
        log_units,
        end_punct,
        _f(prose),
        [pw / u for pw, u in zip(t.prose_words, safe_units, strict=True)],
        [c / u for c, u in zip(t.capitalised, safe_units, strict=True)],
        bullets,
        _f(table_row),
        _f(t.colon_end),
        [1.0 if p and p not in LEGAL and p not in END_MARKERS else 0.0 for p in phrases],
        [1.0 if p in LEGAL else 0.0 for p in phrases],
        [1.0 if p in END_MARKERS else 0.0 for p in phrases],
        [1.0 if u <= HEADLINE_UNITS and CTA_START.match(s) else 0.0 for s, u in zip(text, units, strict=True)],
        [1.0 if u <= 60 and CTA_ANY.search(s) else 0.0 for s, u in zip(text, units, strict=True)],
        [1.0 if ADDRESS.search(s) else 0.0 for s in text],
        [sum(ch.isdigit() for ch in s) / (len(s) or 1) for s in text],
        [sum(map(CODE_CHARS.__contains__, s)) / (len(s) or 1) for s in text],
        _f(t.repeated),
        list(map(log1p, t.same_start)),
        [c / total for c in cum[:-1]],
        [1.0 - c / total for c in cum[1:]],
        [1.0 - c / total_prose for c in prose_cum[1:]],
        _f([i == 0 for i in range(n)]),
        _f([i == n - 1 for i in range(n)]),
        _f([not p and c > total - EDGE_SHARE * total for p, c in zip(prose, cum[:-1], strict=True)]),
        _f([h and c > total - EDGE_SHARE * total for h, c in zip(headline, cum[:-1], strict=True)]),
        _f([not p and c < EDGE_SHARE * total for p, c in zip(prose, cum[1:], strict=True)]),
        _f(trailing),
        [log1p(n - 1 - last_prose) if tr else 0.0 for tr in trailing],
        [0.0] * end + [1.0] * (n - end),
        list(map(log1p, _runs(short))),
        list(map(log1p, _runs(t.bullet))),
        list(map(log1p, _runs(headline))),
        window_means(_f(prose), 1),
        window_means(log_units, 2),
        window_means(bullets, 2),
        window_means(end_punct, 2),
    ]
    return columns, prose


def _end_heading(t: LineTable) -> int:
    """Index of the first short end-marker heading ("Related articles", "Comments") after the first
    prose line, or ``len(t)``: everything from there on follows the article."""
    prose = prose_flags(t)
    first = prose.index(True) if True in prose else len(t)
    for i in t.marks("end-marker"):
        if i > first and t.units[i] <= 5 and ":" not in t.text[i][:-1]:
            return i
    return len(t)


def stage2_columns(z1: list[float], t: LineTable, columns: list[list[float]], prose: list[bool]) -> list[list[float]]:
    """Second-stage features: the line's first-stage score, its neighbours', and the rest of the page's.

    Leftovers come in runs and at the end: a borderline line followed only by low scores is part of a
    trailing list; one followed by article paragraphs is a subheading.
    """
    clipped = clip(z1)
    n = len(clipped)
    suffix = list(accumulate(reversed(clipped)))[::-1]
    after_mean = [(suffix[i + 1] / (n - i - 1)) if i + 1 < n else -8.0 for i in range(n)]
    names = FEATURE_NAMES
    return [
        clipped,
        window_means(clipped, 1),
        window_means(clipped, 3),
        after_mean,
        _f(prose),
        columns[names.index("chars_after")],
        columns[names.index("log_units")],
    ]


_TRAINER = "scripts/train_html_detector.py"


@dataclass(frozen=True)
class HtmlLineModel:
    """Two stacked layers and two cut-offs on the final log-odds that a line is article text.

    A line scoring below ``threshold`` is removed; a line that reads as prose only below
    ``prose_threshold`` (lower: the model must be very confident to cut a paragraph).
    """

    stage1: Linear
    stage2: Linear | None
    threshold: float
    prose_threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> HtmlLineModel:
        """Build from the layout of ``html_weights.json``."""
        stage2 = data.get("stage2")
        return cls(
            Linear.from_dict(data["stage1"], FEATURE_NAMES, trainer=_TRAINER),
            Linear.from_dict(stage2, STAGE2_NAMES, trainer=_TRAINER) if stage2 else None,
            float(data["threshold"]),
            float(data["prose_threshold"]),
        )

    def scores(self, t: LineTable) -> tuple[list[float], list[bool]]:
        """Final log-odds per line that it is article text, and the prose flags."""
        columns, prose = feature_columns(t)
        z1 = logits(columns, self.stage1.coef, self.stage1.intercept)
        if self.stage2 is None:
            return z1, prose
        return logits(stage2_columns(z1, t, columns, prose), self.stage2.coef, self.stage2.intercept), prose


@functools.cache
def default_html_model() -> HtmlLineModel:
    """The shipped model, loaded once per process."""
    return HtmlLineModel.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def detect_extracted(
    text: str, *, url: str | None = None, model: HtmlLineModel | None = None, cache: LineCache | None = None
) -> DetectionResult:
    """Find leftover boilerplate lines in an extractor's output and explain each removal.

    Same interface as :func:`cleaner.detect.detect_boilerplate`; ``url`` is accepted and unused,
    ``model`` lets the training script score with held-out weights, ``cache`` as there.
    """
    del url
    table = line_table(text, cache)
    if not len(table):
        return DetectionResult(())
    model = model or default_html_model()
    scores, prose = model.scores(table)
    removed = [
        z < (model.prose_threshold if p else model.threshold) for z, p in zip(scores, prose, strict=True)
    ]
    if not any(removed):
        return DetectionResult(())
    total = sum(table.chars)
    cut = sum(c for c, r in zip(table.chars, removed, strict=True) if r)
    if cut >= total or cut > MAX_REMOVED_SHARE * total:
        return DetectionResult(
            (),
            fell_back=True,
            warning=f"html detection would remove {cut} of {total} characters of the extracted text: kept everything",
        )
    return DetectionResult(_spans(table, removed, scores))


def _spans(t: LineTable, removed: list[bool], scores: list[float]) -> tuple[Detection, ...]:
    """Consecutive removed lines as one span, with a rule id by shape and the scores as evidence."""
    spans: list[Detection] = []
    n = len(t)
    i = 0
    while i < n:
        if not removed[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and removed[j + 1]:
            j += 1
        rule = _rule(t, i, j)
        worst = min(scores[i : j + 1])
        lines = "line" if i == j else f"{j - i + 1} lines"
        evidence = f"{lines}, article log-odds at most {worst:+.1f}, e.g. {t.text[i][:40]!r}"
        spans.append(Detection(t.start[i], t.end[j], rule, evidence))
        i = j + 1
    return tuple(spans)


def _rule(t: LineTable, i: int, j: int) -> str:
    """Rule id for removed lines ``i..j``: what the run looks like, for ``boilerstrip explain``."""
    phrase = next((p for p in t.phrase[i : j + 1] if p), None)
    if phrase:
        return f"html-detect:{phrase}"
    if j == len(t) - 1 and j > i:
        return "html-detect:trailing-list"
    if all(t.bullet[i : j + 1]):
        return "html-detect:link-list"
    return "html-detect:low-score"


def clean_extracted_only(text: str, url: str | None = None) -> str:
    """Extracted text cleaned by this detector alone: for evaluation."""
    return remove_spans(text, detect_extracted(text, url=url).spans)
