"""The blank-run pattern behind ``tidy`` finds exactly the runs its earlier ``regex`` form found."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.result import _BLANK_RUN, tidy, tidy_spans

#: The form the pattern had before it moved to the stdlib (``\n[…]*(?:\n[…]*)+\n``).
EARLIER = regex.compile(r"\n[ \t\f\v\u00a0]*(?:\n[ \t\f\v\u00a0]*)+\n")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="\n \t\f\v\u00a0a\r", max_size=40), st.integers(0, 5), st.integers(0, 5))
def test_blank_runs_match_the_earlier_pattern(text: str, lead: int, trail: int) -> None:
    end = max(lead, len(text) - trail)
    ours = [m.span() for m in _BLANK_RUN.finditer(text, lead, end)]
    assert ours == [m.span() for m in EARLIER.finditer(text, lead, end)]
    assert _BLANK_RUN.sub("\n\n", text) == EARLIER.sub("\n\n", text)


def test_tidy_spans_unchanged_on_an_example() -> None:
    assert tidy_spans("A\n\n \n\t\nB\n\nC\n \n\n") == [(2, 6), (11, 15)]


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet="\n \t\u00a0a\r\u2003", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=5),
)
def test_tidy_spans_at_junctions_are_those_of_the_whole_text(raw: str, cuts: list[tuple[int, int]]) -> None:
    """A tidy text with pieces cut out: looking only around the cuts finds every span a full scan does."""
    text = tidy(raw)
    spans, pos = [], 0
    for start, length in sorted(cuts):
        start = max(start, pos)
        if start < len(text):
            spans.append((start, min(len(text), start + length)))
            pos = spans[-1][1]
    kept, junctions, removed, pos = [], [], 0, 0
    for start, end in spans:
        kept.append(text[pos:start])
        junctions.append(start - removed)
        removed += end - start
        pos = end
    kept.append(text[pos:])
    left = "".join(kept)
    assert tidy_spans(left, junctions) == tidy_spans(left)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="\n \t\f\v\u00a0a\r\u2003", max_size=40))
def test_tidy_spans_are_the_plain_scan(text: str) -> None:
    """``tidy_spans`` skips the scan under three line breaks: the spans the plain definition gives."""
    if not text:
        return
    lead = len(text) - len(text.lstrip())
    if lead == len(text):
        assert tidy_spans(text) == [(0, len(text))]
        return
    end = len(text.rstrip())
    plain = [(0, lead)] if lead else []
    plain += [(m.start() + 1, m.end() - 1) for m in _BLANK_RUN.finditer(text, lead, end)]
    plain += [(end, len(text))] if end < len(text) else []
    assert tidy_spans(text) == plain
