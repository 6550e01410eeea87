"""The blank-run pattern behind ``tidy`` finds exactly the runs its earlier ``regex`` form found."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.result import _BLANK_RUN, tidy_spans

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
