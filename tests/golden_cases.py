"""Golden cases: real inputs with approved outputs, removals and metadata.

Each case directory holds ``input.txt`` or ``input.html`` (never edited; HTML cases go
through HTML mode, read as bytes so charset handling is pinned too), ``meta.yaml`` (url, source,
note, must_keep, must_remove) and the approved ``expected.txt``,
``expected.removals.tsv`` (rule id, offsets and text of every removal) and
``expected.meta.json`` (metadata, site, warnings, encoding fixes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cleaner import Cleaner, CleanResult

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cases"


@dataclass(frozen=True)
class GoldenCase:
    name: str
    path: Path
    text: str | bytes
    url: str | None
    must_keep: tuple[str, ...]
    must_remove: tuple[str, ...]


def clean_case(cleaner: Cleaner, case: GoldenCase) -> CleanResult:
    """HTML cases (bytes) go through HTML mode, text cases through text mode."""
    if isinstance(case.text, bytes):
        return cleaner.clean_html(case.text, url=case.url)
    return cleaner.clean_document(case.text, url=case.url)


def load_cases() -> list[GoldenCase]:
    cases = []
    for d in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        meta = yaml.safe_load((d / "meta.yaml").read_text(encoding="utf-8")) or {}
        cases.append(GoldenCase(
            name=d.name,
            path=d,
            text=(d / "input.html").read_bytes() if (d / "input.html").exists()
            else (d / "input.txt").read_text(encoding="utf-8"),
            url=meta.get("url"),
            must_keep=tuple(meta.get("must_keep") or ()),
            must_remove=tuple(meta.get("must_remove") or ()),
        ))
    return cases


def render_removals(result: CleanResult) -> str:
    return "".join(
        f"{r.rule_id}\t{r.start}\t{r.end}\t{r.text!r}\n" for r in result.removals
    )


def render_meta(result: CleanResult) -> str:
    data: dict[str, Any] = {
        "metadata": dict(result.metadata),
        "site": result.site,
        "site_reason": result.site_reason,
        "encoding_fixes": list(result.encoding_fixes),
        "warnings": list(result.warnings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def rendered(result: CleanResult) -> dict[str, str]:
    """The expected files of a case, as they would be written for ``result``."""
    return {
        "expected.txt": result.text + "\n",
        "expected.removals.tsv": render_removals(result),
        "expected.meta.json": render_meta(result),
    }


def lost_sentences(case: GoldenCase, output: str) -> list[str]:
    return [s for s in case.must_keep if s not in output]
