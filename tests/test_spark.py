"""Spark (local[2]) gives the same records as the local per-record path, malformed lines included."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'boilerstrip[spark]'")
pytest.importorskip("pandas", reason="pyspark's mapInArrow needs pandas: pip install 'boilerstrip[spark]'")

from golden_cases import load_cases
from pyspark.sql import SparkSession

from cleaner import CleanConfig, Cleaner, cli
from cleaner.record import RecordOptions, clean_record
from cleaner.spark import clean_dataframe, main, stats_accumulator

# detect on, as the CLI; small max_chars so one record is refused (an error record)
CONFIG = CleanConfig(detect=True, max_chars=15_000)


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"id": c.name, "url": c.url, "text": c.text, "n": i}
        for i, c in enumerate(load_cases()) if isinstance(c.text, str)  # text cases; HTML ones are bytes
    ]
    records.append({"id": "too-large", "url": None, "text": "Too large. " * 2_000, "n": 100})
    records.append({"id": "null-text", "url": "https://example.com/a", "text": None, "n": 101})
    return records


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("boilerstrip-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # tiny splits: JSONL files are cut in several splits, so line numbers cross splits
        .config("spark.sql.files.maxPartitionBytes", "8192")
        .config("spark.sql.files.openCostInBytes", "1024")
        .getOrCreate()
    )
    yield session
    session.stop()


def _frame(spark: SparkSession, records: list[dict[str, Any]]) -> Any:
    return spark.createDataFrame(records, "id string, url string, text string, n long").repartition(2)


def test_clean_dataframe_equals_clean_record(spark: SparkSession) -> None:
    records = _records()
    stats = stats_accumulator(spark)
    df = clean_dataframe(_frame(spark, records), metadata=True, explain=True, config=CONFIG, stats=stats)
    assert df.columns == ["id", "url", "text", "n", "boilerstrip_rules", "error",
                          "boilerstrip_metadata", "boilerstrip"]
    rows = {r["id"]: r.asDict(recursive=True) for r in df.collect()}
    cleaner = Cleaner(CONFIG)
    options = RecordOptions(metadata=True, explain=True)
    for record in records:
        want, got = clean_record(cleaner, record, options), rows[record["id"]]
        assert got["text"] == want["text"], record["id"]
        assert got["n"] == record["n"] and got["url"] == record["url"]
        assert got["boilerstrip_rules"] == want.get("boilerstrip_rules")
        assert got["error"] == ({"line": None, **want["error"]} if "error" in want else None)
        for col in ("boilerstrip_metadata", "boilerstrip"):
            assert (json.loads(got[col]) if got[col] else None) == want.get(col), (record["id"], col)
    assert {r["error"]["type"] for r in rows.values() if r["error"]} == {"InputTooLarge", "bad_field"}
    total = stats.value
    assert (total.docs, total.errors) == (len(records), 2)
    assert sum(total.rule_hits.values()) > 0


def test_out_field_keeps_the_input_column(spark: SparkSession) -> None:
    records = _records()[:3]
    df = clean_dataframe(_frame(spark, records), out_field="clean", config=CONFIG)
    assert df.columns == ["id", "url", "text", "n", "clean", "boilerstrip_rules", "error"]
    rows = {r["id"]: r for r in df.collect()}
    options = RecordOptions(out_field="clean")
    for record in records:
        assert rows[record["id"]]["text"] == record["text"]
        assert rows[record["id"]]["clean"] == clean_record(Cleaner(CONFIG), record, options)["clean"]


def test_usage_errors_are_raised_on_the_driver(spark: SparkSession) -> None:
    df = _frame(spark, _records()[:1])
    with pytest.raises(ValueError, match="no column 'body'"):
        clean_dataframe(df, field="body")
    with pytest.raises(TypeError, match="not string"):
        clean_dataframe(df, field="n")
    with pytest.raises(ValueError, match="on_error"):
        clean_dataframe(df, on_error="drop")


def _write_jsonl(folder: Path) -> list[Path]:
    """Two files: every golden record, a blank line, bad JSON, a non-object, invalid UTF-8."""
    lines = [json.dumps(r).encode() for r in _records()]
    lines[3:3] = [b"", b'{"id": "broken", "text": "unterminated', b"[1, 2]", b'\xff{"id": "latin"}']
    paths = [folder / "a.jsonl", folder / "b.jsonl"]
    half = len(lines) // 2
    paths[0].write_bytes(b"\n".join(lines[:half]) + b"\n")
    paths[1].write_bytes(b"\n".join(lines[half:]) + b"\n")
    return paths


def _key(record: dict[str, Any]) -> tuple[Any, ...]:
    error = record.get("error") or {}
    return (record.get("id"), error.get("line"), record.get("raw"))


def test_job_equals_the_cli(spark: SparkSession, tmp_path: Path) -> None:
    """``python -m cleaner.spark`` end to end (in-process: the module's session is reused) vs ``boilerstrip clean``."""
    import pyarrow.parquet as pq

    paths = _write_jsonl(tmp_path)
    options = ["--metadata", "--explain"]
    out, stats_file = tmp_path / "out", tmp_path / "stats.json"
    assert main([*map(str, paths), str(out), *options, "--stats", str(stats_file)]) == 1  # flagged, as the CLI
    got = {_key(r): r for r in pq.read_table(out).to_pylist()}

    cli_out, cli_stats = tmp_path / "cli.jsonl", tmp_path / "cli-stats.json"
    argv = ["clean", *map(str, paths), "-o", str(cli_out), *options, "--stats", str(cli_stats), "--quiet"]
    assert cli.main(argv) == 1
    want = {_key(r): r for r in map(json.loads, cli_out.read_text().splitlines())}

    assert set(got) == set(want)
    for key, w in want.items():
        g = got[key]
        for col in ("id", "url", "text", "n", "boilerstrip_rules", "raw"):
            assert g.get(col) == w.get(col), (key, col)
        assert g["error"] == ({"line": None, **w["error"]} if "error" in w else None), key
        for col in ("boilerstrip_metadata", "boilerstrip"):
            assert (json.loads(g[col]) if g[col] else None) == w.get(col), (key, col)
    assert {w["error"]["type"] for w in want.values() if "error" in w} >= {
        "bad_json", "not_object", "bad_utf8", "bad_field"}
    spark_stats, local_stats = json.loads(stats_file.read_text()), json.loads(cli_stats.read_text())
    for name in ("docs", "errors", "error_types", "warnings", "chars_in", "chars_out", "bytes_in", "rules",
                 "sites", "never_fired"):
        assert spark_stats[name] == local_stats[name], name


def test_html_mode_equals_clean_record(spark: SparkSession) -> None:
    """HTML pages (each Python worker runs its own trafilatura subprocess for the time budget)."""
    from cleaner.html_decode import decode_html

    pages = [{"id": c.name, "url": c.url, "text": decode_html(c.text), "n": i}
             for i, c in enumerate(load_cases()) if isinstance(c.text, bytes)]
    assert pages, "no HTML golden case"
    df = clean_dataframe(_frame(spark, pages), html=True, metadata=True, config=CONFIG)
    rows = {r["id"]: r for r in df.collect()}
    options = RecordOptions(html=True, metadata=True)
    for page in pages:
        want = clean_record(Cleaner(CONFIG), page, options)
        assert rows[page["id"]]["text"] == want["text"]
        assert json.loads(rows[page["id"]]["boilerstrip_metadata"]) == want["boilerstrip_metadata"]
