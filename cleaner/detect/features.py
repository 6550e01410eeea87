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
from itertools import accumulate, chain, compress, repeat
from operator import add, and_, eq, gt, itemgetter, or_, sub

from cleaner.detect.data import UNSPACED, UNSPACED_PARTICLES, stopword_index, stopwords
from cleaner.detect.phrases import BYLINE_CUE, CREDIT_CUE, LEADING, PhraseMatcher, ends_in_credit

#: inscriptis list bullets plus the usual typographic ones.
BULLETS = frozenset({"* ", "+ ", "o ", "- ", "• ", "· ", "– "})
BARE_BULLETS = frozenset({"*", "+", "o", "-", "•", "·"})
#: What a bulleted line's first two characters are (a stripped line never ends in a space).
BULLET_STARTS = BULLETS | BARE_BULLETS
FIRST_TWO = itemgetter(slice(None, 2))
LAST_ONE = itemgetter(slice(-1, None))

#: Characters a sentence may end with (closing quotes and brackets count: prose often ends in a quote).
SENTENCE_END = frozenset(".!?。！？\"”’'»)」』")
SENTENCE_END_NOT_DOT = SENTENCE_END - {"."}
WORD = re.compile(r"\w+")
HANGUL_PARTICLES = frozenset("은는이가을를에의도로과와다요")

#: First code point of the CJK blocks (radicals, kana, ideographs, Hangul, full-width forms).
CJK_START = "\u2e80"
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
#: Capitalised words are counted on lines up to this long (headline-ness; long lines are prose or lists).
CAPS_MAX_UNITS = 24
#: Stop words are counted only on lines this long: the prose test needs no more.
PROSE_MIN_UNITS = 8
#: Comment-thread metadata: "jdoe says:", "November 19, 2019 at 6:34 am", "19.11.2019 в 10:15".
COMMENT_VERBS = (
    "says", "said", "wrote", "writes", "replied", "disse", "escreveu", "dice", "scrive", "écrit", "schreibt",
    "пишет", "написал", "написала",
)
COMMENT_TIME = re.compile(
    r"(?:\w+\.? \d{1,2},? \d{4}|\d{1,2}\.? \w+\.? \d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?: at| às| alle| à| um| в|,)? \d{1,2}:\d{2}"
)
#: The heading of a comment thread that counts it and names the post: "3 thoughts on “Title”",
#: "2 responses to “Title”", "12 comentários em “Título”" (the blog engines' standard wording). Not
#: "0 comments on ...": an empty count is post metadata, often in the byline, and opens no thread.
COMMENT_COUNT = re.compile(
    r"(?:[1-9][\d,.]*|one) (?:thoughts?|responses?|comments?|replies|reactions?|comentários|comentarios|"
    r"commenti|commentaires|kommentare|комментари\w*) (?:on|to|em|en|su|sur|zu|к|на) [\"“”„«‘'\w]"
)
#: First characters of a ``COMMENT_COUNT`` match.
COUNT_STARTS = frozenset("123456789o")
#: A comment's reply link, naming the comment it answers ("Reply to Jane Doe"): comment metadata once
#: :func:`_line_rows` has seen the capitalised name. ``REPLY_CUE`` is never a line's category.
REPLY_OPENERS = ("reply to ", "replying to ", "in reply to ")
REPLY_MAX_UNITS = 6
REPLY_CUE = "reply-cue"
#: Lines with at most this many words get the phrase lookup (chrome phrases are short).
PHRASE_MAX_UNITS = 12
#: Lines longer than this are article prose or lists, never one cookie/copyright notice.
CONTAINS_MAX_UNITS = 100
#: A byline is short: "By Jane Doe and John Roe, Staff Writers".
BYLINE_MAX_UNITS = 10


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
    phrase: list[str | None] = field(default_factory=list)
    repeated: list[bool] = field(default_factory=list)
    same_start: list[int] = field(default_factory=list)
    #: :meth:`marks` by category, filled on first use: a detection pass asks for the same marks
    #: nine times (three searches for the article's end), and the columns never change once built.
    _marks: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.text)

    def marks(self, category: str) -> list[int]:
        """Sorted indices of the lines whose phrase is ``category`` (do not modify the list)."""
        found = self._marks.get(category)
        if found is None:
            phrase = self.phrase
            found = [i for i, p in enumerate(phrase) if p == category] if category in phrase else []
            self._marks[category] = found
        return found


class LineCache:
    """What each stripped line says about itself (its row of :func:`_line_rows`), per language and matcher.

    One per document: the cleaner runs detection again on the text it kept, and those passes see
    mostly the same lines. Owned by the caller and passed in explicitly, so nothing is shared
    between documents or threads.

    >>> from cleaner.detect.phrases import default_matcher
    >>> cache = LineCache()
    >>> first = split_lines("Share\\nA sentence of the story.", "en", default_matcher(), cache)
    >>> len(cache)
    2
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, PhraseMatcher], dict[str, tuple]] = {}

    def rows_for(self, lang: str, phrases: PhraseMatcher) -> dict[str, tuple]:
        return self._rows.setdefault((lang, phrases), {})

    def __len__(self) -> int:
        return sum(map(len, self._rows.values()))


def guess_language(text: str) -> str:
    """Best-guess ISO 639-1 code from script and stop-word hits on a sample of the text.

    The guess only chooses which stop-word list to count, so a rough answer is enough; it samples a
    few thousand characters to stay cheap.
    """
    sample = text[:800] + text[len(text) // 2 : len(text) // 2 + 1200]
    # Most pages hold none of these scripts: one scan says so, instead of three counts.
    if CJK.search(sample):
        kana = len(KANA.findall(sample))
        han = len(HAN.findall(sample))
        hangul = len(HANGUL.findall(sample))
        if kana > 30:
            return "ja"
        if han > 60 and han > hangul:
            return "zh"
        if hangul > 60:
            return "ko"
    langs = filter(None, map(stopword_index().get, set(WORD.findall(sample.lower()))))
    hits = Counter(chain.from_iterable(langs))
    if not hits:
        return "en"
    # Most distinct stop words wins; ties go to English, then alphabetically (deterministic).
    return max(hits.items(), key=lambda kv: (kv[1], kv[0] == "en", kv[0]))[0]


def _prose_counts(lang: str, low: list[str], words: list[list[str]], units: list[int]) -> list[int]:
    """Stop words (particles for CJK) of each lower-cased line of at least ``PROSE_MIN_UNITS``, else 0.

    One comprehension per language with the membership test bound once: a Python call per line
    would cost more than the counting.
    """
    least = PROSE_MIN_UNITS
    if lang in UNSPACED:
        particle = UNSPACED_PARTICLES.__contains__
        return [sum(map(particle, c)) if u >= least else 0 for c, u in zip(low, units, strict=True)]
    if lang == "ko":
        # A Korean word ending in a particle syllable ("학교에", "정부는").
        ends_in_particle = HANGUL_PARTICLES.__contains__
        last = itemgetter(-1)
        return [
            sum(map(ends_in_particle, map(last, w))) if u >= least else 0 for w, u in zip(words, units, strict=True)
        ]
    stop = (stopwords(lang) or stopwords("en")).__contains__
    return [sum(map(stop, w)) if u >= least else 0 for w, u in zip(words, units, strict=True)]


def split_lines(text: str, lang: str, phrases: PhraseMatcher, cache: LineCache | None = None) -> LineTable:
    """Split ``text`` into a :class:`LineTable` of its non-blank lines (offsets cover the newline).

    What a line says about itself depends only on the line and the language, so it comes from
    :func:`_line_rows` through ``cache`` when one is given (see :class:`LineCache`). What depends
    on the document (offsets, blocks, repetition, ``contains`` phrases) is computed here.
    """
    raw = text.split("\n")
    stripped_all = list(map(str.strip, raw))
    keep = list(compress(range(len(raw)), stripped_all))
    if not keep:
        return LineTable()
    # Offset just past each line's newline, which is where the next line starts.
    ends = list(map(add, accumulate(map(len, raw)), range(1, len(raw) + 1)))
    starts = [0, *ends]
    stripped = list(map(stripped_all.__getitem__, keep))
    known = cache.rows_for(lang, phrases) if cache is not None else {}
    rows = list(map(known.get, stripped))
    if None in rows:
        missing = list(dict.fromkeys(s for s, r in zip(stripped, rows, strict=True) if r is None))
        fresh = dict(zip(missing, _line_rows(missing, lang, phrases), strict=True))
        rows = [r or fresh[s] for s, r in zip(stripped, rows, strict=True)]
        known.update(fresh)
    bullet, content, units, chars, end_punct, colon_end, inner, prose_words, caps, phrase, head, contained = map(
        list, zip(*rows, strict=True)
    )
    seen = Counter(stripped)
    head_counts = Counter(head)
    # ``contains`` phrases are only trusted when lower-casing kept every line's length (offsets). A notice's
    # wording says more than a byline's opening ("By continuing to use this site ...").
    if None not in contained:
        for i in compress(range(len(phrase)), map(bool, contained)):
            if (phrase[i] is None or phrase[i] == "byline") and units[i] <= CONTAINS_MAX_UNITS:
                phrase[i] = contained[i]
    end = list(map(ends.__getitem__, keep))
    # Offsets cover the line's newline; the last line has none.
    end[-1] = min(end[-1], len(text))
    # Lines without a head (under four words) count 0, however many of them there are.
    same = dict(head_counts)
    same[""] = 0
    return LineTable(
        start=list(map(starts.__getitem__, keep)),
        end=end,
        text=content,
        # Blocks are runs of non-blank lines: a new one starts after each gap between kept lines.
        block=list(accumulate(map(gt, map(sub, keep[1:], keep[:-1]), repeat(1)), initial=0)),
        units=units,
        chars=chars,
        bullet=bullet,
        end_punct=end_punct,
        colon_end=colon_end,
        inner_punct=inner,
        prose_words=prose_words,
        capitalised=caps,
        phrase=phrase,
        repeated=list(map(and_, map(gt, chars, repeat(3)), map(gt, map(seen.__getitem__, stripped), repeat(1)))),
        same_start=list(map(same.__getitem__, head)),
    )


def _line_rows(stripped: list[str], lang: str, phrases: PhraseMatcher) -> list[tuple]:
    """Per-line evidence of distinct stripped lines, one tuple per line (fields as unpacked in
    :func:`split_lines`).

    Written column by column with ``map`` over C-level string methods: this is the detector's hot
    loop, and a Python statement per line and feature would cost most of the speed budget.
    """
    # Line by line: a line of ASCII letters lower-cases on the fast path, which one string of the whole
    # page (a single curly quote makes it wide) would not take.
    lowered = list(map(str.lower, stripped))
    # A bullet is a bare bullet character or one and a space ("* ", "• "): the line's first two chars.
    bullet = list(map(BULLET_STARTS.__contains__, map(FIRST_TWO, stripped)))
    content, low = list(stripped), list(lowered)
    for i in compress(range(len(stripped)), bullet):
        content[i], low[i] = stripped[i][2:], lowered[i][2:]
    words = list(map(str.split, low))
    chars = list(map(len, content))
    nwords = list(map(len, words))
    if lang in UNSPACED:
        units = [max(w, c // 2) for w, c in zip(nwords, chars, strict=True)]
    else:
        # A CJK sentence inside a spaced-language page is one "word": count it like unspaced text.
        units = [
            max(w, n // 2) if w <= 2 and n > 6 and c[0] >= CJK_START else w
            for w, n, c in zip(nwords, chars, content, strict=True)
        ]
    last = list(map(LAST_ONE, content))
    # Sentence punctuation, where a full stop counts and an ellipsis does not.
    full_stop = map(gt, map(eq, last, repeat(".")), map(str.endswith, content, repeat("...")))
    end_punct = list(map(or_, map(SENTENCE_END_NOT_DOT.__contains__, last), full_stop))
    prose_words = _prose_counts(lang, low, words, units)
    inner = list(map(add, map(str.count, content, repeat(", ")), map(str.count, content, repeat(". "))))
    if lang in UNSPACED:
        inner = list(map(add, inner, map(str.count, content, repeat("、"))))
        inner = list(map(add, inner, map(str.count, content, repeat("。"))))
    caps = [
        sum(map(str.istitle, c.split())) if 3 <= u <= CAPS_MAX_UNITS else 0
        for c, u in zip(content, units, strict=True)
    ]
    match = phrases.match
    # A comment-count heading names the post, so it may be longer than any phrase.
    starts = COUNT_STARTS
    phrase = [
        (match(c) or _comment_meta(c, u))
        if u <= PHRASE_MAX_UNITS
        else _comment_count(c) if c[:1] in starts else None
        for c, u in zip(low, units, strict=True)
    ]
    # Generated link lists ("Best gym in Austin", "Best gym in Dallas" ...) repeat their first words.
    head = [" ".join(w[:3]) if k >= 4 else "" for w, k in zip(words, nwords, strict=True)]
    # The phrase lookup flags lines that open like a byline; whether a capitalised name follows is checked
    # here, where the capitals are: then the line is a "byline", else it has no phrase.
    if BYLINE_CUE in phrase:
        for i in compress(range(len(low)), map(eq, phrase, repeat(BYLINE_CUE))):
            byline = units[i] <= BYLINE_MAX_UNITS and _opens_name(content[i], low[i], phrases.bylines)
            phrase[i] = "byline" if byline else None
    # Likewise a comment's reply link names the commenter: "Reply to Jane", not "Reply to all emails".
    if REPLY_CUE in phrase:
        for i in compress(range(len(low)), map(eq, phrase, repeat(REPLY_CUE))):
            phrase[i] = "comment-meta" if _opens_name(content[i], low[i], REPLY_OPENERS) else None
    return list(
        zip(
            bullet, content, units, chars, end_punct, list(map(eq, last, repeat(":"))), inner, prose_words, caps,
            phrase, head, _contained(stripped, lowered, phrases), strict=True,
        )
    )


def _opens_name(content: str, low: str, openers: tuple[str, ...]) -> bool:
    """Whether a capitalised name follows the byline opener the line starts with ("By Jane Doe",
    "By: Jane Doe", "Written by Jane Doe"; not "By the end of the year")."""
    content, low = content.lstrip(LEADING), low.lstrip(LEADING)
    opener = next((o for o in openers if low.startswith(o)), None)
    return opener is not None and content[len(opener) :].lstrip(" :")[:1].isupper()


def _contained(stripped: list[str], lowered: list[str], phrases: PhraseMatcher) -> list[str | None]:
    """Category of the first ``contains`` phrase (cookie notice, copyright line) in each line, else ``""``.

    A line that ends in a photo credit is a ``"caption"`` (see :func:`cleaner.detect.phrases.ends_in_credit`).

    ``None`` for a line whose length lower-casing changed (rare: e.g. dotted capital I): phrase
    offsets would not be the line's, and then no line of the document is marked. One Aho-Corasick
    pass over all lines; no phrase holds a newline or starts with white space, so a match never
    crosses lines and searching the stripped lines finds what a search of the page would.
    """
    out: list[str | None] = [None if len(s) != len(low) else "" for s, low in zip(stripped, lowered, strict=True)]
    hits = phrases.contains("\n".join(lowered))
    if hits:
        starts = list(accumulate((len(low) + 1 for low in lowered), initial=0))
        for offset, category in hits:
            i = bisect_right(starts, offset) - 1
            if out[i] == "":
                if category == CREDIT_CUE:
                    category = "caption" if ends_in_credit(lowered[i]) else ""
                out[i] = category
    return out


def _comment_count(low: str) -> str | None:
    """``"comment-count"`` for the heading that opens a comment thread ("3 thoughts on “Title”").

    The first character decides for nearly every line, so the expression rarely runs.
    """
    return "comment-count" if low[:1] in COUNT_STARTS and COMMENT_COUNT.match(low) else None


def _comment_meta(content: str, units: int) -> str | None:
    """``"comment-meta"`` for a comment's author line, ``"timestamp"`` for a date-and-time line,
    ``REPLY_CUE`` for a line that opens like a reply link.

    Plain string tests first: this runs on every short line.
    """
    if not content:
        return None
    if content[0] in COUNT_STARTS and COMMENT_COUNT.match(content):
        return "comment-count"
    if units > 8:
        return None
    low = content.rstrip(": ")
    if units >= 2 and low.endswith(COMMENT_VERBS) and low.rsplit(None, 1)[-1] in COMMENT_VERBS:
        return "comment-meta"
    if ":" in content and content[0].isalnum() and COMMENT_TIME.match(content):
        return "timestamp"
    if units <= REPLY_MAX_UNITS and content.startswith(REPLY_OPENERS):
        return REPLY_CUE
    return None
