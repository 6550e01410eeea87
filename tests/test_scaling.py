"""Work that grows with the document, not with its square: pages with thousands of markers or cuts.

Counted in calls (of ``is_prose_line``), never timed, so the tests do not depend on the machine.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cleaner.actions
import cleaner.rerun
from cleaner import CleanConfig, Cleaner
from cleaner.actions import _ProseAhead, is_prose_line
from cleaner.rerun import _tail_may_qualify

PROSE = "The council met on Monday and agreed to a new budget for the coming year, officials said in a statement."
LINES = st.lists(st.sampled_from([PROSE, "Related Stories", "", "A headline", PROSE + " And more."]), max_size=30)


@given(LINES, st.data())
def test_prose_ahead_counts_as_a_scan_from_each_marker(texts: list[str], data: st.DataObject) -> None:
    markers = sorted(data.draw(st.lists(st.integers(0, max(0, len(texts) - 1)), max_size=8))) if texts else []
    limit = data.draw(st.integers(0, 3))
    ahead = _ProseAhead(texts)
    for i in markers:
        assert ahead.more_than(i, limit) == (sum(map(is_prose_line, texts[i + 1 :])) > limit)


@given(LINES, st.data())
def test_tail_check_answers_as_a_scan_from_each_marker(texts: list[str], data: st.DataObject) -> None:
    text = "\n".join(texts)
    offsets = data.draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=6))
    tails = [(offset, data.draw(st.integers(0, 2))) for offset in offsets]

    def one(offset: int, limit: int) -> bool:
        end = text.find("\n", offset)
        following = text[end + 1 :].split("\n") if end >= 0 else []
        return sum(map(is_prose_line, following)) <= limit

    assert _tail_may_qualify(text, tails) == any(one(offset, limit) for offset, limit in tails)


def _count_prose_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def counting(text: str) -> bool:
        calls.append(1)
        return is_prose_line(text)

    monkeypatch.setattr(cleaner.actions, "is_prose_line", counting)
    monkeypatch.setattr(cleaner.rerun, "is_prose_line", counting)
    return calls


@pytest.mark.parametrize("tail", [["Related Stories"], ["More news", "A headline"]])
def test_thousands_of_held_markers_read_each_line_a_few_times(monkeypatch: pytest.MonkeyPatch, tail: list[str]) -> None:
    """Markers late in the page, each followed by the article's last paragraph: every one is held.

    Counting the prose after each marker from the marker on read ~n * n / 2 lines.
    """
    n = 2000
    text = "\n".join([PROSE] * n + tail * n + [PROSE])
    calls = _count_prose_checks(monkeypatch)
    result = Cleaner(CleanConfig(detect=False)).clean_document(text)
    assert result.text.endswith(PROSE)
    assert len(calls) <= 10 * len(text.split("\n"))
