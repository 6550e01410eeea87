"""The literal search over lower-cased UTF-8 finds exactly the literals each line's own ``lower()`` holds."""

from __future__ import annotations

import ahocorasick_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.literals import encode_literal, literal_lines, lowered_utf8

#: Characters whose lower case is not themselves or is not one character ("İ"), depends on context ("Σ"),
#: or is ASCII (the Kelvin sign); a lone surrogate; plain letters, accents, a newline.
ALPHABET = "aAbBkKsS \n\u212aİiΣσςÉé’\ud800"
LITERALS = st.lists(
    st.text(alphabet=ALPHABET.replace("\n", ""), min_size=1, max_size=3).map(str.lower), min_size=1, max_size=6
)


def _per_line(literals: list[str], text: str) -> set[tuple[int, int]]:
    return {
        (i, n)
        for n, line in enumerate(text.split("\n"))
        for i, literal in enumerate(literals)
        if literal in line.lower()
    }


def _automaton(literals: list[str]) -> ahocorasick_rs.BytesAhoCorasick:
    return ahocorasick_rs.BytesAhoCorasick([encode_literal(lit) for lit in literals])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), LITERALS)
def test_hits_are_each_lines_own_lowered_literals(text: str, literals: list[str]) -> None:
    assert set(literal_lines(_automaton(literals), text)) == _per_line(literals, text)


@given(st.text(alphabet=ALPHABET, max_size=80))
def test_lowered_utf8_is_the_utf8_of_lower(text: str) -> None:
    assert lowered_utf8(text) == text.lower().encode("utf-8", "surrogatepass")


def test_a_length_changing_lower_keeps_lines_apart() -> None:
    literals = ["i̇stanbul", "share"]
    text = "İSTANBUL\nShare this\nİ x share"
    assert set(literal_lines(_automaton(literals), text)) == {(0, 0), (1, 1), (1, 2)}


class _Unordered:
    """An automaton reporting its matches out of end order, which the search must not depend on."""

    def find_matches_as_indexes(self, data: bytes, overlapping: bool) -> list[tuple[int, int, int]]:
        return [(1, 9, 14), (0, 0, 4)]


def test_matches_out_of_order_still_get_their_lines() -> None:
    assert set(literal_lines(_Unordered(), "zero\none\ntwo three")) == {(0, 0), (1, 2)}  # type: ignore[arg-type]
