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


@given(st.text(alphabet="ab\n", max_size=30), st.data())
def test_whole_lines_reads_as_the_line_table_says(source: str, data: st.DataObject) -> None:
    """``whole_lines`` reads the characters either side of the span; the line table gives the same answer."""
    lines = Lines.of(source)
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    first, last = lines.index_at(start), lines.index_at(max(start, end - 1))
    assert lines.whole_lines(start, end) == (start == lines.starts[first] and end == lines.end(last))


@given(st.text(alphabet="ab\n", max_size=30))
def test_end_is_the_plain_sum(source: str) -> None:
    """``end`` reads the next line's start; the plain definition sums the line and its newline, capped."""
    lines = Lines.of(source)
    for i in range(-len(lines), len(lines)):
        assert lines.end(i) == min(lines.starts[i] + len(lines.texts[i]) + 1, len(source))


@given(st.text(alphabet="ab \r\u2028İ"))
def test_one_line_is_the_general_split(source: str) -> None:
    lines = Lines.of(source)
    assert (lines.texts, lines.starts) == (tuple(source.split("\n")), (0,))
