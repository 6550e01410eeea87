"""Inputs, readers, writers, atomic output and the error records of reading; ``Stats`` merging."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.atomic_output import AtomicOutput
from cleaner.formats import format_of, strip_suffix
from cleaner.inputs import Source, expand_inputs
from cleaner.readers import iter_line_batches, parse_jsonl_line, read_records, text_record
from cleaner.record import RecordOptions, clean_record_result
from cleaner.stats import Stats
from cleaner.textio import InputError
from cleaner.writers import dump_jsonl, output_schema, records_to_batch


@pytest.mark.parametrize(("name", "fmt"), [
    ("a.txt", "txt"), ("a", "txt"), ("a.html", "txt"), ("a.jsonl", "jsonl"), ("A.NDJSON", "jsonl"),
    ("a.jsonl.gz", "jsonl.gz"), ("a.jsonl.zst", "jsonl.zst"), ("a.parquet", "parquet"),
])
def test_format_from_name(name: str, fmt: str) -> None:
    assert format_of(name) == fmt


def test_strip_suffix() -> None:
    assert strip_suffix("x/a.jsonl.gz") == "x/a"
    assert strip_suffix("a.txt") == "a"
    assert strip_suffix("a.html") == "a.html"


def test_expand_walks_directories_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "1.jsonl", ".hidden", "b/.a.jsonl.tmp-1"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources = expand_inputs([str(tmp_path), "-"])
    assert [(s.rel, s.format) for s in sources] == [("1.jsonl", "jsonl"), ("b/2.txt", "txt"), ("-", "txt")]
    assert [s.format for s in expand_inputs([str(tmp_path)], "jsonl")] == ["jsonl", "jsonl"]
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.jsonl")])


def test_expand_follows_directory_links_lists_dangling_ones_and_stops_loops(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (root / "b").mkdir(parents=True)
    elsewhere.mkdir()
    for name in ("in/b.txt", "in/b/2.txt", "elsewhere/shard.jsonl"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "b" / "loop").symlink_to(root, target_is_directory=True)
    (elsewhere / "back").symlink_to(root, target_is_directory=True)  # a loop through two links
    (root / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    sources = expand_inputs([str(root)])
    assert [s.rel for s in sources] == ["b/2.txt", "b.txt", "gone.jsonl", "linked/shard.jsonl"]
    assert sources[-1].format == "jsonl" and sources[-1].path == root / "linked" / "shard.jsonl"


def test_line_batches_number_lines_and_bound_size() -> None:
    stream = io.BytesIO(b"a\nb\nc\nd\ne")
    assert list(iter_line_batches(stream, batch_size=2)) == [(1, [b"a", b"b"]), (3, [b"c", b"d"]), (5, [b"e"])]
    stream = io.BytesIO(b"x" * 10 + b"\n" + b"y\n")
    assert list(iter_line_batches(stream, batch_size=100, max_bytes=5)) == [(1, [b"x" * 10]), (2, [b"y"])]


def test_a_utf8_byte_order_mark_opening_jsonl_is_not_part_of_the_first_record() -> None:
    stream = io.BytesIO(b'\xef\xbb\xbf{"text": "a"}\n{"text": "b"}\n')
    assert list(iter_line_batches(stream, batch_size=10)) == [(1, [b'{"text": "a"}', b'{"text": "b"}'])]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_jsonl_is_an_input_error_not_a_flagged_record_per_line(encoding: str) -> None:
    data = ("\ufeff" + '{"text": "a"}\n' * 3).encode(encoding)
    with pytest.raises(InputError, match=r"^in\.jsonl: UTF-16 or UTF-32 text .*byte order mark.*convert it to UTF-8"):
        list(iter_line_batches(io.BytesIO(data), batch_size=10, name="in.jsonl"))


@pytest.mark.parametrize(("data", "kind", "message"), [
    ("\ufeffStory text.".encode("utf-16"), "bad_utf8", "UTF-16"),
    (b"\x00\x01\x02binary", "binary", "binary"),
    ("Café".encode("latin-1"), "bad_utf8", "not valid UTF-8"),
])
def test_text_files_that_are_not_utf8_say_what_they_are(data: bytes, kind: str, message: str) -> None:
    record = text_record("a.txt", data)
    assert record["error"]["type"] == kind and message in record["error"]["message"]


def test_corrupt_gzip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "a"}\n' * 100)[:-20])
    with pytest.raises(InputError, match=r"a\.jsonl\.gz: cannot read"):
        list(read_records(path))


def _zstd(data: bytes) -> bytes:
    """A streamed zstd frame (no content size in its header), as ``zstd`` writes from a pipe."""
    import zstandard

    out = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(out, closefd=False) as writer:
        writer.write(data)
    return out.getvalue()


LINES = b"".join(b'{"text": "record %d"}\n' % i for i in range(2000))


@pytest.mark.parametrize("damage", ["cut mid-stream", "cut in the frame header", "garbage after the frame",
                                    "not compressed"])
@pytest.mark.parametrize("suffix", ["jsonl.gz", "jsonl.zst"])
def test_damaged_compressed_input_is_an_input_error(tmp_path: Path, suffix: str, damage: str) -> None:
    packed = gzip.compress(LINES) if suffix == "jsonl.gz" else _zstd(LINES)
    data = {"cut mid-stream": packed[: len(packed) // 2], "cut in the frame header": packed[:4],
            "garbage after the frame": packed + b"trailing garbage", "not compressed": LINES}[damage]
    path = tmp_path / f"a.{suffix}"
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"a\.{suffix.replace('.', '[.]')}: cannot read"):
        list(read_records(path))


def test_zstd_frames_one_after_another_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.zst"
    path.write_bytes(_zstd(b'{"text": "one"}\n') + _zstd(b"") + _zstd(b'{"text": "two"}\n'))
    assert [r["text"] for r in read_records(path)] == ["one", "two"]
    path.write_bytes(b"")
    assert list(read_records(path)) == []


@pytest.mark.parametrize(("raw", "kind"), [
    (b'{"text": "unterminated', "bad_json"),
    (b'{"text": "caf\xe9"}', "bad_utf8"),
    (b"[1, 2]", "not_object"),
    (b'"a string"', "not_object"),
])
def test_bad_lines_become_error_records_with_line_and_raw(raw: bytes, kind: str) -> None:
    record, bad = parse_jsonl_line(raw, 7)
    assert record is None and bad is not None
    assert bad["error"]["type"] == kind and bad["error"]["line"] == 7
    assert bad["raw"] == raw.decode("utf-8", "replace")


@pytest.mark.parametrize("raw", [b'{"text": "a \\ud800 b"}', b'{"text": "a", "tags": ["\\udc00"]}',
                                 b'{"\\ud800": 1, "text": "a"}'])
def test_lone_surrogates_are_flagged_not_passed_on(raw: bytes) -> None:
    """A lone surrogate is valid JSON syntax but not text: no UTF-8 writer (JSONL, Parquet) can store it."""
    record, bad = parse_jsonl_line(raw, 3)
    assert record is None and bad is not None
    assert bad["error"]["type"] == "bad_unicode" and bad["error"]["line"] == 3
    assert "surrogate" in bad["error"]["message"] and bad["raw"] == raw.decode()
    assert dump_jsonl(bad).endswith(b"\n")


def test_a_record_built_in_code_with_a_lone_surrogate_is_flagged(cleaner: Cleaner) -> None:
    """Spark rows and datatrove documents skip the JSONL reader: the record step flags it itself."""
    record = {"id": 1, "text": "The council met.\nDownload App\nIt voted \udc80 yes."}
    out, result = clean_record_result(cleaner, record, RecordOptions(), line=4)
    assert result is None
    assert out["error"] == {"type": "bad_unicode", "line": 4,
                            "message": "field 'text' holds a lone surrogate (\\udc80), which is not text"}
    assert out["text"] == record["text"]
    html, _ = clean_record_result(cleaner, {"text": "<p>It voted \udc80 yes.</p>"}, RecordOptions(html=True))
    assert "error" not in html, "HTML mode reads a lone surrogate as U+FFFD"


def test_an_html_page_whose_parse_stopped_short_is_flagged(cleaner: Cleaner) -> None:
    """Like a runaway pattern's document: its cleaning is incomplete, so it is not passed as clean."""
    page = "<html><body><article><p>" + "The council met on Monday to approve the budget. " * 4 + "</p></article>"
    page += "<div>" * 3000 + "<p>Lost.</p></body></html>"
    out, result = clean_record_result(cleaner, {"html": page}, RecordOptions(field="html", html=True), line=2)
    assert result is None
    assert out["error"]["type"] == "html_truncated" and out["error"]["line"] == 2
    assert "2,048" in out["error"]["message"] and out["html"] == page


def test_a_flag_from_an_earlier_run_goes_when_the_record_is_cleaned(cleaner: Cleaner) -> None:
    """Records flagged once, fixed and run again must not stay flagged: pipelines keep ``error is null``."""
    options = RecordOptions()
    flag = {"type": "InputTooLarge", "message": "m", "line": 3}
    too_big = {"id": 7, "text": "The council met.\nDownload App", "error": flag}
    out, result = clean_record_result(cleaner, too_big, options)
    assert result is not None and "error" not in out and out["text"] == "The council met."
    flagged_again, _ = clean_record_result(cleaner, {**too_big, "text": None}, options, line=5)
    assert flagged_again["error"] == {"type": "bad_field", "message": "field 'text' is null, not a string", "line": 5}


def test_a_bad_line_from_the_reader_keeps_its_own_flag(cleaner: Cleaner) -> None:
    """``read_records`` gives a malformed line as its error record; cleaning it must keep the reason."""
    _, bad = parse_jsonl_line(b'{"text": "unterminated', 7)
    assert bad is not None
    out, result = clean_record_result(cleaner, bad, RecordOptions())
    assert result is None and out == bad and out["error"]["type"] == "bad_json"


@pytest.mark.parametrize(
    "theirs", ["HTTP 503 when crawled", {"code": 503}, {"type": "t", "message": "m", "why": 1}, None]
)
def test_a_users_own_error_field_passes_through(cleaner: Cleaner, theirs: object) -> None:
    out, result = clean_record_result(cleaner, {"text": "The council met.", "error": theirs}, RecordOptions())
    assert result is not None and out["error"] == theirs


@pytest.mark.parametrize("value", [b"<p>The council met.</p>", bytearray(b"<p>The council met.</p>")])
def test_bytes_are_a_page_in_html_mode(cleaner: Cleaner, value: bytes) -> None:
    html, _ = clean_record_result(cleaner, {"text": value}, RecordOptions(html=True))
    assert html["text"] == "The council met." and "error" not in html


def test_surrogate_pairs_are_text() -> None:
    assert parse_jsonl_line(b'{"text": "\\ud83d\\ude00"}', 1) == ({"text": "\U0001f600"}, None)


def test_json_beyond_orjson_passes_through() -> None:
    record, _ = parse_jsonl_line(b'{"n": 123456789012345678901234567890, "text": "a"}', 1)
    assert record == {"n": 123456789012345678901234567890, "text": "a"}
    assert dump_jsonl(record) == b'{"n":123456789012345678901234567890,"text":"a"}\n'


def test_non_finite_numbers_keep_their_value_when_asked() -> None:
    record, _ = parse_jsonl_line(b'{"text": "a", "score": NaN, "m": [Infinity, -Infinity], "big": 1e400, "x": null}', 1)
    assert record is not None
    kept = dump_jsonl(record, keep_non_finite=True)
    assert kept == b'{"text":"a","score":NaN,"m":[Infinity,-Infinity],"big":Infinity,"x":null}\n'
    assert dump_jsonl(record) == b'{"text":"a","score":null,"m":[null,null],"big":null,"x":null}\n'
    assert dump_jsonl({"x": None, "y": 1.5}, keep_non_finite=True) == b'{"x":null,"y":1.5}\n'


def test_dump_keeps_key_order_and_utf8() -> None:
    assert dump_jsonl({"z": 1, "a": "é"}) == '{"z":1,"a":"é"}\n'.encode()


def test_read_records_any_format(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "one"}\n\nnot json\n{"text": "two"}\n')
    records = list(read_records(path))
    assert [r.get("text") for r in records] == ["one", None, "two"]
    assert records[1]["error"]["line"] == 3
    txt = tmp_path / "doc.txt"
    txt.write_text("hello", encoding="utf-8")
    assert list(read_records(txt)) == [{"id": "doc.txt", "text": "hello"}]


def test_atomic_output_commits_only_when_complete(tmp_path: Path) -> None:
    final = tmp_path / "out" / "a.jsonl.gz"
    with pytest.raises(RuntimeError), AtomicOutput(final, "jsonl.gz") as out:
        out.write(b'{"a": 1}\n')
        raise RuntimeError("killed mid-write")
    assert not final.exists() and list(final.parent.iterdir()) == []
    with AtomicOutput(final, "jsonl.gz") as out:
        out.write(b'{"a": 1}\n')
    assert gzip.decompress(final.read_bytes()) == b'{"a": 1}\n'
    assert [p.name for p in final.parent.iterdir()] == ["a.jsonl.gz"]


def test_parquet_schema_and_batch_round_trip() -> None:
    import pyarrow as pa

    schema = output_schema(pa.schema([("id", pa.int64()), ("text", pa.string())]),
                           field="text", out_field="clean", metadata=True, explain=False)
    assert schema.names == ["id", "text", "clean", "boilerstrip_rules", "error", "boilerstrip_metadata"]
    batch = records_to_batch([
        {"id": 1, "text": "a", "clean": "a", "boilerstrip_rules": "v", "boilerstrip_metadata": {"date": "x"}},
        {"id": 2, "text": None, "error": {"type": "bad_field", "message": "m", "line": 2}},
    ], schema)
    rows = batch.to_pylist()
    assert rows[0]["boilerstrip_metadata"] == '{"date":"x"}' and rows[0]["error"] is None
    assert rows[1]["error"] == {"type": "bad_field", "message": "m", "line": 2}


def test_stats_add_and_merge(cleaner: Cleaner) -> None:
    options = RecordOptions()
    parts = []
    for record in ({"text": "Download App\nThe council met."}, {"id": 1}, {"text": "Plain prose here."}):
        stats = Stats()
        out, result = clean_record_result(cleaner, record, options)
        stats.add(record, out, result)
        parts.append(stats)
    total = Stats()
    for part in parts:
        total.merge(part)
    assert (total.docs, total.errors, dict(total.error_types)) == (3, 1, {"missing_field": 1})
    assert total.chars_in == len("Download App\nThe council met.") + len("Plain prose here.")
    assert total.rule_hits["app.install-line"] >= 1
    dumped = total.to_dict(["app.install-line", "never.used"])
    assert dumped["never_fired"] == ["never.used"]
    assert dumped["rules"]["app.install-line"]["docs"] == 1
    assert "3 documents, 1 flagged" in total.summary()


def test_source_size_unknown_for_compressed_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"x" * 10)
    assert Source(path, "a.jsonl", "jsonl").size() == 10
    assert Source(path, "a.jsonl", "jsonl.gz").size() is None
    assert Source(None, "-", "txt").size() is None


def test_progress_line_and_quiet_when_piped() -> None:
    from cleaner.progress import Progress

    stream = io.StringIO()
    progress = Progress(stream=stream, total_bytes=4_000_000, interval=0)
    assert not progress.enabled  # a StringIO is not a terminal
    progress.update(10, 2_000_000)
    assert stream.getvalue() == ""
    shown = Progress(enabled=True, stream=stream, total_bytes=4_000_000, interval=0)
    shown.update(10, 2_000_000)
    shown.close()
    line = stream.getvalue()
    assert "50%" in line and "10 docs" in line and "2.0 MB" in line and line.endswith("\n")
