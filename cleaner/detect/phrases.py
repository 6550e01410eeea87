"""Match a line against the boilerplate phrase lists of ``rules/lang``.

A line matches a ``lines`` phrase when, lower-cased and stripped of trailing punctuation, it *is*
the phrase, or starts with a multi-word phrase and stays short, or starts with any phrase followed by
a colon ("Tags: ...", "Share:"). Single words must match the whole line: "More" is a button, "More than
100 people died" is news. ``contains`` phrases (cookie notices, copyright lines) match anywhere.
"""

from __future__ import annotations

import functools
import re

import ahocorasick_rs

from cleaner.detect.data import lang_words, phrase_lists
from cleaner.literals import encodable

#: Extra words a line may carry after a multi-word phrase ("Follow us on Twitter and Facebook").
EXTRA_WORDS = 6
TRAILING = " :：.!！?？›»>|→…-–—*"
LEADING = " •·*+>»›|–—-→►▶"
HAS_SPACE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")

#: Words that introduce a photo credit ("Credit: SpaceX", "Foto: dpa", "Credit... Doug Mills"). Not "image:"
#: or "picture:" alone, which open configuration lines in technical articles ("image: nginx").
CREDIT_WORDS = (
    "photo", "photos", "photograph", "credit", "credits", "foto", "fotos", "bild", "crédit",
    "crédito", "créditos", "credito", "фото",
)
#: Agencies and picture libraries named at the end of a credit ("Manu Fernandez/AP", "Isbjorn / Getty Images").
CREDIT_SOURCES = ("ap", "afp", "reuters", "epa", "associated press", "getty images", "shutterstock")
#: A caption is a line that *ends* in a photo credit: "... in Madrid. (Manu Fernandez/AP)", "... the moon.
#: Credit: SpaceX", "... via Getty Images". A credit word must open the line or follow a list bullet, a
#: sentence end or a bar, so "the child tax credit: what to know" is no credit. A source ("(Source: NASA)")
#: is no credit: articles cite their sources, and a caption line is removed even inside the article.
CREDIT = re.compile(
    r"(?:(?:^(?:[*+o•·–-] )?|[.!?\"”’)] |\| )(?:photo credit|image credit|" + "|".join(CREDIT_WORDS) + r")"
    r"(?::|\.\.\.|…) ?[^.:!?;]{2,60}"
    r"|\((?:photo|image|credit|foto|bild|фото)(?: credit)?(?::|by )[^()]{1,60}\)"
    r"|[/|] ?(?:" + "|".join(CREDIT_SOURCES) + r")\)?"
    r"|via getty images)$"
)
#: Literals every match of ``CREDIT`` contains. They ride along in the ``contains`` scan of the page, so
#: the expression runs only on the few lines holding one, not on every line.
CREDIT_CUES = frozenset(
    {f"{w}{d}" for w in CREDIT_WORDS for d in (":", "...", "…")}
    | {f"({w}" for w in ("photo", "image", "credit", "foto", "bild", "фото")}
    | {f"{sep}{src}" for src in CREDIT_SOURCES for sep in ("/", "/ ", "|", "| ")}
)
#: Category of a ``contains`` hit on a credit cue: the caller checks the line with :func:`ends_in_credit`.
CREDIT_CUE = "credit-cue"
#: A credit closes a line: only the line's last characters are searched.
CREDIT_TAIL = 80


def ends_in_credit(low: str) -> bool:
    """Whether the lower-cased line ends in a photo credit (see ``CREDIT``).

    >>> ends_in_credit("spain's rafael nadal celebrates a point. (manu fernandez/ap)")
    True
    >>> ends_in_credit("the child tax credit: what you need to know")
    False
    """
    # A search from a later position never matches ``^`` there: a long line's credit word must follow a sentence.
    return CREDIT.search(low, len(low) - CREDIT_TAIL) is not None


#: What :meth:`PhraseMatcher.match` returns for a line that opens like a byline ("by jane doe"): the
#: caller checks the capitals and makes it a ``"byline"`` or no phrase; never a line's category.
BYLINE_CUE = "byline-cue"


class PhraseMatcher:
    """Phrase lookup built once from the data files; ``match`` returns a category or ``None``."""

    def __init__(self, lines: dict[str, str], contains: dict[str, str], bylines: tuple[str, ...] = ()) -> None:
        self._lines = lines
        self._max_words = max((p.count(" ") + 1 for p in lines), default=1)
        # How a byline opens ("by ", "by:", "written by "), longest first: the ``byline`` words of rules/lang.
        self._bylines = tuple(f"{word}{sep}" for word in sorted(bylines, key=len, reverse=True) for sep in (" ", ":"))
        # First words of multi-word phrases (and of any phrase used as "Phrase: ...") and of byline openers:
        # a cheap gate.
        self._first_words = frozenset(p.split()[0] for p in lines) | {b.split()[0].rstrip(":") for b in self._bylines}
        # Unspaced-script phrases (Japanese, Korean compounds) are matched as plain prefixes.
        self._prefixes = tuple(sorted((p for p in lines if not HAS_SPACE_SCRIPT.search(p)), key=len)[::-1])
        # Their first characters: most lines start with none of them, and one set lookup says so.
        self._prefix_firsts = frozenset(p[0] for p in self._prefixes)
        cues = sorted(CREDIT_CUES.difference(contains))
        self._contains_cats = [*contains.values(), *[CREDIT_CUE] * len(cues)]
        # A DFA: built once per process, it scans a page about three times faster than the default NFA.
        self._contains = ahocorasick_rs.AhoCorasick(
            [*contains, *cues], implementation=ahocorasick_rs.Implementation.DFA
        )

    @property
    def bylines(self) -> tuple[str, ...]:
        """How a byline opens: "by ", "by:", "written by " ..., longest first."""
        return self._bylines

    def match(self, low: str) -> str | None:
        """Category of the ``lines`` phrase this short, lower-cased line consists of, if any.

        ``BYLINE_CUE`` for a line that opens like a byline ("by jane doe") and matches no phrase: the
        caller, which has the line's capitals, checks that a name follows (see ``bylines``).
        """
        low = low.strip(LEADING)
        norm = low.rstrip(TRAILING)
        if not norm:
            return None
        category = self._lines.get(norm)
        if category:
            return category
        space = norm.find(" ")
        if space < 0:
            if norm[0] in self._prefix_firsts and len(norm) <= 24 and norm.startswith(self._prefixes):
                for prefix in self._prefixes:
                    if norm.startswith(prefix):
                        return self._lines[prefix]
            return None
        first = norm[:space]
        if first not in self._first_words and first.rstrip(":：") not in self._first_words:
            return None
        words = norm.split()
        n = len(words)
        for k in range(min(self._max_words, n - 1), 0, -1):
            head = " ".join(words[:k])
            category = self._lines.get(head) or self._lines.get(head.rstrip(":："))
            if category and (words[k - 1][-1] in ":：" or (k > 1 and n - k <= EXTRA_WORDS)):
                return category
        return BYLINE_CUE if norm.startswith(self._bylines) else None

    def contains(self, lowered_text: str) -> list[tuple[int, str]]:
        """Start offsets and categories of ``contains`` phrases in a whole lower-cased document.

        One Aho-Corasick pass over the document is far cheaper than one search per line. Hits on a
        credit cue come as ``CREDIT_CUE``: the caller checks whether the line ends in a credit.
        ``str.lower`` can change lengths (rare: e.g. dotted capital I); callers map offsets to lines.
        """
        cats = self._contains_cats
        try:
            matches = self._contains.find_matches_as_indexes(lowered_text)
        except UnicodeEncodeError:  # a lone surrogate
            matches = self._contains.find_matches_as_indexes(encodable(lowered_text))
        return [(start, cats[idx]) for idx, start, _ in matches]


@functools.cache
def default_matcher() -> PhraseMatcher:
    """The matcher over every language file, built once per process."""
    return PhraseMatcher(*phrase_lists(), lang_words("byline"))
