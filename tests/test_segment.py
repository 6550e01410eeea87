"""``Lines.of``: every line's start offset is exact, whatever the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.segment import Lines


@given(st.text(alphabet="ab \n\r\u2028İ"))
def test_each_line_starts_where_its_text_is(source: str) -> None:
    lines = Lines.of(source)
    assert "\n".join(lines.texts) == source
    assert len(lines.starts) == len(lines.texts)
    for start, text in zip(lines.starts, lines.texts, strict=True):
        assert source[start : start + len(text)] == text
        assert start == 0 or source[start - 1] == "\n"
