"""Parquet out of any input: JSONL shards, text files, and several inputs merged into one file.

The schema is inferred from every record (``ParquetSpool``): a field missing from some records is
null there, a field of one type keeps it, a field of mixed types (or objects, lists, integers
beyond 64 bits) is stored as JSON text, and error records keep their ``error`` struct.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaner import CleanConfig, Cleaner
from cleaner.cli import main
from cleaner.parquet_spool import FieldTypes

BODY = "The city council met on Monday evening to debate the road repair budget for the coming year."
RAW = f"Download App\n{BODY}\nFollow us on WhatsApp"
RUN = ["--no-detect", "--quiet", "--batch-size", "2"]
RULES_ONLY = Cleaner(CleanConfig(detect=False))


def _shard(path: Path) -> Path:
    lines = [
        json.dumps({"id": 1, "text": RAW, "score": 0.5}),
        "{broken json",
        json.dumps({"id": 2, "text": "Plain prose sentence here.", "tags": ["a", "b"], "score": 1}),
        json.dumps({"id": 3, "body": "no text field", "mixed": "x"}),
        json.dumps({"id": 4, "text": "Another plain sentence.", "mixed": 7, "big": 2**70}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_to_parquet_keeps_every_record_and_every_value(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert main(["clean", str(_shard(tmp_path / "in.jsonl")), "-o", str(out), *RUN]) == 1
    table = pq.read_table(out)
    rows = table.to_pylist()
    assert len(rows) == 5
    assert [r["id"] for r in rows] == [1, None, 2, 3, 4]
    assert rows[0]["text"] == RULES_ONLY.clean(RAW) == BODY
    assert rows[1]["error"]["type"] == "bad_json" and rows[1]["error"]["line"] == 2 and rows[1]["raw"] == "{broken json"
    assert rows[3]["error"]["type"] == "missing_field" and rows[3]["body"] == "no text field"
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("score").type == pa.float64()
    assert [r["score"] for r in rows] == [0.5, None, 1.0, None, None]
    assert json.loads(rows[2]["tags"]) == ["a", "b"]
    assert [json.loads(r["mixed"]) for r in rows if r["mixed"] is not None] == ["x", 7]
    assert json.loads(rows[4]["big"]) == 2**70
    assert not list(tmp_path.glob(".*")), "no temporary or spool file is left behind"


def test_jsonl_to_parquet_is_identical_across_worker_counts(tmp_path: Path) -> None:
    src = _shard(tmp_path / "in.jsonl")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.parquet"
        main(["clean", str(src), "-o", str(out), "-j", workers, *RUN])
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_text_files_and_parquet_merge_into_one_parquet(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(RAW, encoding="utf-8")
    (docs / "b.txt").write_bytes(b"\x00\x01binary")
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": [RAW], "n": [5]}), src)
    out = tmp_path / "all.parquet"
    assert main(["clean", str(docs), str(src), "-o", str(out), *RUN]) == 1
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == ["a.txt", "b.txt", None]
    assert rows[0]["text"] == BODY and rows[2]["text"] == BODY and rows[2]["n"] == 5
    assert rows[1]["error"]["type"] == "binary"


def test_empty_jsonl_gives_an_empty_parquet_file(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), *RUN]) == 0
    assert pq.read_table(out).num_rows == 0


@pytest.mark.parametrize(("values", "expected"), [
    (["a", None], pa.string()),
    ([True, False], pa.bool_()),
    ([1, None, 2**62], pa.int64()),
    ([1, 2.5], pa.float64()),
    ([2**63], pa.string()),
    ([2**60, 0.5], pa.string()),
    ([None], pa.string()),
])
def test_field_types(values: list[object], expected: pa.DataType) -> None:
    types = FieldTypes()
    for value in values:
        types.observe({"f": value})
    assert types.arrow_type("f") == expected
