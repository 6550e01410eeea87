"""The opening pre-check never refuses a line the rule's pattern matches whole (``cleaner.precheck``)."""

from __future__ import annotations

import re
import time

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.precheck import derive
from cleaner.rulebook import RuleBook, bundled_rules_dir

BOOK = RuleBook.load([bundled_rules_dir()])
WITH_OPENING = [cr for cr in BOOK.rules if cr.opening is not None]


def _stdlib_twin(pattern: regex.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern under ``re``, to generate matching strings with hypothesis; None when ``re`` refuses it."""
    flags = (re.IGNORECASE if pattern.flags & regex.IGNORECASE else 0) | (
        re.VERBOSE if pattern.flags & regex.VERBOSE else 0
    )
    try:
        return re.compile(pattern.pattern, flags)
    except re.error:
        return None


def test_most_line_rules_get_an_opening() -> None:
    assert len(WITH_OPENING) >= 25


def test_openings_cost_little_to_build() -> None:
    """Every worker process derives those of the rules it uses (seconds, before openings were written short)."""
    started = time.perf_counter()
    for cr in BOOK.rules:
        if cr.pattern is not None:
            derive(cr.pattern)
    assert time.perf_counter() - started < 2.0


def test_rule_examples_pass_their_opening() -> None:
    for cr in WITH_OPENING:
        assert cr.opening is not None and cr.pattern is not None
        for example in cr.rule.examples.remove:
            for line in example.text.split("\n"):
                stripped = line.strip()
                if cr.pattern.fullmatch(stripped):
                    assert cr.opening.match(stripped), (cr.id, stripped)


@pytest.mark.parametrize("cr", WITH_OPENING, ids=lambda cr: cr.id)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_whole_match_of_a_rule_passes_its_opening(cr, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    twin = _stdlib_twin(cr.pattern)
    if twin is None:
        pytest.skip("the stdlib cannot generate strings for this pattern")
    text = data.draw(st.from_regex(twin, fullmatch=True))
    if cr.pattern.fullmatch(text):
        assert cr.opening.match(text), text


PIECES = [
    "a", "B", "k", "s", "i", "é", "•", "K", "ſ", "1", " ", "-", ".", r"\d", r"\s", r"\w", r"\W", "[a-c]", "[^x]",
    r"\b", "(?=a)", "(?<!b)", ".",
]


#: Quantifiers that repeat their group (``?`` only makes it optional).
REPEATS = ["*", "+", "{2}", "{1,3}", "{0,5}"]


@st.composite
def small_patterns(draw: st.DrawFn) -> tuple[str, bool]:
    """Random patterns from the constructs the rules use: pieces, groups, alternation, repeats, case flags.

    Also says whether a repeat encloses another repeat, an optional group or an alternation
    (``(?:(?:[a-c])*|B)*``, ``(?:\\w|\\d)*``): the stdlib ``re`` can backtrack without end on such a
    pattern, and it has no timeout.
    """
    nested = False

    def node(depth: int) -> tuple[str, bool]:
        """A piece of pattern, and whether it holds a repeat, an optional group or an alternation."""
        nonlocal nested
        kind = draw(st.integers(0, 4 if depth < 3 else 0))
        if kind == 0:
            return draw(st.sampled_from(PIECES)), False
        if kind in (1, 2):
            parts = [node(depth + 1) for _ in range(draw(st.integers(1, 3) if kind == 1 else st.integers(2, 3)))]
            texts = [text for text, _ in parts]
            joined = "".join(texts) if kind == 1 else "(?:" + "|".join(texts) + ")"
            return joined, kind == 2 or any(ambiguous for _, ambiguous in parts)
        if kind == 3:
            inner, ambiguous = node(depth + 1)
            quantifier = draw(st.sampled_from([*REPEATS, "?", "??"]))
            nested = nested or (quantifier in REPEATS and ambiguous)
            return "(?:" + inner + ")" + quantifier, True  # an optional group is an alternation with nothing
        inner, ambiguous = node(depth + 1)
        return "(?i:" + inner + ")", ambiguous

    prefix = draw(st.sampled_from(["", "(?i)"]))
    source = prefix + "".join(node(0)[0] for _ in range(draw(st.integers(1, 4))))
    return source, nested


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=small_patterns(), data=st.data())
def test_derived_opening_is_exact_on_random_patterns(drawn: tuple[str, bool], data: st.DataObject) -> None:
    source, nested = drawn
    pattern = regex.compile(source)
    opening = derive(pattern)
    if opening is None:
        return
    alphabet = "aAbBcCkKsSiIéÉ•Kſİı1٣ -._x\u00a0\u2003"
    samples = [data.draw(st.text(alphabet, min_size=1, max_size=8)) for _ in range(20)]
    # Hypothesis filters the strings it generates with the stdlib's fullmatch, which has no timeout:
    # a repeat around a repeat or an alternation could hang the suite: those get the random samples only.
    twin = None if nested else _stdlib_twin(pattern)
    if twin is not None:
        samples += [data.draw(st.from_regex(twin, fullmatch=True)) for _ in range(5)]
    for text in samples:
        try:
            matched = pattern.fullmatch(text, timeout=2.0)
        except TimeoutError:
            continue  # a random pattern that backtracks without end says nothing about its opening
        if matched:
            assert opening.match(text), (source, text)


@pytest.mark.parametrize(
    ("source", "refused", "accepted"),
    [
        ("(?i)related stories", "The related stories", "RELATED STORIES"),
        ("(?i)kelvin", "zelvin", "\u212aelvin"),  # the Kelvin sign folds to k
        (r"(?:[*•]\s+)?Read more", "Rest more", "• Read more"),
        (r"\d{1,2} min read", "A 5 min read", "\u0663 min read"),  # \d matches non-ASCII digits
        (r"(?<![.])Share(?=\s)", "share", "Share this"),
        (r"(?:photo|by)\s*(?::|\||by)", "bay:", "photo||"),
    ],
)
def test_opening_refuses_and_accepts(source: str, refused: str, accepted: str) -> None:
    pattern = regex.compile(source)
    opening = derive(pattern)
    assert opening is not None
    assert opening.match(refused) is None and not pattern.fullmatch(refused)
    assert opening.match(accepted) is not None


@pytest.mark.parametrize(
    "source",
    [
        "[[:alpha:]]+ news",  # POSIX class: regex and the stdlib read it differently
        "(?:news){e<=1}",  # fuzzy matching
        "news(?:x|(?:y){i<=1})",  # fuzzy matching past the opening's depth: the stdlib misreads the whole pattern
        "news(?=a{e<=1})",  # ... inside a lookahead
        "news(?>x{e<=1})",  # ... inside an atomic group
        r"\p{Lu}ews",  # a regex-only escape
        r"[^\n]{0,80}news",  # may start with anything
        "(?V1)[[a-z]--[q]]x",
        "[[a]b]x",  # a nested-looking set: both libraries warn its meaning may change
    ],
)
def test_no_opening_where_the_readings_could_differ(source: str) -> None:
    assert derive(regex.compile(source)) is None
