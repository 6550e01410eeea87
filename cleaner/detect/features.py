"""Per-line evidence: what a single line of whole-page text says about itself.

Everything here is cheap string arithmetic on one line (the detector must run at >= 10 MB/s in pure
Python), plus a document-level language guess that picks the stop-word list. Context between lines
(runs, regions) is the job of :mod:`cleaner.detect.context`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cleaner.detect.data import UNSPACED_PARTICLES, stopword_index, stopwords
from cleaner.detect.phrases import PhraseMatcher

#: inscriptis list bullets plus the usual typographic ones.
BULLETS = ("* ", "+ ", "o ", "- ", "• ", "· ", "– ")
BARE_BULLETS = frozenset({"*", "+", "o", "-", "•", "·"})

#: Characters a sentence may end with (closing quotes and brackets count: prose often ends in a quote).
SENTENCE_END = frozenset(".!?。！？…\"”’'»)」』")
#: Inner sentence and clause punctuation, counted as evidence of running prose.
INNER = re.compile(r"[.!?;:][\s\"”’)]|[,、，。；]")
#: Separators that join menu items or breadcrumb steps on one line.
SEPARATORS = re.compile(r"[|›»·•/>«‹]|\s-\s")
WORD = re.compile(r"\w+")
HANGUL_PARTICLES = frozenset("은는이가을를에의도로과와다요")

KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of the document and its own features.

    ``units`` is the word count, or for unspaced scripts half the character count (roughly words).
    ``prose_words`` counts stop words (or particles) - the signature of running text.
    """

    index: int
    start: int
    end: int
    text: str
    block: int
    units: int
    chars: int
    bullet: bool
    end_punct: bool
    colon_end: bool
    inner_punct: int
    prose_words: int
    capitalised: int
    digits: int
    separators: int
    phrase: str | None
    repeated: bool


def guess_language(text: str) -> str:
    """Best-guess ISO 639-1 code from script and stop-word hits on a sample of the text.

    The guess only chooses which stop-word list to count, so a rough answer is enough; it samples at
    most a few thousand characters to stay cheap.
    """
    sample = text[:2000] + text[len(text) // 2 : len(text) // 2 + 2000]
    kana = len(KANA.findall(sample))
    han = len(HAN.findall(sample))
    hangul = len(HANGUL.findall(sample))
    if kana > 30:
        return "ja"
    if han > 60 and han > hangul:
        return "zh"
    if hangul > 60:
        return "ko"
    index = stopword_index()
    hits: Counter[str] = Counter()
    for word in WORD.findall(sample.lower()):
        langs = index.get(word)
        if langs:
            hits.update(langs)
    if not hits:
        return "en"
    # stopwords-iso's English list is long; prefer English only when it wins clearly.
    best, count = hits.most_common(1)[0]
    return best if count > 0 else "en"


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
        return sum(1 for w in words if w.lower() in sw)

    return count_spaced


def split_lines(text: str, lang: str, phrases: PhraseMatcher) -> list[Line]:
    """Split ``text`` into non-blank :class:`Line` records with offsets covering the newline."""
    count_prose = _prose_counter(lang)
    unspaced = lang in ("ja", "zh", "th")
    raw = text.split("\n")
    seen = Counter(s for s in (r.strip() for r in raw) if len(s) > 3)
    lines: list[Line] = []
    pos = 0
    block = 0
    prev_blank = True
    for raw_line in raw:
        start = pos
        pos += len(raw_line) + 1
        stripped = raw_line.strip()
        if not stripped:
            if not prev_blank:
                block += 1
            prev_blank = True
            continue
        prev_blank = False
        bullet = stripped in BARE_BULLETS or stripped[:2] in BULLETS
        content = stripped[2:] if bullet and len(stripped) > 1 else ("" if bullet else stripped)
        words = content.split()
        chars = len(content)
        units = max(len(words), chars // 2) if unspaced else len(words)
        last = content[-1:] if content else ""
        lines.append(
            Line(
                index=len(lines),
                start=start,
                end=min(pos, len(text)),
                text=content,
                block=block,
                units=units,
                chars=chars,
                bullet=bullet,
                end_punct=last in SENTENCE_END and not content.endswith(("...", "…")) or content.endswith("?"),
                colon_end=last == ":",
                inner_punct=len(INNER.findall(content)),
                prose_words=count_prose(content, words) if words else 0,
                capitalised=sum(1 for w in words if w[:1].isupper()),
                digits=sum(1 for ch in content if ch.isdigit()),
                separators=len(SEPARATORS.findall(content)),
                phrase=phrases.match(content) if units <= 30 else None,
                repeated=seen[stripped] > 1,
            )
        )
    return lines
