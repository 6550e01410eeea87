"""Split a document into lines with character offsets.

Only ``\\n`` separates lines (a ``\\r`` stays in its line and is stripped with
whitespace), so offsets are exact and the same on every platform.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add


@dataclass(frozen=True, slots=True)
class Lines:
    """The lines of ``source``: ``texts[i]`` starts at ``starts[i]`` and has no newline.

    ``verdicts`` holds whole-line match results by rule id, then stripped line. Every rules pass
    over one document shares it: a rerun sees mostly the same lines, and each ``fullmatch``
    call with a timeout costs ~2 µs, so a rerun only tests the lines that changed.
    """

    source: str
    texts: tuple[str, ...]
    starts: tuple[int, ...]
    verdicts: dict[str, dict[str, bool]] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, verdicts: dict[str, dict[str, bool]] | None = None) -> Lines:
        """Split ``source``; pass the ``verdicts`` of an earlier pass over the same document to reuse them."""
        if "\n" not in source:  # one line (a title, a snippet): what the general form builds, without its setup
            return cls(source, (source,), (0,), {} if verdicts is None else verdicts)
        texts = source.split("\n")
        # starts[i] = the lengths of texts[0..i-1], each plus its newline; map/accumulate keep the loop in C,
        # and adding the 1 before summing (one int per line) halves the cost of adding the line number after.
        starts = tuple(accumulate(map(add, map(len, texts), repeat(1, len(texts) - 1)), initial=0))
        return cls(source, tuple(texts), starts, {} if verdicts is None else verdicts)

    def __len__(self) -> int:
        return len(self.texts)

    def end(self, i: int) -> int:
        """Offset just past line ``i`` including its newline (if it has one).

        That is where the next line starts: one lookup, for every removed line of a page. The last line
        (and an index counted from the end) takes the sum, which the end of the text caps.
        """
        if i >= 0:
            try:
                return self.starts[i + 1]
            except IndexError:
                pass
        return min(self.starts[i] + len(self.texts[i]) + 1, len(self.source))

    def whole_lines(self, start: int, end: int) -> bool:
        """``source[start:end]`` is whole lines: it starts where a line starts and ends where one ends
        (its newline included, or the end of the text).

        Read from the characters either side, not by looking the lines up: a page with thousands of
        removals asks this of each.
        """
        source = self.source
        if start >= end:  # empty: whole only as the end of the text, where a line (maybe empty) starts and ends
            first = self.index_at(start)
            return start == self.starts[first] and end == self.end(first)
        return (start == 0 or source[start - 1] == "\n") and (end == len(source) or source[end - 1] == "\n")

    def index_at(self, offset: int) -> int:
        """The line holding character ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> float:
        """``offset`` as a fraction of the document length, for position guards."""
        return offset / len(self.source) if self.source else 0.0
