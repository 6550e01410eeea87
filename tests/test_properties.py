"""""Invariants for any input: no exception, nothing invented, cleaning twice equals once.

The boilerplate mixed into generated documents carries the signature of one site only:
a document with signatures of two sites can switch site once one site's lines are
removed, and then the second pass applies other rules (a documented limit of choosing
a site from the text when no URL is given).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanConfig, Cleaner, apply_removals, tidy

CLEANER = Cleaner()
RULES_ONLY = Cleaner(CleanConfig(detect=False))

BOILERPLATE = [
    "Download App", "Support Now", "Follow us on WhatsApp", "Share this article", "Related Topics",
    "Most Read", "GET OUR NEWSLETTER", "© 2026 Example Media. All rights reserved.", "Read more",
    "Also read: Another headline", " date 2026-01-31", "---", "title: x", "(END)",
    "Â£2.2bn", "&amp;", "Your support helps us to tell the story", "Your support makes all the difference.",
    "★★★★ - on Play Store", "×",
]
PROSE = [
    "The council voted on Monday to approve a new budget for road repairs after months of debate.",
    "Officials said the first contracts would be signed in April, and crews would start by summer.",
    "Support for the plan grew after the floods, a poll found.",
    "He said he would download the app later.",
    "Copyright law was last reformed in 1988.",
    "東京都の発表によると、新工場を開設する。",
]
line = st.one_of(st.sampled_from(BOILERPLATE), st.sampled_from(PROSE), st.text(max_size=60))
documents = st.one_of(
    st.text(),
    st.lists(line, max_size=25).map("\n".join),
    st.lists(line, max_size=25).map("\n\n".join),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@SETTINGS
@given(documents)
def test_never_raises_and_never_invents_text(text: str) -> None:
    result = CLEANER.clean_document(text)
    assert is_subsequence(result.text, result.source)
    assert tidy(apply_removals(result.source, result.removals)) == result.text
    previous_end = 0
    for rem in result.removals:
        assert previous_end <= rem.start < rem.end <= len(result.source)
        assert result.source[rem.start : rem.end] == rem.text
        previous_end = rem.end


@SETTINGS
@given(documents)
def test_cleaning_twice_equals_cleaning_once(text: str) -> None:
    once = CLEANER.clean(text)
    assert CLEANER.clean(once) == once


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_unicode_is_handled(text: str) -> None:
    assert isinstance(CLEANER.clean(text), str)


@SETTINGS
@given(documents)
def test_rules_alone_are_idempotent_too(text: str) -> None:
    once = RULES_ONLY.clean(text)
    assert RULES_ONLY.clean(once) == once


#: Characters that scraped text carries and generated text rarely does: lone surrogates (a ``str``
#: can hold them, e.g. after ``surrogateescape``), line and paragraph separators other than ``\n``,
#: controls (NUL, form feed, NEL), joiners and direction marks, combining marks, emoji sequences.
ODD_CHARACTERS = st.one_of(
    st.characters(categories=["Cs", "Cc", "Cf", "Mn", "Zl", "Zp", "Zs"]),
    st.sampled_from(["\r\n", "\r", "\u2028", "\x85", "\f", "\x00", "\u200d", "\ufeff", "\u202e",
                     "👨\u200d👩\u200d👧", "東京都", "مرحبا", "e\u0301"]),
)
odd_documents = st.lists(st.one_of(ODD_CHARACTERS, line, st.just("\n")), max_size=40).map("".join)


@SETTINGS
@given(odd_documents)
def test_invariants_hold_for_odd_characters(text: str) -> None:
    for cleaner in (CLEANER, RULES_ONLY):
        result = cleaner.clean_document(text)
        assert apply_removals(result.source, result.removals) == result.text
        assert is_subsequence(result.text, result.source)
        assert cleaner.clean(result.text) == result.text


def test_a_lone_surrogate_is_kept_like_any_character() -> None:
    """A ``str`` can hold half a surrogate pair; text mode treats it as one more character."""
    para = "The council voted on Monday to approve a new budget for road repairs after months of debate."
    text = f"{para}\nDownload App\n\udc80{para}"
    assert RULES_ONLY.clean(text) == f"{para}\n\udc80{para}"
    assert CLEANER.clean("a\ud800b") == "a\ud800b"
