"""Per-line evidence: what a single line of whole-page text says about itself.

Everything here is cheap string arithmetic on one line (the detector must run at >= 10 MB/s in pure
Python), plus a document-level language guess that picks the stop-word list. Context between lines
(runs, regions) is the job of :mod:`cleaner.detect.context`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from cleaner.detect.data import UNSPACED_PARTICLES, stopword_sets, stopwords
from cleaner.detect.phrases import PhraseMatcher

#: inscriptis list bullets plus the usual typographic ones.
BULLETS = frozenset({"* ", "+ ", "o ", "- ", "• ", "· ", "– "})
BARE_BULLETS = frozenset({"*", "+", "o", "-", "•", "·"})

#: Characters a sentence may end with (closing quotes and brackets count: prose often ends in a quote).
SENTENCE_END = frozenset(".!?。！？\"”’'»)」』")
WORD = re.compile(r"\w+")
HANGUL_PARTICLES = frozenset("은는이가을를에의도로과와다요")

KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
#: Comment-thread metadata: "jdoe says:", "November 19, 2019 at 6:34 am", "19.11.2019 в 10:15".
COMMENT_AUTHOR = re.compile(
    r"(?:^|\s)(?:says|said|wrote|writes|replied|disse|escreveu|dice|scrive|écrit|schreibt|пишет|написал|написала)\s*:?$",
    re.IGNORECASE,
)
COMMENT_TIME = re.compile(
    r"^(?:\w+\.? \d{1,2},? \d{4}|\d{1,2}\.? \w+\.? \d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?: at| às| alle| à| um| в|,)? \d{1,2}:\d{2}"
)
#: Lines with at most this many words get the phrase lookup (chrome phrases are short).
PHRASE_MAX_UNITS = 12
#: Lines longer than this are article prose or lists, never one cookie/copyright notice.
CONTAINS_MAX_UNITS = 100


@dataclass(slots=True)
class LineTable:
    """Non-blank lines of one document, column by column.

    Columns rather than one object per line: the detector runs at >= 10 MB/s in pure Python, and
    column lists let the context features use C-level ``map``/``accumulate``. ``units`` is the word
    count (for unspaced scripts half the character count); ``prose_words`` counts stop words, or
    particles in Japanese, Chinese and Korean - the signature of running text.
    """

    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    block: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    chars: list[int] = field(default_factory=list)
    bullet: list[bool] = field(default_factory=list)
    end_punct: list[bool] = field(default_factory=list)
    colon_end: list[bool] = field(default_factory=list)
    inner_punct: list[int] = field(default_factory=list)
    prose_words: list[int] = field(default_factory=list)
    capitalised: list[int] = field(default_factory=list)
    separators: list[int] = field(default_factory=list)
    phrase: list[str | None] = field(default_factory=list)
    repeated: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.text)


def guess_language(text: str) -> str:
    """Best-guess ISO 639-1 code from script and stop-word hits on a sample of the text.

    The guess only chooses which stop-word list to count, so a rough answer is enough; it samples a
    few thousand characters to stay cheap.
    """
    sample = text[:1500] + text[len(text) // 2 : len(text) // 2 + 1500]
    kana = len(KANA.findall(sample))
    han = len(HAN.findall(sample))
    hangul = len(HANGUL.findall(sample))
    if kana > 30:
        return "ja"
    if han > 60 and han > hangul:
        return "zh"
    if hangul > 60:
        return "ko"
    words = set(WORD.findall(sample.lower()))
    best, best_hits = "en", 0
    for lang, sw in stopword_sets().items():
        hits = len(words & sw)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best


def _prose_counter(lang: str):
    """Return a function counting stop words / particles among a line's words."""
    if lang in ("ja", "zh", "th"):
        particles = UNSPACED_PARTICLES

        def count_unspaced(content: str, words: list[str]) -> int:
            return sum(1 for ch in content if ch in particles)

        return count_unspaced
    if lang == "ko":

        def count_korean(content: str, words: list[str]) -> int:
            return sum(1 for w in words if w[-1] in HANGUL_PARTICLES)

        return count_korean
    sw = stopwords(lang) or stopwords("en")

    def count_spaced(content: str, words: list[str]) -> int:
        return sum(map(sw.__contains__, content.lower().split()))

    return count_spaced


def split_lines(text: str, lang: str, phrases: PhraseMatcher) -> LineTable:
    """Split ``text`` into a :class:`LineTable` of its non-blank lines (offsets cover the newline)."""
    count_prose = _prose_counter(lang)
    unspaced = lang in ("ja", "zh", "th")
    raw = text.split("\n")
    stripped_all = [r.strip() for r in raw]
    seen = Counter(stripped_all)
    match = phrases.match
    rows = []
    pos = 0
    block = 0
    prev_blank = True
    size = len(text)
    for raw_line, stripped in zip(raw, stripped_all, strict=True):
        start = pos
        pos += len(raw_line) + 1
        if not stripped:
            if not prev_blank:
                block += 1
            prev_blank = True
            continue
        prev_blank = False
        bullet = stripped in BARE_BULLETS or stripped[:2] in BULLETS
        content = (stripped[2:] if len(stripped) > 1 else "") if bullet else stripped
        words = content.split()
        chars = len(content)
        units = max(len(words), chars // 2) if unspaced else len(words)
        last = content[-1:]
        short = units <= PHRASE_MAX_UNITS
        if units >= 3:
            inner = (content.count(", ") + content.count(". ") + content.count("、")
                     + content.count("。") + content.count("，"))
            prose_words = count_prose(content, words)
            caps = sum(map(str.istitle, words))
        else:
            inner = prose_words = caps = 0
        rows.append((
            start,
            pos if pos < size else size,
            content,
            block,
            units,
            chars,
            bullet,
            (last in SENTENCE_END and last != ".") or (last == "." and not content.endswith("...")),
            last == ":",
            inner,
            prose_words,
            caps,
            content.count("|") + content.count("›") + content.count("»") + content.count(" / ") if short else 0,
            (match(content) or _comment_meta(content, units)) if short else None,
            chars > 3 and seen[stripped] > 1,
        ))
    table = LineTable(*map(list, zip(*rows, strict=True))) if rows else LineTable()
    _mark_contains(table, text, phrases)
    return table


def _comment_meta(content: str, units: int) -> str | None:
    """``"comment-meta"`` for a comment's author or timestamp line, else ``None``."""
    if units <= 8 and (COMMENT_AUTHOR.search(content) or COMMENT_TIME.match(content)):
        return "comment-meta"
    return None


def _mark_contains(table: LineTable, text: str, phrases: PhraseMatcher) -> None:
    """Set the phrase of lines holding a ``contains`` phrase (cookie notice, copyright line)."""
    lowered = text.lower()
    hits = phrases.contains(lowered) if len(lowered) == len(text) else []
    if not hits:
        return
    starts = table.start
    for offset, category in hits:
        i = bisect_right(starts, offset) - 1
        if 0 <= i < len(starts) and table.phrase[i] is None and table.units[i] <= CONTAINS_MAX_UNITS:
            table.phrase[i] = category
