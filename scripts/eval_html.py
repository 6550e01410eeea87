#!/usr/bin/env python3
"""Score HTML mode side by side with trafilatura alone, on the same pages in the same run.

    .venv/bin/python scripts/eval_html.py ../shared/eval/wcxb-article-dev.jsonl.gz
    .venv/bin/python scripts/eval_html.py DATA --cleaner cleaner:clean_html
    .venv/bin/python scripts/eval_html.py DATA --sweep          # trafilatura option sets only

"trafilatura alone" is ``trafilatura.extract`` with the options of :class:`cleaner.html.HtmlOptions`
(same extraction settings, no metadata, no time budget, no rules): the reference the issue's
targets are stated against. The cleaner gets the page's ``html`` and ``url=``.

The metric is the benchmark's own, re-implemented here so that the project does not depend on
files outside it: ``\\w+`` tokens, multisets of 4-token shingles, per-page true/false
positives and false negatives normalised to sum to 1, precision averaged over pages with a
non-empty output, recall over pages with a non-empty gold, F1 of the two averages. Empty
outputs are counted beside every score because they leave the precision average.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from eval_quality import aggregate, overlap, read_records

# Option sets for --sweep: each is HtmlOptions' extraction settings with a few changes.
SWEEP: dict[str, dict[str, Any]] = {
    "trafilatura defaults": {"include_comments": True, "favor_recall": False},
    "include_comments=False": {"favor_recall": False},
    "+favor_precision": {"favor_recall": False, "favor_precision": True},
    "+include_tables=False": {"favor_recall": False, "include_tables": False},
    "+deduplicate": {"favor_recall": False, "deduplicate": True},
    "+fast": {"favor_recall": False, "fast": True},
    "+favor_recall": {},
    "+favor_recall +include_tables=False": {"include_tables": False},
    "+favor_recall +deduplicate": {"deduplicate": True},
    "+favor_recall +fast": {"fast": True},
}


def load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    if not name:
        sys.exit(f"--cleaner must look like module:function, got {spec!r}")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def trafilatura_alone(settings: dict[str, Any]) -> Callable[..., str]:
    """``trafilatura.extract`` with HtmlOptions-style settings (fresh dedup cache per page)."""
    import trafilatura
    from trafilatura.deduplication import LRUCache

    def run(html: str, url: str | None = None) -> str:
        return trafilatura.extract(
            html,
            url=url,
            fast=settings["fast"],
            favor_precision=settings["favor_precision"],
            favor_recall=settings["favor_recall"],
            include_comments=settings["include_comments"],
            include_tables=settings["include_tables"],
            deduplicate=LRUCache(maxsize=4096) if settings["deduplicate"] else False,
        ) or ""

    return run


def run(name: str, fn: Callable[..., Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """Outputs, error count and seconds spent; one untimed warm-up call (imports, worker start)."""
    if records:
        fn(records[0].get("html") or "", url=records[0].get("url"))
    outputs: dict[str, str] = {}
    errors, seconds = 0, 0.0
    for rec in records:
        start = time.perf_counter()
        try:
            out = fn(rec.get("html") or "", url=rec.get("url"))
            out = getattr(out, "text", out) or ""
        except Exception as exc:  # scored as an empty output, as score.py does
            errors += 1
            out = ""
            print(f"  {name}: error on {rec['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
        seconds += time.perf_counter() - start
        outputs[rec["id"]] = out
    return {"outputs": outputs, "errors": errors, "seconds": seconds}


def report(name: str, records: list[dict[str, Any]], result: dict[str, Any]) -> str:
    outputs = result["outputs"]
    row = aggregate([overlap(rec.get("gold", ""), outputs[rec["id"]]) for rec in records])
    empty = sum(1 for o in outputs.values() if not o.strip())
    speed = len(records) / result["seconds"] if result["seconds"] else 0.0
    return (f"  {name:40s} F1={row['f1']:.3f}  P={row['precision']:.3f}  R={row['recall']:.3f}  "
            f"empty={empty}  errors={result['errors']}  {speed:.1f} docs/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="+", help="JSONL(.gz) with id, url, html, gold")
    ap.add_argument("--cleaner", default="cleaner.html:extract_text_only", help="module:function(html, url=)")
    ap.add_argument("--sweep", action="store_true", help="score trafilatura alone with several option sets")
    ap.add_argument("--limit", type=int, default=0, help="only the first N records of each file")
    ap.add_argument("--predictions", type=Path, help="directory for {id: output} JSON files")
    args = ap.parse_args()

    sys.path.insert(0, str(Path.cwd()))
    from cleaner.html import HtmlOptions

    base = {k: v for k, v in asdict(HtmlOptions()).items() if k != "time_budget_s"}
    if args.sweep:
        candidates = {name: trafilatura_alone({**base, **change}) for name, change in SWEEP.items()}
    else:
        candidates = {"trafilatura alone": trafilatura_alone(base), args.cleaner: load(args.cleaner)}
    for path in args.data:
        records = read_records(path)[: args.limit or None]
        print(f"{path.name}  n={len(records)}")
        for name, fn in candidates.items():
            result = run(name, fn, records)
            print(report(name, records, result), flush=True)
            if args.predictions:
                args.predictions.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"\W+", "_", name).strip("_")
                target = args.predictions / f"{path.name.split('.')[0]}--{slug}.json"
                target.write_text(json.dumps(result["outputs"], ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
