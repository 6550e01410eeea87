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

from cleaner.detect.data import phrase_lists
from cleaner.literals import encodable

#: Extra words a line may carry after a multi-word phrase ("Follow us on Twitter and Facebook").
EXTRA_WORDS = 6
TRAILING = " :：.!！?？›»>|→…-–—*"
LEADING = " •·*+>»›|–—-→►▶"
HAS_SPACE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")


class PhraseMatcher:
    """Phrase lookup built once from the data files; ``match`` returns a category or ``None``."""

    def __init__(self, lines: dict[str, str], contains: dict[str, str]) -> None:
        self._lines = lines
        self._max_words = max((p.count(" ") + 1 for p in lines), default=1)
        # First words of multi-word phrases (and of any phrase used as "Phrase: ..."): a cheap gate.
        self._first_words = frozenset(p.split()[0] for p in lines)
        # Unspaced-script phrases (Japanese, Korean compounds) are matched as plain prefixes.
        self._prefixes = tuple(sorted((p for p in lines if not HAS_SPACE_SCRIPT.search(p)), key=len)[::-1])
        self._contains_cats = list(contains.values())
        # A DFA: built once per process, it scans a page about three times faster than the default NFA.
        self._contains = (
            ahocorasick_rs.AhoCorasick(list(contains), implementation=ahocorasick_rs.Implementation.DFA)
            if contains
            else None
        )

    def match(self, low: str) -> str | None:
        """Category of the ``lines`` phrase this short, lower-cased line consists of, if any."""
        low = low.strip(LEADING)
        norm = low.rstrip(TRAILING)
        if not norm:
            return None
        category = self._lines.get(norm)
        if category:
            return category
        space = norm.find(" ")
        if space < 0:
            if self._prefixes and len(norm) <= 24 and norm.startswith(self._prefixes):
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
        return None

    def contains(self, lowered_text: str) -> list[tuple[int, str]]:
        """Start offsets and categories of ``contains`` phrases in a whole lower-cased document.

        One Aho-Corasick pass over the document is far cheaper than one search per line.
        ``str.lower`` can change lengths (rare: e.g. dotted capital I); callers map offsets to lines.
        """
        if self._contains is None:
            return []
        cats = self._contains_cats
        try:
            matches = self._contains.find_matches_as_indexes(lowered_text)
        except UnicodeEncodeError:  # a lone surrogate
            matches = self._contains.find_matches_as_indexes(encodable(lowered_text))
        return [(start, cats[idx]) for idx, start, _ in matches]


@functools.cache
def default_matcher() -> PhraseMatcher:
    """The matcher over every language file, built once per process."""
    return PhraseMatcher(*phrase_lists())
