"""A cheap, exact test that rules out a whole-line match before the ``regex`` call.

Line actions call ``pattern.fullmatch(line, timeout=...)`` on every candidate line, and
the call costs ~3 µs even when the pattern fails on the first character (most of it is the
timeout's bookkeeping, which must stay: it stops runaway patterns). Most candidate lines are
prose that merely contains a prefilter literal ("... the related matter ..."), and they fail
on their first characters. So each pattern's possible *openings* are derived once, when a
line first reaches the rule (``CompiledRule.opening``): for every way a match can start, the
sets of characters its first ``DEPTH`` characters can come from. They compile to one stdlib
``re`` pattern (~0.3 µs a line, no backtracking worth the name, so no timeout is needed).

Why it is exact (never changes a verdict): the opening pattern over-approximates. Every
string the rule's pattern matches whole starts with one of the derived openings, because
each step of the derivation only widens: a class or escape it does not model exactly becomes
"any character", a construct it does not model at all ends the opening there ("anything may
follow"), assertions are skipped (they only ever refuse), a repeat is unrolled up to
``DEPTH`` times and then left open, and a case-insensitive position accepts both ASCII cases
and every non-ASCII character (case folding can map some of those, like the Kelvin sign, to
ASCII letters). So when the opening pattern refuses a line, ``fullmatch`` would have too.

The derivation reads the pattern with the stdlib's own parser (``re._parser``), which shares
``regex``'s syntax for everything the rules use. Where the two could read a pattern
differently (POSIX or nested classes, fuzzy ``{e<=1}`` constraints, ``regex``-only flags or
escapes), it derives nothing and the rule runs as before; so does any parse the stdlib
refuses, and any pattern whose openings would be too many to be worth it.
"""

from __future__ import annotations

import importlib
import re
import string
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import regex

try:  # the stdlib's private parser; where a Python lays it out differently, no rule gets an opening
    _parser: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - CPython 3.11-3.13 all have both
    _parser = _c = None

#: The ASCII members of ``\\d``, ``\\s`` (and the separators Python counts as space) and ``\\w``.
_CATEGORIES: dict[Any, str] = (
    {
        _c.CATEGORY_DIGIT: string.digits,
        _c.CATEGORY_SPACE: string.whitespace + "\x1c\x1d\x1e\x1f",
        _c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    }
    if _c is not None
    else {}
)
_BRACES = (ord("{"), ord("}"))
_IGNORECASE = int(re.IGNORECASE)
#: Scoped flags the derivation understands (as plain ints: flag enum arithmetic is slow).
_SCOPED_FLAGS = int(re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL | re.UNICODE)

#: Characters of an opening: 4 leaves ~10% fewer fullmatch calls than 3 on the dev pages but doubles the ~40 ms
#: a process spends deriving the openings of every rule.
DEPTH = 3
#: Above this many distinct openings the check would cost about what it saves.
MAX_OPENINGS = 400
#: ``regex`` flags the derivation understands; any other flag (ASCII, LOCALE, FULLCASE, V1, ...) turns it off.
_KNOWN_FLAGS = regex.IGNORECASE | regex.VERBOSE | regex.MULTILINE | regex.DOTALL | regex.UNICODE | regex.VERSION0
#: Substrings where ``regex`` syntax goes beyond what the stdlib parser reads the same way: version 1 and
#: other ``regex``-only flags, branch reset, atomic groups, nested sets and set operations. (``||`` is
#: version 1 set syntax too, but version 0, which ``_KNOWN_FLAGS`` requires, reads ``[a||b]`` as the
#: stdlib does, and ``\\||`` outside a set is common; nested sets both libraries warn may change meaning.)
_REGEX_ONLY = ("[[", "&&", "--", "~~", "(?V", "(?f", "(?w", "(?b", "(?e", "(?r", "(?p", "(?|", "(?>")

#: A POSIX class (``[[:alpha:]]``, ``[a[:digit:]]``), which ``regex`` reads and the stdlib takes as characters.
_POSIX_CLASS = regex.compile(r"\[:\^?[a-z]+:\]")

#: One position of an opening: the characters allowed there and whether any non-ASCII character is
#: allowed too (a case-insensitive position), or None for any character.
Position = tuple[frozenset[str], bool] | None
#: An opening: positions, and whether anything may follow it (False: the match can end right there).
Opening = tuple[tuple[Position, ...], bool]


class _Unsupported(Exception):
    """The pattern uses something the derivation does not model, so it derives nothing."""


def _class_chars(items: Iterable[tuple[Any, Any]], ignorecase: bool) -> Position:
    """The characters a ``[...]`` class (or a single literal) can match; None when not modelled exactly.

    ``\\d``, ``\\s`` and ``\\w`` become their ASCII members plus every non-ASCII character, a superset
    of what they match in ``regex``'s Unicode mode.
    """
    c = _c
    chars: set[str] = set()
    non_ascii = ignorecase
    for op, value in items:
        if op is c.LITERAL:
            chars.add(chr(value))
        elif op is c.RANGE and value[1] - value[0] < 256:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        elif op is c.CATEGORY and value in _CATEGORIES:
            chars.update(_CATEGORIES[value])
            non_ascii = True
        else:  # a negated class or category, or a wide range: any character
            return None
    if ignorecase:
        if any(not ch.isascii() and _folds_to_ascii(ch) for ch in chars):
            return None
        chars |= {ch.lower() for ch in chars if ch.isascii()} | {ch.upper() for ch in chars if ch.isascii()}
    return frozenset(chars), non_ascii


def _folds_to_ascii(char: str) -> bool:
    """Whether any case form of a non-ASCII ``char`` has ASCII in it (the Kelvin sign, long s, dotted I, ...)."""
    forms = (char.lower(), char.upper(), char.casefold(), char.title())
    return any(ch.isascii() for form in forms for ch in form)


def _concat(left: set[Opening], right_of: Callable[[int], set[Opening]], limit: int) -> set[Opening]:
    """Openings of ``left`` followed by those of the rest.

    ``right_of(depth)`` computes the rest's openings, once, only as deep as the shortest left opening needs.
    """
    out: set[Opening] = set()
    short = [len(positions) for positions, open_end in left if not open_end and len(positions) < limit]
    right = right_of(limit - min(short)) if short else set()
    for positions, open_end in left:
        if open_end or len(positions) >= limit:
            out.add((positions[:limit], True))
            continue
        for more, more_open in right:
            joined = positions + more
            out.add((joined[:limit], more_open or len(joined) > limit))
        _check_size(out)
    return out


def _check_size(openings: set[Opening]) -> None:
    if len(openings) > MAX_OPENINGS:
        raise _Unsupported("too many openings")


def _sequence(items: Sequence[tuple[Any, Any]], ignorecase: bool, limit: int, start: int = 0) -> set[Opening]:
    """Openings of the parsed items from ``start`` on."""
    if start == len(items):
        return {((), False)}
    head = _item(items[start], ignorecase, limit)
    return _concat(head, lambda depth: _sequence(items, ignorecase, depth, start + 1), limit)


def _item(item: tuple[Any, Any], ignorecase: bool, limit: int) -> set[Opening]:
    """Openings of one parsed item (see the module docstring for why each case only widens)."""
    c = _c
    op, value = item
    if op is c.LITERAL:
        return {((_class_chars([item], ignorecase),), False)}
    if op is c.IN:
        return {((_class_chars(value, ignorecase),), False)}
    if op in (c.ANY, c.NOT_LITERAL):
        return {((None,), False)}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {((), False)}
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = value
        if (add_flags | del_flags) & ~_SCOPED_FLAGS:
            raise _Unsupported("scoped flag")
        scoped = (ignorecase or bool(add_flags & _IGNORECASE)) and not del_flags & _IGNORECASE
        return _sequence(list(sub), scoped, limit)
    if op is c.BRANCH:
        out: set[Opening] = set()
        for alternative in value[1]:
            out |= _sequence(list(alternative), ignorecase, limit)
            _check_size(out)
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = value
        body = list(sub)
        out = {((), False)} if low == 0 else set()
        acc: set[Opening] = {((), False)}
        bodies: dict[int, set[Opening]] = {}

        def body_of(depth: int) -> set[Opening]:
            if depth not in bodies:
                bodies[depth] = _sequence(body, ignorecase, depth)
            return bodies[depth]

        for count in range(1, limit + 1):
            acc = _concat(acc, body_of, limit)
            if count >= low:
                out |= acc
            if count >= high:
                return out
        # More repeats than the depth: whatever ``limit`` of them leave open, anything may follow.
        return out | {(positions, True) for positions, _ in acc}
    raise _Unsupported(f"{op} is not modelled")


def _has_literal_brace(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether a ``{`` or ``}`` was read as a character anywhere in the parse, however deep.

    The whole tree, not just the openings: ``(?:news){e<=1}`` matches "nws", and the stdlib,
    reading ``{e<=1}`` as text, would otherwise derive the opening "news". A node it does not
    know counts as a brace (the pattern gets no opening).
    """
    c = _c
    for op, value in items:
        if op is c.LITERAL:
            if value in _BRACES:
                return True
        elif op is c.SUBPATTERN:
            children: tuple[Any, ...] = (value[3],)
        elif op is c.BRANCH:
            children = tuple(value[1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            children = (value[2],)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            children = (value[1],)
        elif op in (c.IN, c.ANY, c.NOT_LITERAL, c.AT, c.GROUPREF):
            continue
        else:
            return True
        if op is not c.LITERAL and any(_has_literal_brace(child) for child in children):
            return True
    return False


def _position_source(position: Position) -> str:
    """One position as a stdlib class; "these or any non-ASCII" is written as the ASCII it refuses.

    (A ``\\x80-\\U0010ffff`` range says the same, but the stdlib compiler takes seconds over it.)
    """
    if position is None:
        return "(?s:.)"
    chars, non_ascii = position
    if non_ascii:
        chars = frozenset(map(chr, range(128))) - chars
        if not chars:
            return "(?s:.)"
    body = _class_body(chars)
    return f"[^{body}]" if non_ascii else f"[{body}]"


def _class_body(chars: frozenset[str]) -> str:
    """``chars`` as the inside of a class, runs of three or more as ranges (short sources compile fast)."""
    points = sorted(map(ord, chars))
    parts: list[str] = []
    first = previous = points[0]
    for point in (*points[1:], -1):
        if point == previous + 1:
            previous = point
            continue
        if previous - first >= 2:
            parts.append(f"{_escape_in_class(chr(first))}-{_escape_in_class(chr(previous))}")
        else:
            parts.extend(_escape_in_class(chr(p)) for p in range(first, previous + 1))
        first = previous = point
    return "".join(parts)


def _escape_in_class(char: str) -> str:
    return "\\" + char if char in "]\\^-[" else re.escape(char)


def derive(pattern: regex.Pattern[str]) -> re.Pattern[str] | None:
    """A stdlib pattern that ``match``-es every string ``pattern.fullmatch``-es (and refuses many others).

    None when nothing useful can be derived: the rule then calls ``fullmatch`` on every candidate.
    """
    source = pattern.pattern
    if pattern.flags & ~_KNOWN_FLAGS or any(token in source for token in _REGEX_ONLY) or _POSIX_CLASS.search(source):
        return None
    flags = (re.IGNORECASE if pattern.flags & regex.IGNORECASE else 0) | (
        re.VERBOSE if pattern.flags & regex.VERBOSE else 0
    )
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern.pattern, flags)
        if _has_literal_brace(parsed):
            return None  # maybe a regex-only construct (fuzzy ``{e<=1}``) the stdlib read as text
        openings = _sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE), DEPTH)
    except (_Unsupported, re.error, AttributeError, TypeError, ValueError, RecursionError):
        return None
    if not openings or any(all(position is None for position in positions) for positions, _ in openings):
        return None  # some match may start with any characters at all: no check refuses anything
    trie: dict[str, Any] = {}
    sources: dict[Position, str] = {}  # openings share most positions: write each once
    for positions, _ in openings:
        node = trie
        for position in positions:
            if position not in sources:
                sources[position] = _position_source(position)
            node = node.setdefault(sources[position], {})
        node[""] = {}
    return re.compile(_trie_source(trie))


def _trie_source(node: dict[str, Any]) -> str:
    """The openings under ``node`` as one pattern, sharing prefixes so a refusal fails early.

    An opening that ends at ``node`` accepts whatever follows, so longer ones below it add nothing.
    """
    if "" in node:
        return ""
    branches = [key + _trie_source(child) for key, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
