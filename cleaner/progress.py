"""A one-line progress display on stderr: documents, MB, rate, elapsed.

Shown only when stderr is a terminal (a pipeline's log file gets the final summary,
not hundreds of carriage returns) and not with ``--quiet``. Redrawn at most a few
times a second, so it costs nothing next to the cleaning. Small enough not to need tqdm.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

MB = 1_000_000


class Progress:
    """Counts documents and bytes; redraws one status line on ``stream``.

    ``total_bytes`` (when every input's size is known) adds a bar and a percentage.
    """

    def __init__(
        self,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        total_bytes: int | None = None,
        interval: float = 0.2,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total_bytes = total_bytes
        self.interval = interval
        self.docs = 0
        self.bytes = 0
        self.start = time.perf_counter()
        self._last_draw = 0.0
        self._width = 0

    def update(self, docs: int, nbytes: int) -> None:
        """Add a finished batch; redraw if the last redraw is old enough."""
        self.docs += docs
        self.bytes += nbytes
        if self.enabled and time.perf_counter() - self._last_draw >= self.interval:
            self._draw()

    def line(self) -> str:
        """The status text, e.g. ``[#####     ]  52% | 12,345 docs | 56.7 MB | 23.4 MB/s | 0:00:02``."""
        elapsed = time.perf_counter() - self.start
        rate = self.bytes / MB / elapsed if elapsed > 0 else 0.0
        parts = [f"{self.docs:,} docs", f"{self.bytes / MB:,.1f} MB", f"{rate:,.1f} MB/s", _clock(elapsed)]
        if self.total_bytes:
            done = min(1.0, self.bytes / self.total_bytes)
            filled = int(done * 20)
            parts.insert(0, f"[{'#' * filled}{' ' * (20 - filled)}] {done:4.0%}")
        return " | ".join(parts)

    def _draw(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
        self._last_draw = time.perf_counter()

    def close(self) -> None:
        """Draw the final state and end the line, so the summary starts on its own line."""
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
