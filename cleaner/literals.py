"""Find the rules' prefilter literals in a document: which literal occurs on which line.

The search runs over the UTF-8 bytes of the lower-cased document, not over the ``str``:

* ``str.lower()`` of a document with any non-ASCII character costs ~200 MB/s, while
  ``bytes.lower()`` (ASCII letters only) runs at memory speed. The two agree unless the
  document holds a non-ASCII character that ``lower()`` changes ("É", "Σ", the Kelvin sign,
  "İ"); one ``lower()`` of just the document's non-ASCII characters tells, and such a
  document is lowered as ``str`` first, as before.
* A ``str`` haystack makes the automaton encode it to UTF-8 and turn every match's byte
  offsets back into character offsets; bytes skip both.
* A literal never holds a newline (``rulespec`` refuses one), so a match's line is the
  number of newlines before its end, counted between successive matches (the automaton
  reports them in order of their end) rather than looked up per match.

UTF-8 keeps this exact: a literal's encoding can only match at a character boundary (its
first byte is never a continuation byte), ``lower()`` neither adds nor removes a newline,
and it lowers each line as it would lower the line alone (the final-sigma context stops at
a newline), so every line gets exactly the literals its own lower-cased text contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate, chain, repeat
from operator import itemgetter, le

import ahocorasick_rs

#: Every ASCII byte: deleting them from a document's UTF-8 leaves its non-ASCII characters.
_ASCII = bytes(range(128))
#: Lone surrogates (which ``str`` can hold) encode too, as a pattern they can never match.
_ERRORS = "surrogatepass"
_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, for a ``str`` automaton.

    A ``str`` automaton encodes its haystack to strict UTF-8 and raises on a lone surrogate.
    One character for one keeps every offset, and no signature or phrase holds U+FFFD, so no
    match is invented. Callers use it only after that error, so ordinary text pays nothing.
    """
    return _SURROGATE.sub("\ufffd", text)


def encode_literal(literal: str) -> bytes:
    """A (lower-case) literal as the automaton holds it."""
    return literal.encode("utf-8", _ERRORS)


def lowered_utf8(text: str) -> bytes:
    """The UTF-8 of ``text.lower()``, lowering only ASCII letters when that gives the same."""
    data = text.encode("utf-8", _ERRORS)
    if not data.isascii():
        others = data.translate(None, _ASCII).decode("utf-8", _ERRORS)
        if others.lower() != others:
            return text.lower().encode("utf-8", _ERRORS)
    return data.lower()


def literal_lines(automaton: ahocorasick_rs.BytesAhoCorasick, text: str) -> Iterator[tuple[int, int]]:
    """``(literal index, line number)`` for every literal occurring in ``text``, case-insensitively.

    A literal found several times on one line comes once for each: the pairs are not made into a
    set here, since the caller files them in sets anyway (building one costs a third of the search).
    """
    data = lowered_utf8(text)
    matches = automaton.find_matches_as_indexes(data, overlapping=True)
    if not matches:
        return iter(())
    literals, _, ends = zip(*matches, strict=True)
    if not all(map(le, ends, ends[1:])):  # not in order of their end: sort them (never seen, but cheap)
        literals, _, ends = zip(*sorted(matches, key=itemgetter(2)), strict=True)
    lines = accumulate(map(data.count, repeat(b"\n"), chain((0,), ends), ends))
    return zip(literals, lines, strict=True)
