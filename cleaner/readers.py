"""Read records out of inputs: decompress, split JSONL into lines and parse them, read Parquet by batches.

Everything streams: JSONL line by line, Parquet batch by batch (row groups), so memory does not
grow with the input.

Nothing is dropped. A line that is not a JSON object, or not UTF-8, becomes an error
record that names its line (1-based) and carries the line's text (undecodable bytes
replaced by U+FFFD) so it can be found and repaired::

    {"error": {"type": "bad_json", "message": "...", "line": 7}, "raw": "{\\"text\\": \\"unterminated"}

Error types here: ``bad_json`` (not JSON), ``bad_utf8`` (not UTF-8), ``bad_unicode`` (a
string with a lone surrogate), ``not_object`` (JSON, but not an object); ``cleaner.record``
adds ``missing_field``, ``bad_field`` and the cleaner's own (``InputTooLarge``,
``HtmlTimeoutError`` ...). A text file that is not UTF-8 (or is binary) becomes
``{"id": <name>, "error": {"type": "bad_utf8"|"binary", ...}}``.
Blank lines in JSONL are not records: they are skipped (their numbers still count).

The CLI pipeline uses the batch readers, Spark ``parse_jsonl_line``; ``read_records`` (any format,
one record at a time, error records included) is for a library user's own loop (see README.md).

Why a module of its own: reading is where malformed input is met and turned into error
records; writing the cleaned records (:mod:`cleaner.writers`) never sees it.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from cleaner.formats import kind_of
from cleaner.inputs import Source, expand_inputs
from cleaner.textio import InputError, decode_document, wide_encoding_error

if TYPE_CHECKING:
    import pyarrow as pa

_READ_BUFFER = 1 << 20


def open_input(source: Source) -> BinaryIO:
    """A binary stream of the source's bytes (a file's or stdin's), decompressed (gzip, zstd) as its format says."""
    try:
        if source.format == "jsonl.gz":  # a path is opened (and closed) by gzip; stdin is left open
            return gzip.open(source.path or sys.stdin.buffer, "rb")  # type: ignore[return-value]
        # A 1 MiB buffer: JSONL lines are whole documents, often longer than the default 8 KiB,
        # and reading them line by line through a small buffer cost the reading process ~4x more.
        raw = sys.stdin.buffer if source.path is None else source.path.open("rb", buffering=_READ_BUFFER)
        return io.BufferedReader(_ZstdReader(raw), _READ_BUFFER) if source.format == "jsonl.zst" else raw
    except OSError as exc:
        raise InputError(f"{source.name}: cannot read ({exc.strerror or exc})") from None


class _ZstdReader(io.RawIOBase):
    """The decompressed bytes of a zstd stream of one or more frames (``zstd`` and ``pzstd`` write several).

    python-zstandard's ``stream_reader`` reports end of file when the input stops inside a
    frame, so a truncated shard would end early without a word. Here a stream that stops
    inside a frame raises ``EOFError`` and bytes that are not a frame raise ``ValueError``.
    Input goes in 16 KiB at a time, which bounds what one decompression call can produce.
    """

    CHUNK = 1 << 14

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._error = zstandard.ZstdError
        self._frame: Any = None  # the decompressor of the frame being read; None between frames
        self._out = b""
        self._pos = 0
        self._failure: Exception | None = None  # raised once the bytes decoded before it are read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._pos >= len(self._out):
            if self._failure is not None:
                raise self._failure
            data = self._raw.read(self.CHUNK)
            if not data:
                if self._frame is not None:
                    raise EOFError("the zstd stream ends inside a frame (the file is truncated)")
                return 0
            self._out, self._pos = self._decompress(data), 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _decompress(self, data: bytes) -> bytes:
        parts = []
        while data:
            if self._frame is None:
                self._frame = self._dctx.decompressobj()
            try:
                parts.append(self._frame.decompress(data))
            except self._error as exc:
                self._failure = ValueError(f"not zstd data ({exc})")
                break
            if not self._frame.eof:
                break
            data, self._frame = self._frame.unused_data, None
        return b"".join(parts)

    def close(self) -> None:
        self._raw.close()
        super().close()


# --- JSONL -----------------------------------------------------------------------------------


def iter_line_batches(
    stream: BinaryIO, *, batch_size: int, max_bytes: int = 4_000_000, name: str = "<input>"
) -> Iterator[tuple[int, list[bytes]]]:
    """Raw lines (newline stripped) in batches of ``batch_size`` lines or ``max_bytes``, with the first line's number.

    Bytes only: decoding and parsing happen where the batch is cleaned (a worker), so
    the reading process only moves bytes. A read or decompression error raises ``InputError``
    after the lines read before it have been yielded: every line that could be read comes out.
    A UTF-8 byte order mark opening the input is dropped (JSON allows a parser to ignore it);
    a UTF-16 or UTF-32 one raises ``InputError`` before any line.
    """
    first, size = 1, 0
    batch: list[bytes] = []
    failure = None
    try:
        for number, line in enumerate(stream, 1):
            if number == 1:
                line = _first_line(line, name)
            if not batch:
                first = number
            batch.append(line[:-1] if line.endswith(b"\n") else line)
            size += len(line)
            if len(batch) >= batch_size or size >= max_bytes:
                yield first, batch
                batch, size = [], 0
    except InputError as exc:  # _first_line's: it names the input and says what it is
        failure = exc
    except (OSError, EOFError, ValueError) as exc:  # gzip: OSError, EOFError; zstd (_ZstdReader): EOFError, ValueError
        failure = InputError(f"{name}: cannot read past line {first + len(batch)}: {exc}")
    if batch:
        yield first, batch
    if failure is not None:
        raise failure


def _first_line(line: bytes, name: str) -> bytes:
    wide = wide_encoding_error(line, name)
    if wide is not None:
        raise wide
    return line.removeprefix(codecs.BOM_UTF8)


def _bad_line(kind: str, message: str, raw: bytes, line: int) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "line": line}, "raw": raw.decode("utf-8", "replace")}


def parse_jsonl_line(raw: bytes, line: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``(record, None)`` for a JSON object line, ``(None, error_record)`` for anything else.

    orjson first (fast); the standard library for what orjson refuses but JSON allows
    (NaN), and again when orjson returned a float beyond 64-bit range, which may have been
    an integer it could not hold: a pass-through field must come out as it went in.
    A string holding half a surrogate pair (``"\\ud800"``: JSON syntax, but not text) is
    ``bad_unicode``: no UTF-8 output, JSONL or Parquet, could hold it; so no string of a record
    returned here holds one (orjson refuses them, and so does the check after the stdlib's parse).
    """
    try:
        value = orjson.loads(raw)
        if _has_huge_float(value):
            value = json.loads(raw)
    except ValueError as exc:  # orjson.JSONDecodeError and json's are both ValueErrors
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as uexc:
            return None, _bad_line("bad_utf8", f"line is not valid UTF-8 at byte {uexc.start}", raw, line)
        try:
            value = json.loads(text)
        except ValueError:
            return None, _bad_line("bad_json", f"not valid JSON: {exc}", raw, line)
        surrogate = _lone_surrogate(value)
        if surrogate is not None:
            return None, _bad_line("bad_unicode", f"a string holds a lone surrogate ({surrogate}), which is not text",
                                   raw, line)
    if not isinstance(value, dict):
        return None, _bad_line("not_object", f"a JSON {type(value).__name__}, not an object", raw, line)
    return value, None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in any string (or key) of ``value``, written as its JSON escape."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return f"\\u{ord(found.group()):04x}" if found else None
    if isinstance(value, dict):
        items: Iterator[Any] = (part for pair in value.items() for part in pair)
    elif isinstance(value, list):
        items = iter(value)
    else:
        return None
    return next((s for s in map(_lone_surrogate, items) if s is not None), None)


def _has_huge_float(value: Any) -> bool:
    """A float of 2**64 or more anywhere in ``value`` (cheap: records hold a few fields)."""
    if isinstance(value, float):
        return abs(value) >= 2.0**64
    if isinstance(value, dict):
        return any(map(_has_huge_float, value.values()))
    if isinstance(value, list):
        return any(map(_has_huge_float, value))
    return False


# --- Parquet ---------------------------------------------------------------------------------


def iter_parquet_batches(path: Path, *, batch_size: int) -> Iterator[pa.RecordBatch]:
    """Record batches of at most ``batch_size`` rows, read row group by row group."""
    import pyarrow.parquet as pq

    try:
        yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"{path}: cannot read as Parquet: {exc}") from None


def parquet_schema(path: Path) -> pa.Schema:
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as Parquet: {exc}") from None


# --- Any format, one record at a time --------------------------------------------------------


def read_records(
    source: str | Path | Source, *, format: str | None = None, field: str = "text", batch_size: int = 1024
) -> Iterator[dict[str, Any]]:
    """Every record of one input, in order, for callers that clean records themselves (Spark, datatrove).

    A bad JSONL line comes back as its error record (it has ``error``, not ``field``);
    a text file comes back as ``{"id": name, field: text}`` (or an error record).
    """
    if not isinstance(source, Source):
        source = expand_inputs([str(source)], format)[0] if str(source) != "-" else Source(None, "-", format or "txt")
    kind = kind_of(source.format)
    if kind == "parquet":
        assert source.path is not None
        for batch in iter_parquet_batches(source.path, batch_size=batch_size):
            yield from batch.to_pylist()
        return
    with open_input(source) as stream:
        if kind == "txt":
            yield text_record(source.rel, stream.read(), field=field)
            return
        for first, lines in iter_line_batches(stream, batch_size=batch_size, name=source.name):
            for number, raw in enumerate(lines, first):
                if raw.strip():
                    record, bad = parse_jsonl_line(raw, number)
                    yield record if record is not None else bad  # type: ignore[misc]


def text_record(name: str, data: bytes, *, field: str = "text", id_field: str = "id") -> dict[str, Any]:
    """A text file as a record ``{id_field: name, field: text}``, or an error record if it is not UTF-8 text."""
    try:
        return {id_field: name, field: decode_document(data, name)}
    except InputError as exc:
        return {id_field: name, "error": {"type": exc.kind, "message": str(exc)}}
