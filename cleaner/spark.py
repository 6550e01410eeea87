"""boilerstrip on Apache Spark (optional extra ``boilerstrip[spark]``).

``clean_dataframe`` adds the cleaned text (and on request metadata, explanations and errors)
to a DataFrame; ``python -m cleaner.spark INPUT... OUTPUT`` (or ``spark-submit -m``-style,
``spark-submit cleaner/spark.py ...``) is a ready job from Parquet or JSONL to Parquet.

Every record goes through ``cleaner.record.clean_record_result``, the function the local CLI
and the datatrove steps use, so the Spark output equals the CLI's for the same input.

Design choices:

* ``mapInArrow``, not a row UDF: rows reach Python as Arrow record batches (no per-row
  pickling), input columns are passed back as the same Arrow arrays (zero copy, types
  untouched), and only the new columns are built in Python.
* One ``Cleaner`` per Python worker process: ``cleaner.api.default_cleaner`` caches it by
  config (configs are frozen, hence hashable) at module level. Spark reuses Python workers
  across tasks (``spark.python.worker.reuse``, on by default), so the rules are compiled
  once per worker rather than once per task or batch; the closure Spark ships carries only
  the small frozen config.
* Output columns, beyond the input's (unchanged, in order): the cleaned column (``field`` in
  place, or ``out_field`` appended), ``boilerstrip_rules`` (ruleset version, null when
  flagged), ``error`` (``struct<type, message, line>``, null when clean; always present, so
  ``where error is null`` selects the usable rows), and on request ``boilerstrip_metadata``
  and ``boilerstrip`` (explain). Both of those are **JSON strings**: metadata values are
  strings or, in HTML mode, lists of strings (tags, categories), so ``map<string,string>``
  would be lossy; JSON keeps exactly what the CLI writes and reads back with
  ``get_json_object(boilerstrip_metadata, '$.title')`` or ``from_json``.
* Statistics: each task folds its records into a ``cleaner.stats.Stats`` and adds it to a
  Spark accumulator once, at the end of the partition. The map runs in the same stage as
  the Parquet write (no shuffle), i.e. in result tasks, for which Spark applies each
  partition's accumulator update exactly once even when tasks are retried or speculated.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a file (spark-submit .../cleaner/spark.py): Python put this folder first on
    # sys.path, where cleaner/html.py would shadow the standard library's html module.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
from pyspark import Accumulator, AccumulatorParam
from pyspark.errors import AnalysisException, PythonException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType

from cleaner.api import default_cleaner
from cleaner.config import CleanConfig
from cleaner.readers import parse_jsonl_line
from cleaner.record import RecordOptions, clean_record_result
from cleaner.stats import Stats

ERROR_TYPE = StructType([
    StructField("type", StringType()),
    StructField("message", StringType()),
    StructField("line", LongType()),
])
RULES_COL, METADATA_COL, EXPLAIN_COL, ERROR_COL = "boilerstrip_rules", "boilerstrip_metadata", "boilerstrip", "error"
RAW_COL = "raw"  # JSONL input: the text of a line that is not a JSON object, as the CLI writes it
# hidden columns of the JSONL reader: the raw line, its file and the split's first byte
_LINE, _FILE, _BLOCK = "__boilerstrip_line", "__boilerstrip_file", "__boilerstrip_block_start"


class RecordFlagged(RuntimeError):
    """``on_error="fail"``: a record could not be cleaned; the task (and the job) fails."""


class StatsParam(AccumulatorParam):
    """Merges per-task ``Stats`` on the driver."""

    def zero(self, value: Stats) -> Stats:
        return Stats()

    def addInPlace(self, value1: Stats, value2: Stats) -> Stats:
        return value1.merge(value2)


def stats_accumulator(spark: SparkSession) -> Accumulator:
    """An accumulator to pass as ``clean_dataframe(stats=...)``; its ``.value`` is the run's ``Stats``."""
    return spark.sparkContext.accumulator(Stats(), StatsParam())


@dataclass(frozen=True)
class _BatchCleaner:
    """The function ``mapInArrow`` runs on each partition (pickled to the workers)."""

    options: RecordOptions
    config: CleanConfig | None
    names: tuple[str, ...]  # input columns passed through (JSONL: the parsed fields)
    out_col: str
    new_types: dict[str, pa.DataType]  # Arrow type of every column this step writes
    line_offsets: dict[tuple[str, int], int] | None  # JSONL: lines in the file before each split
    fail: bool
    stats: Accumulator | None

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        cleaner = default_cleaner(self.config)
        stats: Stats = Stats()
        lines_seen: dict[tuple[str, int], int] = {}
        started = time.process_time()
        for batch in batches:
            yield self._clean_batch(cleaner, batch, stats, lines_seen)
        stats.cpu_seconds = time.process_time() - started
        if self.stats is not None:
            self.stats.add(stats)

    def _records(
        self, batch: pa.RecordBatch, lines_seen: dict[tuple[str, int], int]
    ) -> list[tuple[int, dict[str, Any], dict[str, Any] | None, int | None]]:
        """``(row, record, bad-line error record or None, line number)`` for each row to output.

        JSONL: the worker parses each raw line itself with the CLI's ``parse_jsonl_line``
        (from the line's bytes, so invalid UTF-8 is caught too), so a malformed line becomes
        the same error record instead of the nulls ``spark.read.json`` would make of it.
        Blank lines are skipped (and counted). A split's rows arrive in file order, so the
        line number is the lines before the split (``read_jsonl``) plus the rows seen of it.
        """
        o = self.options
        if self.line_offsets is None:
            wanted = {name for name in (o.field, o.url_field) if name} & set(batch.schema.names)
            cols = {n: batch.column(n).to_pylist() for n in wanted}
            return [(i, {n: v[i] for n, v in cols.items()}, None, None) for i in range(batch.num_rows)]
        out: list[tuple[int, dict[str, Any], dict[str, Any] | None, int | None]] = []
        raws, files, starts = (batch.column(n).to_pylist() for n in (_LINE, _FILE, _BLOCK))
        for i, (raw, split) in enumerate(zip(raws, zip(files, starts, strict=True), strict=True)):
            lines_seen[split] = seen = lines_seen.get(split, 0) + 1
            if not raw.strip():
                continue  # a blank line is not a record
            line = self.line_offsets[split] + seen
            record, bad = parse_jsonl_line(raw, line)
            out.append((i, record or {}, bad, line))
        return out

    def _clean_batch(
        self, cleaner: Any, batch: pa.RecordBatch, stats: Stats, lines_seen: dict[tuple[str, int], int]
    ) -> pa.RecordBatch:
        o = self.options
        new: dict[str, list[Any]] = {n: [] for n in self.new_types}
        replaced = self.out_col in self.names
        original = batch.column(self.out_col).to_pylist() if replaced else None
        records = self._records(batch, lines_seen)
        for i, record, bad, line in records:
            if bad is not None:
                out, result = bad, None
                stats.add_error(bad["error"]["type"])
            else:
                out, result = clean_record_result(cleaner, record, o, line=line)
                stats.add(record, out, result, field=o.field)
            if result is None and self.fail:
                raise RecordFlagged(f"record could not be cleaned: {out['error']}")
            text = out.get(self.out_col) if result is not None else (original[i] if original else None)
            new[self.out_col].append(text)
            new[RULES_COL].append(out.get(RULES_COL))
            new[ERROR_COL].append(out.get(ERROR_COL))
            if METADATA_COL in new:
                new[METADATA_COL].append(_json(out.get(METADATA_COL)))
            if EXPLAIN_COL in new:
                new[EXPLAIN_COL].append(_json(out.get(EXPLAIN_COL)))
            if RAW_COL in new:
                new[RAW_COL].append(out.get(RAW_COL))
        arrays = {n: pa.array(v, type=self.new_types[n]) for n, v in new.items()}
        jsonl = self.line_offsets is not None
        # as the CLI counts: JSONL lines with their newline, else the text field
        stats.bytes_in += _nbytes(batch.column(_LINE)) + batch.num_rows if jsonl else _nbytes(batch.column(o.field))
        stats.bytes_out += _nbytes(arrays[self.out_col])
        if len(records) < batch.num_rows:  # blank JSONL lines were skipped
            batch = batch.take(pa.array([r[0] for r in records], type=pa.int64()))
        names = list(self.names)
        columns = [arrays[n] if n in arrays else batch.column(n) for n in names]
        extra = [n for n in self.new_types if n not in names]
        return pa.RecordBatch.from_arrays(columns + [arrays[n] for n in extra], names=names + extra)


def _json(value: Any) -> str | None:
    """JSON text as the CLI's Parquet writer makes it (orjson: compact, UTF-8)."""
    return None if value is None else orjson.dumps(value).decode()


def _nbytes(array: pa.Array) -> int:
    """Bytes of a string or binary column, read from its Arrow offsets (nothing is encoded)."""
    return int(pc.sum(pc.binary_length(array)).as_py() or 0)


def clean_dataframe(
    df: DataFrame,
    *,
    field: str = "text",
    out_field: str | None = None,
    url_field: str | None = "url",
    id_field: str | None = None,
    metadata: bool = False,
    explain: bool = False,
    html: bool = False,
    config: CleanConfig | None = None,
    on_error: str = "flag",
    stats: Accumulator | None = None,
) -> DataFrame:
    """``df`` with ``field`` cleaned (in place, or into ``out_field``) and boilerstrip's columns.

    Lazy, like every DataFrame transformation. A record that cannot be cleaned (text null or
    too large, HTML over its time budget) keeps its input and gets ``error`` set; with
    ``on_error="fail"`` the job fails on it instead. ``stats`` (from ``stats_accumulator``)
    collects a ``Stats`` across executors once an action has run.
    """
    options = RecordOptions(field, out_field, url_field, id_field, metadata, explain, html)
    return _clean(df, options, config, on_error, stats, line_offsets=None)


def _clean(
    df: DataFrame,
    options: RecordOptions,
    config: CleanConfig | None,
    on_error: str,
    stats: Accumulator | None,
    *,
    line_offsets: dict[tuple[str, int], int] | None,
) -> DataFrame:
    if on_error not in ("flag", "fail"):
        raise ValueError(f"on_error must be 'flag' or 'fail', not {on_error!r}")
    hidden = (_LINE, _FILE, _BLOCK) if line_offsets is not None else ()
    inputs = [f for f in df.schema.fields if f.name not in hidden]
    names = [f.name for f in inputs]
    if line_offsets is None:
        for name in (options.field, options.id_field):
            if name and name not in names:
                raise ValueError(f"no column {name!r} in the DataFrame (columns: {', '.join(names)})")
        if not isinstance(df.schema[options.field].dataType, StringType):
            raise TypeError(f"column {options.field!r} is {df.schema[options.field].simpleString()}, not string")
    out_col = options.out_field or options.field
    # the CLI's Parquet column order (cleaner.writers.output_schema)
    new_fields = [StructField(out_col, StringType()), StructField(RULES_COL, StringType()),
                  StructField(ERROR_COL, ERROR_TYPE)]
    if options.metadata:
        new_fields.append(StructField(METADATA_COL, StringType()))
    if options.explain:
        new_fields.append(StructField(EXPLAIN_COL, StringType()))
    if line_offsets is not None:
        new_fields.append(StructField(RAW_COL, StringType()))
    clashes = sorted({f.name for f in new_fields[1:]} & set(names))
    if clashes:
        raise ValueError(f"input already has column(s) {', '.join(clashes)}, which boilerstrip writes")
    by_name = {f.name: f for f in new_fields}
    out_fields = [by_name.get(f.name, f) for f in inputs] + [f for f in new_fields if f.name not in names]
    # Spark checks the Arrow types exactly: strings are large_string when it is set to send them so
    large = df.sparkSession.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false") == "true"
    text = pa.large_string() if large else pa.string()
    error = pa.struct([("type", text), ("message", text), ("line", pa.int64())])
    run = _BatchCleaner(
        options=options,
        config=config,
        names=tuple(names),
        out_col=out_col,
        new_types={f.name: error if f.name == ERROR_COL else text for f in new_fields},
        line_offsets=line_offsets,
        fail=on_error == "fail",
        stats=stats,
    )
    return df.mapInArrow(run, StructType(out_fields))


def read_jsonl(spark: SparkSession, paths: Sequence[str]) -> tuple[DataFrame, dict[tuple[str, int], int]]:
    """JSONL files as raw lines plus Spark's typed reading of them, and each split's first line.

    The fields' schema is what ``spark.read.json`` infers (one pass over the input);
    ``from_json`` types each line's fields for the output columns, while the worker parses
    the line itself to decide whether it is valid and what to clean. Spark splits large
    uncompressed files, so for line numbers a second cheap pass (JVM only, no Python)
    counts the lines of every split; the worker adds its position within the split.
    Splits are planned the same way for both passes (same files, same settings).
    """
    inferred = spark.read.json(list(paths)).schema
    schema = StructType([f for f in inferred.fields if f.name != "_corrupt_record"])
    lines = spark.read.text(list(paths)).select(
        F.col("value").cast("binary").alias(_LINE),  # the line's bytes as read, not validated
        F.col("_metadata.file_path").alias(_FILE),
        F.col("_metadata.file_block_start").alias(_BLOCK),
    )
    offsets: dict[tuple[str, int], int] = {}
    before: dict[str, int] = {}
    for row in sorted(lines.groupBy(_FILE, _BLOCK).count().collect()):
        path, start, count = row[0], row[1], row[2]
        offsets[(path, start)] = before.get(path, 0)
        before[path] = before.get(path, 0) + count
    parsed = F.from_json(F.col(_LINE).cast("string"), schema, {"mode": "PERMISSIVE"})
    fields = [parsed.getField(f.name).alias(f.name) for f in schema.fields]
    return lines.select(*fields, _LINE, _FILE, _BLOCK), offsets


def clean_files(
    spark: SparkSession,
    inputs: Sequence[str],
    output: str,
    options: RecordOptions,
    *,
    config: CleanConfig | None = None,
    on_error: str = "flag",
    input_format: str = "auto",
    mode: str = "errorifexists",
) -> Stats:
    """The job: read Parquet or JSONL, clean, write Parquet; return the run's ``Stats``."""
    fmt = input_format if input_format != "auto" else _guess_format(inputs)
    stats = stats_accumulator(spark)
    started = time.perf_counter()
    if fmt == "jsonl":
        lines, offsets = read_jsonl(spark, inputs)
        df = _clean(lines, options, config, on_error, stats, line_offsets=offsets)
    else:
        df = clean_dataframe(
            spark.read.parquet(*inputs), field=options.field, out_field=options.out_field,
            url_field=options.url_field, id_field=options.id_field, metadata=options.metadata,
            explain=options.explain, html=options.html, config=config, on_error=on_error, stats=stats,
        )
    df.write.mode(mode).parquet(output)
    total: Stats = stats.value
    total.wall_seconds = time.perf_counter() - started
    return total


def _guess_format(inputs: Sequence[str]) -> str:
    jsonl = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz", ".jsonl.zst")
    if all(p.endswith(jsonl) for p in inputs):
        return "jsonl"
    if all(p.endswith(".parquet") or Path(p).is_dir() for p in inputs):
        return "parquet"
    raise ValueError("cannot tell the input format from the file names; pass --input-format")


def build_parser() -> argparse.ArgumentParser:
    from cleaner.cli import _add_rule_options

    p = argparse.ArgumentParser(
        prog="python -m cleaner.spark",
        description="Clean Parquet or JSONL records on Spark and write Parquet (same options as "
                    "'boilerstrip clean'). Runs with spark-submit too.",
    )
    p.add_argument("paths", nargs="+", metavar="INPUT... OUTPUT", help="input files or directories, then the output")
    p.add_argument("--input-format", choices=("auto", "jsonl", "parquet"), default="auto")
    p.add_argument("--field", default="text", help="field holding the text to clean (default: text)")
    p.add_argument("--out-field", help="write the cleaned text here instead of replacing --field")
    p.add_argument("--url-field", default="url", help="field holding the page URL (default: url)")
    p.add_argument("--id-field", help="field identifying a record")
    p.add_argument("--html", action="store_true", help="the field holds HTML")
    p.add_argument("--metadata", action="store_true", help="add boilerstrip_metadata (JSON string)")
    p.add_argument("--explain", action="store_true", help="add boilerstrip (removals and warnings, JSON string)")
    p.add_argument("--on-error", choices=("flag", "fail"), default="flag",
                   help="flag: keep the record with an error column (default); fail: stop the job")
    p.add_argument("--stats", type=Path, metavar="FILE", help="write the run's statistics as JSON")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    p.add_argument("--master", help="Spark master when not run by spark-submit (default: local[*])")
    p.add_argument("--split-mb", type=float, default=16.0,
                   help="most input MB per task (spark.sql.files.maxPartitionBytes; default: %(default)s): "
                        "cleaning runs at a few MB/s per core, so small tasks keep every core busy "
                        "to the end")
    _add_rule_options(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status as the CLI's: 0 all clean, 1 some records flagged, 2 usage error."""
    from cleaner.cli import EXIT_FLAGGED, EXIT_OK, EXIT_USAGE, config_from_args
    from cleaner.rulespec import RuleFileError

    parser = build_parser()
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one INPUT and an OUTPUT")
    *inputs, output = args.paths
    options = RecordOptions(args.field, args.out_field, args.url_field or None, args.id_field,
                            args.metadata, args.explain, args.html)
    try:
        config = config_from_args(args)
        cleaner = default_cleaner(config)  # fail early, on the driver, on a bad rule file
    except RuleFileError as exc:
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_USAGE
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local mode: workers run this interpreter
    embedded = SparkSession.getActiveSession()  # called from a running application: leave it running
    builder = SparkSession.builder.appName("boilerstrip")
    if args.master:
        builder = builder.master(args.master)
    if embedded is None:
        builder = builder.config("spark.sql.files.maxPartitionBytes", str(int(args.split_mb * 1_000_000)))
    spark = builder.getOrCreate()
    try:
        stats = clean_files(
            spark, inputs, output, options, config=config, on_error=args.on_error,
            input_format=args.input_format, mode="overwrite" if args.overwrite else "errorifexists",
        )
    except (ValueError, TypeError, AnalysisException) as exc:  # missing column or path, output exists
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PythonException as exc:
        if RecordFlagged.__name__ not in str(exc):
            raise
        detail = str(exc).rsplit(f"{RecordFlagged.__name__}: ", 1)[-1].strip()
        print(f"boilerstrip: --on-error fail: {detail}; no output written", file=sys.stderr)
        return EXIT_FLAGGED
    finally:
        if embedded is None:
            spark.stop()
    print(stats.summary(), file=sys.stderr)
    if args.stats:
        rule_ids = [cr.id for cr in cleaner.rulebook.rules]
        args.stats.write_text(json.dumps(stats.to_dict(rule_ids), indent=2) + "\n")
    return EXIT_FLAGGED if stats.errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
