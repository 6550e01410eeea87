"""The ``boilerstrip clean`` pipeline: inputs -> batches -> workers -> ordered, atomic outputs.

The reading process only moves bytes: it cuts inputs into batches of raw JSONL lines,
text files or Arrow record batches; each worker decodes, parses, cleans (one shared
``clean_record_result`` per record) and serialises its own batch, and returns the
bytes with the batch's ``Stats``. Results come back in input order (``ordered_map``),
so the output is byte-identical whatever the number of workers.

Outputs: stdout, one file (every input into it), or a directory (one output per input,
same relative name, suffix changed when the format changes). Files are written under
a temporary name and renamed when complete (``AtomicOutput``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.api import Cleaner
from cleaner.atomic_output import AtomicOutput
from cleaner.formats import SUFFIX, kind_of, strip_suffix
from cleaner.inputs import Source
from cleaner.parallel import ordered_map
from cleaner.progress import Progress
from cleaner.readers import (
    iter_line_batches,
    iter_parquet_batches,
    open_input,
    parquet_schema,
    parse_jsonl_line,
    text_record,
)
from cleaner.record import RecordOptions, clean_record_result
from cleaner.result import CleanResult
from cleaner.stats import Stats
from cleaner.textio import InputError
from cleaner.writers import dump_jsonl, output_schema, records_to_batch

if TYPE_CHECKING:
    import pyarrow as pa

    from cleaner.parquet_spool import ParquetSpool


@dataclass(frozen=True, slots=True)
class JobSpec:
    """What every worker needs, handed once to each process by the pool initializer.

    The ``Cleaner`` costs nothing to hand over when workers are forked (they share the
    parent's compiled rules); where processes are spawned it pickles as its
    ``CleanConfig`` and each worker compiles it once on arrival. Compiling in every
    forked worker instead would cost ~1.3 CPU-seconds each for a 1,000-rule book.
    ``url`` is the page URL for text-file inputs (``--url``); records carry their own.
    """

    cleaner: Cleaner
    options: RecordOptions
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """One message to a worker: ``kind`` says what ``items`` are.

    ``lines``: raw JSONL lines (``first`` = number of the first); ``docs``: ``(name, bytes)`` of
    text files; ``arrow``: a ``pyarrow.RecordBatch`` (``first`` = number of its first row).
    ``out`` is the output format; ``schema`` the Parquet output schema when ``out`` is parquet.
    ``unreadable``: the input ``source`` could not be read (to its end); the message says where.
    """

    kind: str
    items: Any
    first: int
    out: str
    source: int
    final: bool = True
    schema: Any = None
    unreadable: str | None = None


@dataclass(slots=True)
class BatchResult:
    """A worker's answer: the output (bytes, per-document bytes, or a record batch) and its counts.

    For ``docs`` into text, ``payload`` holds one ``bytes`` per document (None: flagged)
    and ``notes`` the messages for stderr. ``first_error`` serves ``--on-error fail``.
    ``unreadable`` is passed on from the ``Batch``, in input order like every result.
    """

    source: int
    final: bool
    payload: Any
    stats: Stats
    first_error: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    unreadable: str | None = None


class Worker:
    """Cleans batches: one per process, built by the pool initializer and reused for every batch."""

    def __init__(self, spec: JobSpec) -> None:
        self.cleaner = spec.cleaner
        self.options = spec.options
        self.url = spec.url

    def __call__(self, batch: Batch) -> BatchResult:
        if batch.unreadable is not None:
            return BatchResult(batch.source, True, b"", Stats(), unreadable=batch.unreadable)
        start = time.perf_counter()
        handler = {"lines": self._lines, "docs": self._docs, "arrow": self._arrow}[batch.kind]
        result = handler(batch)
        result.stats.cpu_seconds = time.perf_counter() - start
        return result

    def _clean(
        self, record: dict[str, Any], line: int | None, stats: Stats, *, surrogates_checked: bool = False
    ) -> tuple[dict[str, Any], CleanResult | None]:
        out, result = clean_record_result(
            self.cleaner, record, self.options, line=line, surrogates_checked=surrogates_checked
        )
        stats.add(record, out, result, field=self.options.field)
        return out, result

    def _named(self, rec_out: dict[str, Any]) -> dict[str, Any]:
        """A flagged record's error with the record's ``--id-field`` value, for the ``--on-error fail`` message."""
        key = self.options.id_field
        return {**rec_out["error"], "id": rec_out[key]} if key and key in rec_out else rec_out["error"]

    def _lines(self, batch: Batch) -> BatchResult:
        stats, out, first_error = Stats(), [], None
        for number, raw in enumerate(batch.items, batch.first):
            stats.bytes_in += len(raw) + 1
            if not raw.strip():
                continue  # a blank line is not a record
            record, rec_out = parse_jsonl_line(raw, number)
            if record is not None:  # parse_jsonl_line refuses a lone surrogate: no need to look again
                rec_out, result = self._clean(record, number, stats, surrogates_checked=True)
                flagged = result is None
            else:
                assert rec_out is not None
                stats.add_error(rec_out["error"]["type"])
                flagged = True
            if flagged and first_error is None:
                first_error = self._named(rec_out)
            out.append(rec_out)
        return self._finish(batch, out, stats, first_error)

    def _docs(self, batch: Batch) -> BatchResult:
        """Text files: each becomes a record ``{id: name, text: ..., url: --url}`` and is cleaned."""
        stats, out, first_error, notes, sources = Stats(), [], None, [], []
        opts = self.options
        key = opts.id_field or "id"
        for source, name, data in batch.items:
            stats.bytes_in += len(data)
            sources.append(source)
            if opts.html:  # pages declare their own charset: decode as a browser would
                from cleaner.html_decode import decode_html

                record = {key: name, opts.field: decode_html(data)}
            else:
                record = text_record(name, data, field=opts.field, id_field=key)
            result = None
            if "error" in record:
                stats.add_error(record["error"]["type"])
                rec_out = record
            else:
                if self.url:
                    record[opts.url_field or "url"] = self.url
                rec_out, result = self._clean(record, None, stats)
            if result is None:
                first_error = first_error or {**rec_out["error"], "source": name}
                message = rec_out["error"]["message"]
                notes.append(f"boilerstrip: {message if message.startswith(name) else f'{name}: {message}'}")
            else:
                notes.extend(f"boilerstrip: {name}: warning: {w}" for w in result.warnings)
            out.append(rec_out)
        if batch.out == "txt":  # one text per file; None for a flagged file
            field_out = opts.out_field or opts.field
            # A text ends with a newline, as text files do; nothing left stays nothing (not a lone "\n").
            payloads = [None if "error" in r and field_out not in r else (r[field_out] + "\n").encode()
                        if r[field_out] else b"" for r in out]
            stats.bytes_out = sum(len(p) for p in payloads if p)
            return BatchResult(batch.source, True, payloads, stats, first_error, notes, sources)
        res = self._finish(batch, out, stats, first_error)
        res.notes, res.sources = notes, sources
        return res

    def _arrow(self, batch: Batch) -> BatchResult:
        stats, out, first_error = Stats(), [], None
        stats.bytes_in = batch.items.nbytes
        for number, record in enumerate(batch.items.to_pylist(), batch.first):
            rec_out, result = self._clean(record, number, stats)
            if result is None and first_error is None:
                first_error = {**self._named(rec_out), "row": rec_out["error"].get("line")}
            out.append(rec_out)
        return self._finish(batch, out, stats, first_error)

    def _finish(
        self, batch: Batch, records: list[dict[str, Any]], stats: Stats, first_error: dict[str, Any] | None
    ) -> BatchResult:
        if batch.out == "parquet":
            payload: Any = records_to_batch(records, batch.schema)
            stats.bytes_out = payload.nbytes
        else:
            keep = batch.kind == "lines"  # JSONL in: NaN/Infinity came as such and go out as such
            payload = b"".join(dump_jsonl(record, keep_non_finite=keep) for record in records)
            stats.bytes_out = len(payload)
        return BatchResult(batch.source, batch.final, payload, stats, first_error)


# --- the parent: batches in, outputs out ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """Where output goes: ``stdout``, one ``file``, or a ``dir`` with one output per input."""

    mode: str
    path: Path | None
    format: str | None  # None: each input's own format


def output_format(source: Source, target: Target) -> str:
    """The format an input is written in: the target's, else the input's (Parquet to stdout: JSONL)."""
    if target.format:
        return target.format
    if target.mode == "stdout" and kind_of(source.format) == "parquet":
        return "jsonl"
    return source.format


def output_path(source: Source, target: Target) -> Path:
    """Directory mode: the input's relative name under the target, suffix following the output format."""
    assert target.path is not None
    fmt = output_format(source, target)
    if fmt == source.format:
        return target.path / source.rel
    return target.path / (strip_suffix(source.rel) + SUFFIX[fmt])


@dataclass
class RunOutcome:
    stats: Stats
    failed: str | None = None  # --on-error fail: what stopped the run
    skipped: int = 0  # --resume: inputs whose output already existed
    unreadable: list[str] = field(default_factory=list)  # inputs that could not be read, with where and why


class _Sink:
    """One open output: a JSONL/text stream, or a Parquet writer over an atomic file.

    Parquet from Parquet input arrives as record batches of a schema known up front; Parquet
    from JSONL or text arrives as JSONL lines, spooled until the schema is known (``ParquetSpool``).
    """

    def __init__(self, out: AtomicOutput | None, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.parquet: Any = None
        self.spool: ParquetSpool | None = None

    def write(self, payload: Any) -> None:
        if self.fmt == "parquet" and isinstance(payload, bytes):
            assert self.out is not None
            if self.spool is None:
                self.spool = self._new_spool()
            self.spool.write(payload)
        elif self.fmt == "parquet":
            import pyarrow.parquet as pq

            assert self.out is not None
            if self.parquet is None:
                self.parquet = pq.ParquetWriter(self.out.stream, payload.schema)
            self.parquet.write_batch(payload)
        elif self.out is None:
            sys.stdout.buffer.write(payload)
        else:
            self.out.write(payload)

    def commit(self, schema: pa.Schema | None = None) -> None:
        if self.fmt == "parquet" and self.parquet is None and (self.spool is not None or schema is None):
            assert self.out is not None
            (self.spool or self._new_spool()).finish(self.out.stream)
            self.spool = None
        elif self.fmt == "parquet" and self.parquet is None:
            import pyarrow.parquet as pq

            assert self.out is not None
            self.parquet = pq.ParquetWriter(self.out.stream, schema)  # an empty input: an empty file
        if self.parquet is not None:
            self.parquet.close()
        if self.out is not None:
            self.out.commit()
        else:
            sys.stdout.buffer.flush()

    def _new_spool(self) -> ParquetSpool:
        from cleaner.parquet_spool import ParquetSpool  # pyarrow only when Parquet is written

        assert self.out is not None
        return ParquetSpool(directory=str(self.out.temp.parent))

    def abort(self) -> None:
        if self.spool is not None:
            self.spool.close()
        if self.out is not None:
            self.out.abort()


class Runner:
    """One ``clean`` run over many inputs. Build it, then ``run()``; see ``cli._cmd_clean``."""

    def __init__(
        self,
        sources: Sequence[Source],
        target: Target,
        spec: JobSpec,
        *,
        workers: int,
        batch_size: int,
        fail_fast: bool,
        resume: bool,
        progress: Progress,
        notes: Callable[[str], None],
    ) -> None:
        self.sources = list(sources)
        self.target = target
        self.spec = spec
        self.workers = workers
        self.batch_size = batch_size
        self.fail_fast = fail_fast
        self.resume = resume
        self.progress = progress
        self.notes = notes
        self.skipped = 0
        self.schemas: dict[int, pa.Schema] = {}

    def _todo(self) -> list[int]:
        todo = []
        for i, source in enumerate(self.sources):
            if self.resume and self.target.mode == "dir" and output_path(source, self.target).exists():
                self.skipped += 1
                continue
            todo.append(i)
        return todo

    def batches(self, todo: Sequence[int]) -> Iterator[Batch]:
        """Every input cut into batches, in order; text files are grouped many per batch.

        An input that cannot be read (to its end) ends with a batch marked ``unreadable``,
        after the batches of whatever was read before the failure, and the next input follows.
        """
        docs: list[tuple[int, str, bytes]] = []
        docs_fmt, size = "", 0
        for i in todo:
            source = self.sources[i]
            kind = kind_of(source.format)
            fmt = output_format(source, self.target)
            if kind_of(fmt) == "parquet" and (kind != "parquet" or self._merging):
                fmt = "jsonl"  # records go to the sink as JSONL, spooled into Parquet there (ParquetSpool)
            if docs and (kind != "txt" or fmt != docs_fmt):
                yield Batch("docs", docs, 0, docs_fmt, docs[-1][0])
                docs, size = [], 0
            try:
                if kind == "txt":
                    data = _read_text_file(source)
                    docs.append((i, source.rel, data))
                    docs_fmt, size = fmt, size + len(data)
                    if len(docs) >= self.batch_size or size >= 4_000_000:
                        yield Batch("docs", docs, 0, fmt, i)
                        docs, size = [], 0
                else:
                    yield from self._record_batches(i, source, fmt)
            except InputError as exc:
                if docs:
                    yield Batch("docs", docs, 0, docs_fmt, docs[-1][0])
                    docs, size = [], 0
                yield Batch("lines", [], 0, fmt, i, final=True, unreadable=str(exc))
        if docs:
            yield Batch("docs", docs, 0, docs_fmt, docs[-1][0])

    def _record_batches(self, i: int, source: Source, fmt: str) -> Iterator[Batch]:
        """The batches of one JSONL or Parquet input, then its ``final`` batch."""
        if kind_of(source.format) == "parquet":
            if source.path is None:
                raise InputError("<stdin>: Parquet cannot be read from stdin; give the file's path")
            opts = self.spec.options
            schema = None
            if kind_of(fmt) == "parquet":
                schema = output_schema(parquet_schema(source.path), field=opts.field,
                                       out_field=opts.out_field, metadata=opts.metadata, explain=opts.explain)
                self.schemas[i] = schema
            row = 1
            for batch in iter_parquet_batches(source.path, batch_size=self.batch_size):
                yield Batch("arrow", batch, row, fmt, i, final=False, schema=schema)
                row += batch.num_rows
            yield Batch("lines", [], 0, fmt, i, final=True, schema=schema)
            return
        with open_input(source) as stream:
            for first, lines in iter_line_batches(stream, batch_size=self.batch_size, name=source.name):
                yield Batch("lines", lines, first, fmt, i, final=False)
        yield Batch("lines", [], 0, fmt, i, final=True)

    @property
    def _merging(self) -> bool:
        """Several inputs into one file: their schemas may differ, so Parquet is spooled."""
        return self.target.mode == "file" and len(self.sources) > 1

    def _open(self, i: int) -> _Sink:
        source = self.sources[i]
        fmt = output_format(source, self.target)
        if self.target.mode == "dir":
            return _Sink(AtomicOutput(output_path(source, self.target), fmt), fmt)
        assert self.target.path is not None
        return _Sink(AtomicOutput(self.target.path, fmt), fmt)

    def run(self) -> RunOutcome:
        start = time.perf_counter()
        total = Stats()
        todo = self._todo()
        single: _Sink | None = None
        if self.target.mode == "stdout":
            single = _Sink(None, self.target.format or "jsonl")
        elif self.target.mode == "file":
            single = self._open(todo[0] if todo else 0)
        sinks: dict[int, _Sink] = {}
        failed = None
        unreadable: list[str] = []
        if self.workers > 1:
            self.spec.cleaner.rulebook.derive_openings()
        try:
            for res in ordered_map(Worker, self.spec, self.batches(todo), workers=self.workers):
                total.merge(res.stats)
                self.progress.update(res.stats.docs, res.stats.bytes_in)
                for note in res.notes:
                    self.notes(note)
                if res.unreadable is not None:
                    unreadable.append(res.unreadable)
                    self.notes(f"boilerstrip: {res.unreadable}")
                    if res.source in sinks:  # directory output: none for this input, so --resume retries it
                        sinks.pop(res.source).abort()
                    if self.fail_fast or self.target.mode == "file":
                        break  # one output file would lack this input's records: it is not written
                    continue
                if res.first_error is not None and self.fail_fast:
                    failed = _describe({"source": self.sources[res.source].name, **res.first_error})
                    break
                if single is not None:
                    self._write_single(single, res)
                elif res.sources and isinstance(res.payload, list):  # text files, one output each
                    for src, payload in zip(res.sources, res.payload, strict=True):
                        sink = self._open(src)
                        sink.write(payload if payload is not None else _raw_text(self.sources[src]))
                        sink.commit()
                elif res.sources:  # text files as records, one output each: one line per file
                    for src, line in zip(res.sources, res.payload.splitlines(keepends=True), strict=True):
                        sink = self._open(src)
                        sink.write(line)
                        sink.commit()
                else:
                    sink = sinks.get(res.source) or sinks.setdefault(res.source, self._open(res.source))
                    if res.final:
                        sinks.pop(res.source).commit(self.schemas.get(res.source))
                    elif _nonempty(res.payload):
                        sink.write(res.payload)
            one_file_incomplete = bool(unreadable) and self.target.mode == "file"
            if failed is None and not one_file_incomplete and single is not None:
                single.commit(self.schemas.get(todo[0]) if todo else None)
                single = None
        finally:
            for sink in (*sinks.values(), *([single] if single else [])):
                sink.abort()
            self.progress.close()
        total.wall_seconds = time.perf_counter() - start
        return RunOutcome(total, failed, self.skipped, unreadable)

    def _write_single(self, sink: _Sink, res: BatchResult) -> None:
        if isinstance(res.payload, list):  # text into one stream (stdout): flagged documents print nothing
            for payload in res.payload:
                if payload is not None:
                    sink.write(payload)
        elif _nonempty(res.payload):
            sink.write(res.payload)


def _nonempty(payload: Any) -> bool:
    return bool(payload) if isinstance(payload, bytes) else payload.num_rows > 0


def _read_text_file(source: Source) -> bytes:
    with open_input(source) as stream:
        try:
            return stream.read()
        except OSError as exc:
            raise InputError(f"{source.name}: cannot read ({exc.strerror or exc})") from None


def _raw_text(source: Source) -> bytes:
    """A flagged text file is copied through unchanged, so the output directory is complete."""
    assert source.path is not None
    return source.path.read_bytes()


def _describe(error: dict[str, Any]) -> str:
    """``SOURCE: line N: id ID: TYPE: MESSAGE`` (``row N`` for Parquet), from what the error knows."""
    if error.get("row") is not None:
        where = f"row {error['row']}: "
    else:
        where = f"line {error['line']}: " if error.get("line") is not None else ""
    source = f"{error['source']}: " if error.get("source") else ""
    who = f"id {error['id']!r}: " if "id" in error else ""
    return f"{source}{where}{who}{error.get('type')}: {error.get('message')}"
