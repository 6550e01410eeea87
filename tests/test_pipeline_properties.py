"""The pipeline's promise for any input file: every record comes out, in order, cleaned or flagged.

Hypothesis writes JSONL files that mix good records, records without the field or with a
non-string one, JSON that is not an object, strings with a lone surrogate, broken JSON, invalid
UTF-8 and blank lines; the output must hold exactly one record per non-blank input line, in input order, and each
is either the cleaned record (its text equal to what the library returns) or an error
record naming its line.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanConfig, Cleaner
from cleaner.cli import main

RULES_ONLY = Cleaner(CleanConfig(detect=False))

good = st.builds(
    lambda i, text: json.dumps({"id": i, "text": text}, ensure_ascii=False).encode(),
    st.integers(0, 10**6),
    st.text(max_size=200),
)
no_field = st.builds(lambda i: json.dumps({"id": i}).encode(), st.integers())
not_string = st.builds(lambda v: json.dumps({"text": v}).encode(), st.one_of(st.integers(), st.lists(st.booleans())))
not_object = st.sampled_from([b"[1, 2]", b'"text"', b"42", b"null"])
# Valid JSON, but a string holding half a surrogate pair is not text (json.dumps writes it as \udXXX).
lone_surrogate = st.builds(lambda code, where: json.dumps({"text": "a", where: chr(code)}).encode(),
                           st.integers(0xD800, 0xDFFF), st.sampled_from(["text", "other"]))
# Any bytes without a newline; blank ones (ASCII whitespace only) are not records.
junk = st.binary(max_size=60).map(lambda b: b.replace(b"\n", b""))
lines = st.lists(st.one_of(good, no_field, not_string, not_object, lone_surrogate, junk), max_size=30)


def _expected_kind(raw: bytes) -> str:
    """What the output record must be for one input line: 'skip', 'error' or 'clean'."""
    if not raw.strip():
        return "skip"
    try:
        value = json.loads(raw.decode("utf-8"))
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate cannot be encoded
    except ValueError:
        return "error"
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return "clean"
    return "error"


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(lines)
def test_every_record_comes_out_in_order_cleaned_or_flagged(tmp_path: Path, raws: list[bytes]) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(b"".join(raw + b"\n" for raw in raws))
    code = main(["clean", str(src), "-o", str(out), "--quiet", "--no-detect", "-j", "1"])
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    expected = [(number, raw) for number, raw in enumerate(raws, 1) if _expected_kind(raw) != "skip"]
    assert len(records) == len(expected)
    for record, (number, raw) in zip(records, expected, strict=True):
        if _expected_kind(raw) == "clean":
            assert "error" not in record
            assert record["text"] == RULES_ONLY.clean(json.loads(raw)["text"])
        else:
            assert record["error"]["line"] == number
    flagged = any("error" in r for r in records)
    assert code == (1 if flagged else 0)
