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

#: Extra words a line may carry after a multi-word phrase ("Follow us on Twitter and Facebook").
EXTRA_WORDS = 6
#: Lines longer than this are prose or lists, never one-phrase chrome.
MAX_CONTAINS_WORDS = 60
TRAILING = " :：.!！?？›»>|→…-–—*"
LEADING = " •·*+>»›|–—-→►▶"
HAS_SPACE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")


class PhraseMatcher:
    """Phrase lookup built once from the data files; ``match`` returns a category or ``None``."""

    def __init__(self, lines: dict[str, str], contains: dict[str, str]) -> None:
        self._lines = lines
        self._max_words = max((p.count(" ") + 1 for p in lines), default=1)
        # Unspaced-script phrases (Japanese, Korean compounds) are matched as plain prefixes.
        self._prefixes = tuple(sorted((p for p in lines if not HAS_SPACE_SCRIPT.search(p)), key=len)[::-1])
        self._contains_cats = list(contains.values())
        self._contains = ahocorasick_rs.AhoCorasick(list(contains)) if contains else None

    def match(self, text: str) -> str | None:
        """Category of the boilerplate phrase this line consists of, if any."""
        low = text.lower().strip(LEADING)
        norm = low.rstrip(TRAILING)
        if not norm:
            return None
        category = self._lines.get(norm)
        if category:
            return category
        words = norm.split()
        n = len(words)
        if n > 1:
            for k in range(min(self._max_words, n - 1), 0, -1):
                head = " ".join(words[:k])
                category = self._lines.get(head) or self._lines.get(head.rstrip(":："))
                if not category:
                    continue
                if words[k - 1][-1] in ":：" or (k > 1 and n - k <= EXTRA_WORDS):
                    return category
        elif self._prefixes and norm.startswith(self._prefixes) and len(norm) <= 24:
            for prefix in self._prefixes:
                if norm.startswith(prefix):
                    return self._lines[prefix]
        if self._contains is not None and n <= MAX_CONTAINS_WORDS:
            hits = self._contains.find_matches_as_indexes(low)
            if hits:
                return self._contains_cats[hits[0][0]]
        return None


@functools.cache
def default_matcher() -> PhraseMatcher:
    """The matcher over every language file, built once per process."""
    return PhraseMatcher(*phrase_lists())
