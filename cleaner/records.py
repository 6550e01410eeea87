"""Read and write documents and records: text files, directories, stdin, JSONL (.gz, .zst), Parquet.

Formats come from the file name (``.txt`` or anything else: one document per file;
``.jsonl``/``.ndjson`` with optional ``.gz``/``.zst``: one JSON object per line;
``.parquet``: one record per row) unless the caller names one. Everything streams:
JSONL line by line, Parquet batch by batch (row groups), so memory does not grow
with the input.

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

Writes are atomic: ``AtomicOutput`` writes ``.NAME.tmp-PID`` beside the target and
renames it only when complete, so a killed run never leaves a truncated file that
looks finished (and ``--resume`` can trust that an existing output is complete).

Spark and datatrove use ``read_records`` (any format, error records included) and
``parse_jsonl_line``; the CLI pipeline uses the batch readers.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from cleaner.textio import InputError, decode_document, wide_encoding_error

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("txt", "jsonl", "jsonl.gz", "jsonl.zst", "parquet")
_RECORD_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl.gz", ".ndjson.gz": "jsonl.gz",
    ".jsonl.zst": "jsonl.zst", ".ndjson.zst": "jsonl.zst",
    ".parquet": "parquet",
}
SUFFIX = {"txt": ".txt", "jsonl": ".jsonl", "jsonl.gz": ".jsonl.gz", "jsonl.zst": ".jsonl.zst", "parquet": ".parquet"}


def record_format(name: str) -> str | None:
    """The record format a file name says (``jsonl``, ``jsonl.gz``, ``jsonl.zst``, ``parquet``), else None."""
    lower = name.lower()
    for suffix, fmt in _RECORD_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None


def format_of(name: str) -> str:
    """A file's format from its name: a record format, else ``txt`` (one document per file)."""
    return record_format(name) or "txt"


def kind_of(fmt: str) -> str:
    """``txt``, ``jsonl`` or ``parquet``: the format without its compression."""
    return fmt.split(".", 1)[0]


def strip_suffix(rel: str) -> str:
    """``a/b.jsonl.gz`` -> ``a/b``; a text file loses ``.txt`` only (other names are kept whole)."""
    lower = rel.lower()
    for suffix in (*_RECORD_SUFFIXES, ".txt"):
        if lower.endswith(suffix):
            return rel[: -len(suffix)]
    return rel


def is_temporary(name: str) -> bool:
    """An unfinished output of ``AtomicOutput`` (left by a killed run); never an input."""
    return name.startswith(".") and ".tmp-" in name


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (``path``) or stdin (``path`` None), its name relative to its root, its format."""

    path: Path | None
    rel: str
    format: str

    @property
    def name(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)

    def size(self) -> int | None:
        """Bytes of the (uncompressed) input when known without reading it, for progress."""
        if self.path is None or self.format in ("jsonl.gz", "jsonl.zst"):
            return None
        try:
            return self.path.stat().st_size
        except OSError:  # gone, or a link to nothing: reading it will say so, naming it
            return None


def expand_inputs(inputs: Sequence[str], fmt: str | None = None) -> list[Source]:
    """Files, directories (walked recursively, sorted, hidden files skipped) and ``-`` as ``Source``s.

    ``fmt`` forces the format of every input; otherwise each file's name decides and
    stdin is text. Raises ``InputError`` for a path that does not exist. See :func:`walk_files`
    for symbolic links inside a directory.
    """
    sources: list[Source] = []
    for item in inputs:
        if item == "-":
            sources.append(Source(None, "-", fmt or "txt"))
            continue
        path = Path(item)
        if path.is_dir():
            for rel in walk_files(path):
                sources.append(Source(path / rel, rel, fmt or format_of(rel.rsplit("/", 1)[-1])))
        elif path.is_file():
            sources.append(Source(path, path.name, fmt or format_of(path.name)))
        else:
            raise InputError(f"{item}: no such file or directory")
    return sources


def walk_files(root: Path) -> list[str]:
    """The files under ``root`` as sorted relative POSIX names; hidden files and directories skipped.

    Data directories often link shards in from elsewhere, so a symbolic link to a directory is
    walked like a directory (under the link's name), except one that leads back into a directory
    it sits in (a loop, whose files are walked already). A link to nothing is listed too: reading it
    fails, and the run reports it like any unreadable input instead of skipping it without a word.
    Sockets, pipes and devices are not documents and are left out.
    """
    found: list[str] = []
    ancestors: dict[str, frozenset[str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        real = os.path.realpath(dirpath)
        above = ancestors.get(str(here.parent), frozenset()) if here != root else frozenset()
        if real in above:  # a link back into its own ancestry
            dirnames.clear()
            continue
        ancestors[dirpath] = above | {real}
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            file = here / name
            if not name.startswith(".") and (file.is_file() or (file.is_symlink() and not file.exists())):
                found.append(file.relative_to(root).as_posix())
    return sorted(found, key=lambda rel: rel.split("/"))  # as paths sort: "b/2.txt" before "b.txt"


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
    ``bad_unicode``: no UTF-8 output, JSONL or Parquet, could hold it.
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


def _json_default(value: Any) -> Any:
    """What orjson cannot write natively (values from Parquet): bytes, decimals, times."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_jsonl(record: Mapping[str, Any], *, keep_non_finite: bool = False) -> bytes:
    """One JSONL line (newline included), UTF-8, keys in record order; big integers via the stdlib.

    orjson writes NaN and infinities as ``null``. ``keep_non_finite`` writes them as ``NaN``,
    ``Infinity``, ``-Infinity`` instead: for JSONL input, where such a value can only have come
    from those very literals (or an overflowing ``1e400``), so a pass-through field keeps its value.
    From Parquet, ``null`` is the usual JSON for a NaN, and strict readers refuse the literals.
    """
    try:
        out = orjson.dumps(record, default=_json_default, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # an integer beyond 64 bits: orjson refuses it, JSON allows it
        return _stdlib_line(record)
    if keep_non_finite and b"null" in out and _has_non_finite(record):
        return _stdlib_line(record)
    return out


def _stdlib_line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_json_default) + "\n").encode()


def _has_non_finite(value: Any) -> bool:
    """A NaN or infinite float anywhere in ``value``."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(map(_has_non_finite, value.values()))
    if isinstance(value, list):
        return any(map(_has_non_finite, value))
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


# Columns the cleaner adds. Metadata and explanations have open-ended keys, so Parquet
# stores them as JSON text (one schema for every batch, whatever each record carries).
JSON_COLUMNS = ("boilerstrip_metadata", "boilerstrip")


def output_schema(schema: pa.Schema, *, field: str, out_field: str | None, metadata: bool, explain: bool) -> pa.Schema:
    """The Parquet output schema: the input's columns, then the cleaned text and the added columns."""
    import pyarrow as pa

    added: list[pa.Field] = []
    if out_field and out_field not in schema.names:
        added.append(pa.field(out_field, pa.string()))
    added.append(pa.field("boilerstrip_rules", pa.string()))
    added.append(pa.field("error", pa.struct(
        [pa.field("type", pa.string()), pa.field("message", pa.string()), pa.field("line", pa.int64())])))
    if metadata:
        added.append(pa.field("boilerstrip_metadata", pa.string()))
    if explain:
        added.append(pa.field("boilerstrip", pa.string()))
    kept = [f for f in schema if f.name not in {a.name for a in added}]
    return pa.schema(kept + added)


def records_to_batch(records: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    """Output records as one batch of ``schema`` (metadata and explanations as JSON text)."""
    import pyarrow as pa

    rows = []
    for rec in records:
        row = dict(rec)
        for col in JSON_COLUMNS:
            if col in row and not isinstance(row[col], str):
                row[col] = orjson.dumps(row[col], default=_json_default).decode()
        rows.append(row)
    return pa.RecordBatch.from_pylist(rows, schema=schema)


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


# --- Atomic output ---------------------------------------------------------------------------


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
