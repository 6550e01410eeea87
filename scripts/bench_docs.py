"""Single-core speed of the library on given documents: docs/s and MB/s, rules only and with detection.

A benchmark, not a test. Inputs are text files (one document each) or JSONL(.gz) files
(``--field`` names the text). Every document is cleaned ``--repeat`` times in-process
with one ``Cleaner``; the best round is reported, since the machine may be shared.

    .venv/bin/python scripts/bench_docs.py golden/cases/*/input.txt
    .venv/bin/python scripts/bench_docs.py ../shared/eval/wcxb-article-dev.jsonl.gz --field text_raw
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import CleanConfig, Cleaner  # noqa: E402


def load(paths: list[Path], field: str) -> list[tuple[str, str | None]]:
    docs: list[tuple[str, str | None]] = []
    for path in paths:
        if path.name.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        docs.append((rec.get(field) or "", rec.get("url")))
        else:
            docs.append((path.read_text(encoding="utf-8"), None))
    return docs


def best_round(cleaner: Cleaner, docs: list[tuple[str, str | None]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text, url in docs:
            cleaner.clean_document(text, url=url)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--field", default="text", help="JSONL field holding the text (default: text)")
    ap.add_argument("--repeat", type=int, default=5, help="rounds; the best is reported (default 5)")
    args = ap.parse_args()
    docs = load(args.inputs, args.field)
    mb = sum(len(t.encode("utf-8")) for t, _ in docs) / 1e6
    print(f"{len(docs)} documents, {mb:.3f} MB")
    for label, config in (("rules only", CleanConfig(detect=False)), ("rules + detection", CleanConfig())):
        cleaner = Cleaner(config)
        seconds = best_round(cleaner, docs, args.repeat)
        print(f"{label:20s} {len(docs) / seconds:9.1f} docs/s {mb / seconds:7.2f} MB/s (one core)")


if __name__ == "__main__":
    main()
