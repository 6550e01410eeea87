"""The datatrove steps, run by datatrove's own LocalPipelineExecutor, agree with ``clean_record``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove", reason="datatrove not installed: pip install 'boilerstrip[datatrove]'")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from golden_cases import load_cases

from cleaner import CleanConfig, Cleaner
from cleaner.datatrove import BoilerstripErrorFilter, BoilerstripFormatter
from cleaner.record import RecordOptions, clean_record

# small enough that the last record is refused as too large: an error record, flagged
CONFIG = CleanConfig(detect=True, max_chars=15_000)


def _records() -> list[dict[str, Any]]:
    records = [{"id": c.name, "url": c.url, "text": c.text} for c in load_cases() if isinstance(c.text, str)]
    records.append({"id": "too-large", "url": None, "text": "Too large. " * 2_000})
    records.append({"id": "emptied", "url": None, "text": "Download App"})
    return records


def _read_jsonl(folder: Path) -> dict[str, dict[str, Any]]:
    text = "".join(gzip.decompress(f.read_bytes()).decode() for f in sorted(folder.glob("*.jsonl.gz")))
    rows = [json.loads(line) for line in text.splitlines()]
    return {row["id"]: row for row in rows}


@pytest.fixture(scope="module")
def pipeline_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("datatrove")
    (root / "in").mkdir()
    records = _records()
    half = len(records) // 2
    for i, part in enumerate((records[:half], records[half:])):
        with (root / "in" / f"part{i}.jsonl").open("w") as f:
            f.writelines(json.dumps(r) + "\n" for r in part)
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(root / "in")),
            BoilerstripFormatter(CONFIG, metadata=True),
            BoilerstripErrorFilter(exclusion_writer=JsonlWriter(str(root / "flagged"))),
            JsonlWriter(str(root / "clean")),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(root / "logs"),
    ).run()
    return root


def test_cleaned_documents_equal_clean_record(pipeline_output: Path) -> None:
    clean = _read_jsonl(pipeline_output / "clean")
    cleaner = Cleaner(CONFIG)
    options = RecordOptions(metadata=True, explain=True)
    expected = {r["id"]: clean_record(cleaner, r, options) for r in _records()}
    assert set(clean) == {k for k, v in expected.items() if "error" not in v and v["text"].strip()}
    for doc_id, doc in clean.items():
        want = expected[doc_id]
        meta = doc["metadata"]
        assert doc["text"] == want["text"], doc_id
        assert meta["boilerstrip_metadata"] == want["boilerstrip_metadata"], doc_id
        assert meta["boilerstrip_rules"] == cleaner.ruleset_version
        assert meta["boilerstrip_site"] == want["boilerstrip"]["site"]
        assert meta["boilerstrip_removals"] == len(want["boilerstrip"]["removed"])
        assert meta["boilerstrip_warnings"] == want["boilerstrip"]["warnings"]
    assert any(doc["metadata"]["boilerstrip_removals"] for doc in clean.values())


def test_flagged_documents_go_to_the_exclusion_writer(pipeline_output: Path) -> None:
    flagged = _read_jsonl(pipeline_output / "flagged")
    assert set(flagged) == {"too-large", "emptied"}
    too_large = flagged["too-large"]
    want = clean_record(Cleaner(CONFIG), _records()[-2], RecordOptions())
    assert too_large["metadata"]["boilerstrip_error"] == want["error"]
    assert too_large["text"] == _records()[-2]["text"]  # flagged: text passed through unchanged
    assert too_large["metadata"]["filter_reason"] == "boilerstrip_error_InputTooLarge"
    assert flagged["emptied"]["metadata"]["filter_reason"] == "boilerstrip_empty"


def test_tag_only_keeps_every_document() -> None:
    from datatrove.data import Document

    docs = [Document(text=r["text"], id=r["id"], metadata={"url": r["url"]}) for r in _records()]
    steps = BoilerstripErrorFilter(tag_only=True)(BoilerstripFormatter(CONFIG)(iter(docs)))
    tags = {d.id: d.metadata["boilerstrip_flagged"] for d in steps}
    assert len(tags) == len(docs)
    assert tags["too-large"] == "boilerstrip_error_InputTooLarge"
    assert tags["emptied"] == "boilerstrip_empty"
    assert tags["clean-article-untouched"] is None
