"""The JSONL golden: a small shard through the real CLI pins fields, error records and order.

``golden/jsonl/sample.input.jsonl`` mixes records of known sites (by URL), a malformed
line, a record without the text field, an empty and a null text, nested pass-through
fields and a blank line. Approve a change with ``pytest tests/test_golden_jsonl.py
--update-golden`` and review ``git diff golden/jsonl``. The ruleset version is replaced
by ``<ruleset>``, so editing an unrelated rule file does not touch this golden; detection
is off, as in the text golden cases.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from cleaner.cli import main

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "jsonl"
ARGS = ["--no-detect", "--metadata", "--quiet", "-j", "2", "--batch-size", "2"]


def test_jsonl_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(GOLDEN / "sample.input.jsonl"), "-o", str(out), *ARGS]) == 1
    got = re.sub(r'"boilerstrip_rules":"[0-9a-f]+"', '"boilerstrip_rules":"<ruleset>"', out.read_text("utf-8"))
    expected_path = GOLDEN / "sample.expected.jsonl"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(got, encoding="utf-8")
        return
    assert expected_path.exists(), "run pytest tests/test_golden_jsonl.py --update-golden"
    expected = expected_path.read_text(encoding="utf-8")
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), got.splitlines(keepends=True),
                                            "sample.expected.jsonl (approved)", "now"))
        pytest.fail(f"JSONL golden changed; approve with --update-golden if intended:\n{diff}")
    inputs = [line for line in (GOLDEN / "sample.input.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert len(got.splitlines()) == len(inputs)  # one record out per record in, blank lines aside
