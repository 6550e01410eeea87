"""``boilerstrip clean`` as a pipeline step: every format in and out, fields, errors, exit codes, safety.

Detection is off (``--no-detect``) so these tests pin the pipeline, not the detector's model.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from cleaner import Cleaner
from cleaner.cli import main

BODY = "The city council met on Monday evening to debate the road repair budget for the coming year."
RAW = f"Download App\n{BODY}\nFollow us on WhatsApp"
RUN = ["--no-detect", "--quiet"]


def _jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def _read_jsonl(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


@pytest.fixture
def shard(tmp_path: Path) -> Path:
    return _jsonl(tmp_path / "shard.jsonl", [
        {"id": "a", "text": RAW, "url": "https://example.org/a", "lang": "en"},
        "{broken json",
        {"id": "c", "body": "no text field"},
        {"id": "d", "text": ["not", "a", "string"]},
        {"id": "e", "text": ""},
    ])


def test_jsonl_fields_pass_through_and_errors_are_flagged(shard: Path, capsysbinary: pytest.CaptureFixture[bytes],
                                                          cleaner: Cleaner) -> None:
    assert main(["clean", str(shard), *RUN]) == 1
    out = _read_jsonl(capsysbinary.readouterr().out)
    assert len(out) == 5
    assert out[0] == {"id": "a", "text": BODY, "url": "https://example.org/a", "lang": "en",
                      "boilerstrip_rules": cleaner.ruleset_version}
    assert out[1]["error"] == {"type": "bad_json", "message": out[1]["error"]["message"], "line": 2}
    assert out[1]["raw"] == "{broken json"
    assert out[2]["error"]["type"] == "missing_field" and out[2]["body"] == "no text field"
    assert out[3]["error"]["type"] == "bad_field" and out[3]["text"] == ["not", "a", "string"]
    assert out[4]["text"] == "" and "error" not in out[4]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_nan_and_infinity_pass_through_jsonl_unchanged(tmp_path: Path, workers: str,
                                                       capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """JSONL that carries NaN/Infinity (the stdlib writes them) gets them back, not a silent null."""
    shard = _jsonl(tmp_path / "nan.jsonl", [f'{{"text": {json.dumps(RAW)}, "score": NaN, "hi": Infinity}}'] * 3)
    assert main(["clean", str(shard), *RUN, "-j", workers, "--batch-size", "1"]) == 0
    out = [json.loads(line) for line in capsysbinary.readouterr().out.decode().splitlines()]
    assert len(out) == 3
    assert all(r["text"] == BODY and r["score"] != r["score"] and r["hi"] == float("inf") for r in out)


def test_out_field_keeps_original_and_adds_metadata_and_explain(shard: Path,
                                                                capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    main(["clean", str(shard), "--out-field", "clean", "--metadata", "--explain", *RUN])
    first = _read_jsonl(capsysbinary.readouterr().out)[0]
    assert first["text"] == RAW and first["clean"] == BODY
    assert first["boilerstrip_metadata"] == {}
    removed = {r["rule"] for r in first["boilerstrip"]["removed"]}
    assert {"app.install-line", "social.follow-line"} <= removed


def test_custom_text_and_url_fields_select_site_rules(tmp_path: Path,
                                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [{"content": RAW, "link": "https://www.standardmedia.co.ke/x"}])
    main(["clean", str(src), "--field", "content", "--url-field", "link", "--explain", *RUN])
    out = _read_jsonl(capsysbinary.readouterr().out)[0]
    assert out["content"] == BODY and out["boilerstrip"]["site"] == "standardmedia"


@pytest.mark.parametrize("suffix", ["jsonl", "jsonl.gz", "jsonl.zst"])
def test_jsonl_compressed_in_and_out(tmp_path: Path, shard: Path, suffix: str) -> None:
    import zstandard

    packed = {"jsonl": lambda b: b, "jsonl.gz": gzip.compress,
              "jsonl.zst": lambda b: zstandard.ZstdCompressor().compress(b)}[suffix]
    unpack = {"jsonl": lambda b: b, "jsonl.gz": gzip.decompress,
              "jsonl.zst": lambda b: zstandard.ZstdDecompressor().stream_reader(io.BytesIO(b)).read()}[suffix]
    src = tmp_path / f"in.{suffix}"
    src.write_bytes(packed(shard.read_bytes()))
    out = tmp_path / f"out.{suffix}"
    assert main(["clean", str(src), "-o", str(out), *RUN]) == 1
    records = _read_jsonl(unpack(out.read_bytes()))
    assert len(records) == 5 and records[0]["text"] == BODY


def test_output_format_converts(tmp_path: Path, shard: Path) -> None:
    out = tmp_path / "out.jsonl.gz"
    main(["clean", str(shard), "-o", str(out), *RUN])
    assert _read_jsonl(gzip.decompress(out.read_bytes()))[0]["text"] == BODY
    out2 = tmp_path / "out"
    main(["clean", str(shard), "-o", str(out2), "--output-format", "jsonl.gz", *RUN])
    assert _read_jsonl(gzip.decompress(out2.read_bytes()))[0]["text"] == BODY


def test_parquet_in_and_out(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": [RAW, None, "Plain prose sentence here."],
                             "score": [0.5, 0.25, 1.0]}), src, row_group_size=2)
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), "--metadata", "--batch-size", "2", *RUN]) == 1
    table = pq.read_table(out)
    assert table.column_names == ["id", "text", "score", "boilerstrip_rules", "error", "boilerstrip_metadata"]
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [1, 2, 3] and [r["score"] for r in rows] == [0.5, 0.25, 1.0]
    assert rows[0]["text"] == BODY and rows[0]["error"] is None
    assert rows[1]["error"] == {"type": "bad_field", "message": "field 'text' is null, not a string", "line": 2}
    assert json.loads(rows[0]["boilerstrip_metadata"]) == {}


def test_parquet_binary_text_column_is_read_as_utf8(tmp_path: Path) -> None:
    """Some writers store strings as plain ``binary``: UTF-8 bytes are text, anything else is flagged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": pa.array([RAW.encode(), b"\xff\xfe broken"], type=pa.binary())}), src)
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), *RUN]) == 1
    table = pq.read_table(out)
    assert table.schema.field("text").type == pa.binary()  # the input's schema is kept
    rows = table.to_pylist()
    assert rows[0]["text"] == BODY.encode() and rows[0]["error"] is None
    assert rows[1]["text"] == b"\xff\xfe broken"
    assert rows[1]["error"] == {"type": "bad_utf8", "message": "field 'text' holds bytes that are not UTF-8 (byte 0)",
                                "line": 2}


def test_html_as_parquet_binary_is_decoded_not_flagged(tmp_path: Path) -> None:
    """Crawls store pages as bytes (their charset unknown): HTML mode decodes them, as clean_html does."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    page = (f'<html><head><meta charset="windows-1252"></head><body><article><p>{BODY} Caf\u00e9.</p>'
            f"<p>{BODY}</p></article></body></html>").encode("cp1252")
    src = tmp_path / "pages.parquet"
    pq.write_table(pa.table({"id": [1, 2], "html": pa.array([page, None], pa.binary())}), src)
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), "--html", "--field", "html", "--out-field", "text", *RUN]) == 1
    rows = pq.read_table(out).to_pylist()
    assert rows[0]["error"] is None and rows[0]["html"] == page
    assert rows[0]["text"] == f"{BODY} Caf\u00e9.\n{BODY}"
    assert rows[1]["error"]["type"] == "bad_field"


def test_parquet_to_jsonl_and_not_to_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": [RAW]}), src)
    assert main(["clean", str(src), *RUN]) == 0  # Parquet to stdout: JSONL
    assert _read_jsonl(capsysbinary.readouterr().out)[0]["text"] == BODY
    assert main(["clean", str(src), "--output-format", "parquet", *RUN]) == 2
    assert b"cannot go to stdout" in capsysbinary.readouterr().err


def test_text_file_to_stdout_prints_text(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(RAW, encoding="utf-8")
    assert main(["clean", str(doc), "--no-detect"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == f"{BODY}\n".encode() and captured.err == b""


def test_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RAW.encode())))
    assert main(["clean", "-", *RUN]) == 0
    assert capsysbinary.readouterr().out == f"{BODY}\n".encode()
    line = json.dumps({"text": RAW}).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line)))
    assert main(["clean", "-", "--format", "jsonl", *RUN]) == 0
    assert _read_jsonl(capsysbinary.readouterr().out)[0]["text"] == BODY


@pytest.mark.parametrize("fmt", ["jsonl.gz", "jsonl.zst"])
def test_stdin_compressed_jsonl_is_decompressed(fmt: str, monkeypatch: pytest.MonkeyPatch, cleaner: Cleaner,
                                                capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import zstandard

    line = json.dumps({"text": RAW}).encode() + b"\n"
    packed = gzip.compress(line) if fmt == "jsonl.gz" else zstandard.ZstdCompressor().compress(line)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(packed)))
    assert main(["clean", "-", "--format", fmt, *RUN]) == 0
    assert _read_jsonl(capsysbinary.readouterr().out) == [{"text": BODY, "boilerstrip_rules": cleaner.ruleset_version}]


def test_stdin_parquet_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"PAR1")))
    assert main(["clean", "-", "--format", "parquet", "-o", "x.jsonl", *RUN]) == 2
    assert "Parquet cannot be read from stdin" in capsys.readouterr().err


def test_text_directory_to_directory_same_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(RAW, encoding="utf-8")
    (src / "sub" / "b.txt").write_text(RAW, encoding="utf-8")
    (src / "sub" / "bad.txt").write_bytes(b"\xff\xfe not utf-8")
    (src / "sub" / "empty.txt").write_bytes(b"")
    (src / "sub" / "promo.txt").write_text("Download App\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), *RUN]) == 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        ["a.txt", "sub/b.txt", "sub/bad.txt", "sub/empty.txt", "sub/promo.txt"]
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == BODY + "\n"
    assert (out / "sub" / "empty.txt").read_bytes() == b"" == (out / "sub" / "promo.txt").read_bytes()
    assert (out / "sub" / "bad.txt").read_bytes() == b"\xff\xfe not utf-8"  # flagged: copied through
    assert "sub/bad.txt: not valid UTF-8" in capsys.readouterr().err


def test_text_directory_into_one_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(RAW, encoding="utf-8")
    (src / "b.txt").write_bytes(b"\x00\x01 binary")
    out = tmp_path / "all.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--url", "https://example.org/", *RUN]) == 1
    records = _read_jsonl(out.read_bytes())
    assert records[0]["id"] == "a.txt" and records[0]["text"] == BODY and records[0]["url"] == "https://example.org/"
    assert records[1]["id"] == "b.txt" and records[1]["error"]["type"] == "binary"


def test_document_over_max_chars_is_flagged(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import config

    monkeypatch.setattr(config.CleanConfig, "__init__", _with_max_chars(config.CleanConfig.__init__, 100))
    src = _jsonl(tmp_path / "in.jsonl", [{"text": "x" * 101}, {"text": "short"}])
    assert main(["clean", str(src), *RUN]) == 1
    out = _read_jsonl(capsysbinary.readouterr().out)
    assert out[0]["error"]["type"] == "InputTooLarge" and out[0]["error"]["line"] == 1
    assert out[1]["text"] == "short"


def _with_max_chars(init: Any, limit: int) -> Any:
    def patched(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["max_chars"] = limit
        init(self, *args, **kwargs)
    return patched


def test_on_error_fail_stops_and_leaves_no_output(tmp_path: Path, shard: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(shard), "-o", str(out), "--on-error", "fail", *RUN]) == 1
    assert "line 2: bad_json" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [shard]


def test_on_error_fail_names_the_file_the_line_and_the_record(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    good = _jsonl(tmp_path / "good.jsonl", [{"id": "a1", "text": RAW}])
    bad = _jsonl(tmp_path / "bad.jsonl", [{"id": "b1", "text": RAW}, {"id": "b2", "text": 5}])
    argv = ["--on-error", "fail", "--id-field", "id", *RUN]
    assert main(["clean", str(good), str(bad), "-o", str(tmp_path / "all.jsonl"), *argv]) == 1
    assert f"{bad}: line 2: id 'b2': bad_field: field 'text' is int" in capsys.readouterr().err
    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": [7, 8], "text": [RAW, None]}), table)
    assert main(["clean", str(table), "-o", str(tmp_path / "t.jsonl"), *argv]) == 1
    assert f"{table}: row 2: id 8: bad_field" in capsys.readouterr().err


def test_failure_mid_write_leaves_no_final_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import pipeline

    src = _jsonl(tmp_path / "in.jsonl", [{"text": f"doc {i}"} for i in range(100)])
    calls = {"n": 0}
    real = pipeline.clean_record_result

    def dies_at_50(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 50:
            raise MemoryError("simulated crash mid-run")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "clean_record_result", dies_at_50)
    out_dir = tmp_path / "out"
    with pytest.raises(MemoryError):
        main(["clean", str(src), "-o", str(out_dir / "in.jsonl"), "-j", "1", "--batch-size", "16", *RUN])
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_resume_skips_finished_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a", "b"):
        _jsonl(src / f"{name}.jsonl", [{"text": RAW}])
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.jsonl").write_text("already done\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(out), "--resume", "--no-detect"]) == 0
    assert (out / "a.jsonl").read_text(encoding="utf-8") == "already done\n"
    assert _read_jsonl((out / "b.jsonl").read_bytes())[0]["text"] == BODY
    assert "skipped 1 input(s)" in capsys.readouterr().err


def _truncated_gz(path: Path, n: int) -> int:
    """A gzip file of ``n`` records cut mid-stream; returns how many whole lines can still be read from it."""
    packed = gzip.compress("".join(json.dumps({"id": i, "text": RAW}) + "\n" for i in range(n)).encode())
    path.write_bytes(packed[: len(packed) // 2])
    readable = 0
    with gzip.open(path, "rb") as stream, pytest.raises(EOFError):
        for _ in stream:
            readable += 1
    return readable


@pytest.mark.parametrize("workers", ["1", "2"])
def test_unreadable_inputs_are_reported_and_the_others_written(tmp_path: Path, workers: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    _jsonl(src / "a.jsonl", [{"text": RAW}])
    _truncated_gz(src / "b.jsonl.gz", 400)
    (src / "c.parquet").write_bytes(b"")
    _jsonl(src / "d.jsonl", [{"text": RAW}])
    stats = tmp_path / "stats.json"
    argv = ["clean", str(src), "-o", str(out), "-j", workers, "--batch-size", "16", "--stats", str(stats), *RUN]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "b.jsonl.gz: cannot read past line" in err and "c.parquet: cannot read as Parquet" in err
    assert "2 input(s) could not be read" in err
    assert len(json.loads(stats.read_text(encoding="utf-8"))["unreadable_inputs"]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "d.jsonl"]  # no partial output, no temporary file
    assert _read_jsonl((out / "d.jsonl").read_bytes())[0]["text"] == BODY
    (src / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": RAW}).encode() + b"\n"))
    (src / "c.parquet").unlink()
    assert main([*argv, "--resume"]) == 0  # the rerun does exactly what the first run could not
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "b.jsonl.gz", "d.jsonl"]


def test_directory_links_are_followed_and_a_dangling_one_reported(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src, shards, out = tmp_path / "src", tmp_path / "shards", tmp_path / "out"
    src.mkdir()
    shards.mkdir()
    _jsonl(src / "a.jsonl", [{"text": RAW}])
    _jsonl(shards / "s.jsonl", [{"text": RAW}])
    (src / "more").symlink_to(shards, target_is_directory=True)
    (src / "gone.jsonl").symlink_to(tmp_path / "deleted.jsonl")
    assert main(["clean", str(src), "-o", str(out), *RUN]) == 2
    assert "gone.jsonl: cannot read" in capsys.readouterr().err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl")) == ["a.jsonl", "more/s.jsonl"]
    assert _read_jsonl((out / "more" / "s.jsonl").read_bytes())[0]["text"] == BODY


def test_a_file_that_cannot_be_opened_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for name in ("a.jsonl", "b.jsonl", "c.txt"):
        _jsonl(src / name, [{"text": RAW}])
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name in ("b.jsonl", "c.txt"):  # as chmod 000 would, for a user who is not root
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert main(["clean", str(src), "-o", str(out), "-j", "1", *RUN]) == 2
    err = capsys.readouterr().err
    assert "b.jsonl: cannot read (Permission denied)" in err and "c.txt: cannot read (Permission denied)" in err
    assert [p.name for p in out.iterdir()] == ["a.jsonl"]


def test_unreadable_input_to_stdout_keeps_every_readable_record(tmp_path: Path,
                                                               capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    readable = _truncated_gz(tmp_path / "a.jsonl.gz", 400)
    after = _jsonl(tmp_path / "b.jsonl", [{"id": "after", "text": RAW}])
    outputs = []
    for workers in ("1", "2"):
        argv = ["clean", str(tmp_path / "a.jsonl.gz"), str(after), "-j", workers, "--batch-size", "16", *RUN]
        assert main(argv) == 2
        captured = capsysbinary.readouterr()
        assert f"a.jsonl.gz: cannot read past line {readable + 1}".encode() in captured.err
        outputs.append(captured.out)
    records = _read_jsonl(outputs[0])
    assert [r["id"] for r in records] == [*range(readable), "after"]
    assert outputs[0] == outputs[1]


def test_unreadable_input_into_one_file_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _jsonl(tmp_path / "a.jsonl", [{"text": RAW}])
    _truncated_gz(tmp_path / "b.jsonl.gz", 400)
    out = tmp_path / "all.jsonl"
    assert main(["clean", str(good), str(tmp_path / "b.jsonl.gz"), "-o", str(out), *RUN]) == 2
    assert "b.jsonl.gz: cannot read past line" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "b.jsonl.gz"]


def test_stats_json_matches_input(tmp_path: Path, shard: Path, cleaner: Cleaner) -> None:
    stats_path = tmp_path / "stats.json"
    main(["clean", str(shard), "-o", str(tmp_path / "o.jsonl"), "--stats", str(stats_path), *RUN])
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats["docs"] == 5 and stats["errors"] == 3
    assert stats["error_types"] == {"bad_field": 1, "bad_json": 1, "missing_field": 1}
    assert stats["chars_in"] == len(RAW) and stats["chars_out"] == len(BODY)
    assert stats["bytes_in"] == shard.stat().st_size
    assert stats["bytes_out"] == (tmp_path / "o.jsonl").stat().st_size
    assert stats["rules"]["app.install-line"] == {"hits": 1, "docs": 1, "chars": len("Download App\n")}
    assert "jiji.copyright-end" in stats["never_fired"]
    assert stats["ruleset_version"] == cleaner.ruleset_version
    assert set(stats) >= {"seconds", "mb_per_s", "share_removed", "sites", "warnings", "mb_in", "mb_out"}


def test_summary_on_stderr_unless_quiet(shard: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["clean", str(shard), "--no-detect"])
    assert "5 documents, 3 flagged" in capsys.readouterr().err
    main(["clean", str(shard), *RUN])
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [
    ["clean", "missing.jsonl"],
    ["clean", "-", "-o", "somedir/", "--format", "jsonl"],
    ["clean", "-", "--resume"],
    ["clean", "-", "--workers", "0"],
    ["clean", "-", "--output-format", "parquet", "-o", "x.parquet"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "boilerstrip:" in capsys.readouterr().err


def test_unwritable_output_or_stats_path_exits_2_naming_it(tmp_path: Path, shard: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a directory", encoding="utf-8")
    assert main(["clean", str(shard), "-o", str(blocker / "out.jsonl"), *RUN]) == 2
    assert f"{blocker / 'out.jsonl'}: cannot write" in capsys.readouterr().err
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(shard), "-o", str(out), "--stats", str(blocker / "stats.json"), *RUN]) == 2
    assert f"{blocker / 'stats.json'}: cannot write" in capsys.readouterr().err
    assert not out.exists()  # refused before the run, not after hours of it


def test_invalid_rule_file_exits_2(tmp_path: Path, shard: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("set: demo\nkind: generic\nrules:\n  - id: demo.x\n", encoding="utf-8")
    assert main(["clean", str(shard), "--rules", str(tmp_path)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_help_teaches_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["clean", "--help"])
    text = capsys.readouterr().out
    for needle in ("examples:", "--stats stats.json", "exit status:", "0  every record cleaned",
                   "1  some records flagged", "2  usage error", "--on-error", "--resume", "--workers"):
        assert needle in text
