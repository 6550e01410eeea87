"""Encoding repair fixes mojibake, entities and C1 controls but never restyles correct text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean_document
from cleaner.config import EncodingConfig
from cleaner.encoding import _SUSPECT, needs_repair, repair_text

CFG = EncodingConfig()


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("secured Â£2.2bn in deals", "secured £2.2bn in deals"),
        ("Ã©tÃ© Ã  Paris", "été à Paris"),
        ("worth â‚¬3m", "worth €3m"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("it\x85s late", "it…s late"),
        ("donâ€™t", "don’t"),
    ],
)
def test_repairs(broken: str, fixed: str) -> None:
    result = repair_text(broken, CFG)
    assert result.text == fixed
    assert result.steps


@pytest.mark.parametrize(
    "correct",
    [
        "He said “very fit” and ‘fine’.",
        "ＡＢＣ社は２０２６年に新工場を開設する。",
        "The ﬁnal report",
        "Line one\r\nLine two\u2028three",
        "café crème, naïve, Øresund, İstanbul",
        "Price: 5 < 6 & 7 > 3",
    ],
)
def test_correct_text_is_left_alone(correct: str) -> None:
    result = repair_text(correct, CFG)
    assert result.text == correct
    assert result.steps == ()


def test_ascii_without_entities_skips_ftfy() -> None:
    assert not needs_repair("plain ascii text, nothing to fix")
    assert needs_repair("A &amp; B")


def test_steps_reach_the_result() -> None:
    result = clean_document("Downing Street said it secured Â£2.2bn in export deals.")
    assert result.text == "Downing Street said it secured £2.2bn in export deals."
    assert result.encoding_fixes == ("encode:latin-1", "decode:utf-8")
    assert clean_document("Nothing broken here.").encoding_fixes == ()


def test_repair_never_splits_a_line() -> None:
    """An escaped newline stays escaped: HTML mode cuts whole lines by number after repair."""
    text = "first line\nan entity &#10; inside &amp; more\nlast"
    repaired = repair_text(text, EncodingConfig()).text
    assert repaired.count("\n") == text.count("\n")


#: Characters at the edges of ``_SUSPECT``'s classes, cp1252's high characters, entity parts, a lone surrogate.
_EDGES = (
    "aé\u007f\u0080\u009f\u00a0\u00bf\u00c0\u00c1\u00c2\u00c3\u00f4\u00f5\u00ff"
    "\u0100\u0152\u2019\u20ac\u2122\x1b&#;x1\ud800"
)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_EDGES, max_size=12))
def test_needs_repair_is_exactly_the_suspect_pattern(text: str) -> None:
    """The byte-level checks in ``needs_repair`` answer exactly what ``_SUSPECT`` does on the characters."""
    assert needs_repair(text) == (_SUSPECT.search(text) is not None)
