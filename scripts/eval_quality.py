#!/usr/bin/env python3
"""Quality harness: run a cleaner over a JSONL(.gz) set with gold text and report how well it did.

    python scripts/eval_quality.py DATA.jsonl.gz --cleaner cleaner.detect:clean_text_only \\
        --field text_raw --with-url --worst 10

Metric (the article-extraction-benchmark's, same as the shared scorer): tokens are ``\\w+`` runs,
texts become multisets of 4-token shingles, per page tp/fp/fn are normalised to sum to 1, precision and
recall are averaged over pages (precision over pages with a non-empty output, recall over pages with a
non-empty gold), F1 is their harmonic mean. Empty outputs leave the precision average, so they are
counted and printed. WCXB-style ``with``/``without`` snippet lists give with_kept / without_gone.
The worst pages (lowest per-page F1) are listed with what was lost and what was left, for error analysis.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

TOKEN = re.compile(r"\w+")
SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter:
    """Multiset of n-token shingles (a text shorter than n is one shingle)."""
    tokens = TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def overlap(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over shingle multisets."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    """Per-page precision; a page with nothing to get wrong scores 1."""
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    """Per-page recall; a page with nothing to get wrong scores 1."""
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def aggregate(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Average per-page precision and recall (each over the pages it is defined on), then F1."""
    p = statistics.mean([precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}


def norm(text: str) -> str:
    """Whitespace-collapsed lower-case text, for snippet containment."""
    return SPACE.sub(" ", text or "").strip().lower()


def snippet_scores(records: list[dict], outputs: dict[str, str], field: str) -> dict[str, float | None]:
    """Share of must-keep snippets kept and of must-drop snippets (present in the input) dropped."""
    kept = n_with = gone = n_without = 0
    for rec in records:
        out, inp = norm(outputs[rec["id"]]), norm(rec.get(field) or "")
        for s in rec.get("with") or []:
            n_with += 1
            kept += norm(s) in out
        for s in rec.get("without") or []:
            s = norm(s)
            if s and s in inp:
                n_without += 1
                gone += s not in out
    return {
        "with_kept": kept / n_with if n_with else None,
        "without_gone": gone / n_without if n_without else None,
    }


def read_records(path: Path) -> list[dict]:
    """Records of a JSONL or JSONL.gz file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_callable(spec: str) -> Callable:
    """Resolve ``module:attr.attr`` to an object."""
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit(f"--cleaner must look like module:function, got {spec!r}")
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def run_cleaner(
    cleaner: Callable, records: Iterable[dict], field: str, with_url: bool
) -> tuple[dict[str, str], float, int, int]:
    """Outputs by id, seconds spent in the cleaner, input bytes and the number of errors."""
    outputs: dict[str, str] = {}
    seconds, in_bytes, errors = 0.0, 0, 0
    for rec in records:
        inp = rec.get(field) or ""
        in_bytes += len(inp.encode("utf-8"))
        kwargs = {"url": rec.get("url")} if with_url else {}
        start = time.perf_counter()
        try:
            out = cleaner(inp, **kwargs)
            out = getattr(out, "text", out) or ""
        except Exception as exc:  # an error is scored as an empty output and reported
            errors += 1
            out = ""
            print(f"error on {rec['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
        seconds += time.perf_counter() - start
        outputs[rec["id"]] = out
    return outputs, seconds, in_bytes, errors


def _lines_missing(a: str, b: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` longest lines of ``a`` whose text does not appear in ``b``."""
    nb = norm(b)
    missing = [ln.strip() for ln in a.splitlines() if ln.strip() and norm(ln) not in nb]
    return sorted(missing, key=len, reverse=True)[:limit]


def report(records: list[dict], outputs: dict[str, str], field: str, worst: int) -> dict:
    """Print the scores and the ``worst`` pages; return the figures."""
    counts = [overlap(rec.get("gold", ""), outputs[rec["id"]]) for rec in records]
    row: dict = aggregate(counts)
    row.update(snippet_scores(records, outputs, field))
    row["empty"] = sum(1 for o in outputs.values() if not o.strip())
    row["empty_with_gold"] = sum(
        1 for rec in records if rec.get("gold", "").strip() and not outputs[rec["id"]].strip()
    )
    ranked = sorted(
        zip(records, counts, strict=True),
        key=lambda rc: (2 * precision(*rc[1]) * recall(*rc[1]) / ((precision(*rc[1]) + recall(*rc[1])) or 1)),
    )
    for rec, c in ranked[:worst]:
        p, r = precision(*c), recall(*c)
        out = outputs[rec["id"]]
        gold_chars = len(rec.get("gold", ""))
        print(f"\n--- {rec['id']}  P={p:.3f} R={r:.3f}  out={len(out)} gold={gold_chars}  {rec.get('url')}")
        for ln in _lines_missing(rec.get("gold", ""), out):
            print(f"  lost: {ln[:150]}")
        for ln in _lines_missing(out, rec.get("gold", "")):
            print(f"  left: {ln[:150]}")
    return row


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="JSONL(.gz) with id, gold and the input field")
    ap.add_argument("--cleaner", default="cleaner.detect:clean_text_only", help="module:function")
    ap.add_argument("--field", default="text_raw", help="record field given to the cleaner")
    ap.add_argument("--with-url", action="store_true", help="pass url=record['url'] to the cleaner")
    ap.add_argument("--limit", type=int, default=0, help="only the first N records")
    ap.add_argument("--worst", type=int, default=5, help="list the N worst pages")
    args = ap.parse_args()

    sys.path.insert(0, str(Path.cwd()))
    cleaner = load_callable(args.cleaner)
    records = read_records(args.data)[: args.limit or None]
    outputs, seconds, in_bytes, errors = run_cleaner(cleaner, records, args.field, args.with_url)
    row = report(records, outputs, args.field, args.worst)
    snippets = "".join(
        f"  {k}={row[k]:.3f}" for k in ("with_kept", "without_gone") if row.get(k) is not None
    )
    print(
        f"\n{args.data.name}  {args.cleaner}  n={len(records)}  F1={row['f1']:.3f}  P={row['precision']:.3f}  "
        f"R={row['recall']:.3f}  empty={row['empty']} (with gold: {row['empty_with_gold']})  errors={errors}"
        f"{snippets}  {in_bytes / 1e6 / seconds if seconds else 0:.2f} MB/s"
    )


if __name__ == "__main__":
    main()
