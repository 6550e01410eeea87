"""Write an output file atomically: under a temporary name, renamed into place only when complete.

Writes are atomic: ``AtomicOutput`` writes ``.NAME.tmp-PID`` beside the target and
renames it only when complete, so a killed run never leaves a truncated file that
looks finished (and ``--resume`` can trust that an existing output is complete).

Why a module of its own: this is about files (temporary names, compression streams, commit and
abort), not about what is written in them (:mod:`cleaner.writers`).
"""

from __future__ import annotations

import contextlib
import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class AtomicOutput:
    """A binary file written under a temporary name and renamed into place only when complete.

    Use as a context manager: leaving it normally commits (``os.replace``, atomic on
    POSIX); leaving it by an exception removes the temporary file. ``format`` adds
    gzip or zstd compression (gzip with mtime 0 and no name, so outputs are reproducible).
    """

    def __init__(self, final: Path, format: str = "jsonl") -> None:
        self.final = final
        self.temp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
        with self._named_errors():
            final.parent.mkdir(parents=True, exist_ok=True)
            self._raw = self.temp.open("wb")
        self.stream: BinaryIO
        if format == "jsonl.gz":
            self.stream = gzip.GzipFile(filename="", fileobj=self._raw, mode="wb", compresslevel=6, mtime=0)  # type: ignore[assignment]
        elif format == "jsonl.zst":
            import zstandard

            self.stream = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)  # type: ignore[assignment]
        else:
            self.stream = self._raw

    @contextlib.contextmanager
    def _named_errors(self) -> Iterator[None]:
        """An ``OSError`` (no such directory, permission, disk full) re-raised naming the output, not its temporary."""
        try:
            yield
        except OSError as exc:
            raise OSError(f"{self.final}: cannot write ({exc.strerror or exc})") from None

    def write(self, data: bytes) -> None:
        with self._named_errors():
            self.stream.write(data)

    def commit(self) -> None:
        """Finish the stream and rename the file into place."""
        with self._named_errors():
            if self.stream is not self._raw:
                self.stream.close()
            self._raw.close()
            os.replace(self.temp, self.final)

    def abort(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        for stream in (self.stream, self._raw):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        self.temp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
