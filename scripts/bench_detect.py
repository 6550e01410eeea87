"""Single-core speed of text-mode detection: MB/s of ``detect_boilerplate`` alone and of ``Cleaner().clean``.

A benchmark, not a test. Reads the ``--field`` text (default ``text_raw``) of JSONL(.gz) files and times
each round over all documents; the best of ``--repeat`` rounds is reported, since the machine may be
shared. MB are UTF-8 bytes of the input texts.

    .venv/bin/python scripts/bench_detect.py ../shared/eval/*.jsonl.gz
    .venv/bin/python scripts/bench_detect.py ../shared/eval/*.jsonl.gz --profile   # cProfile, detection only
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402
from cleaner.detect import detect_boilerplate  # noqa: E402


def load(paths: list[Path], field: str) -> list[str]:
    """The non-empty ``field`` texts of every record of the given JSONL(.gz) files."""
    texts: list[str] = []
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            texts.extend(t for line in fh if line.strip() and (t := json.loads(line).get(field)))
    return texts


def best_round(run: Callable[[str], object], texts: list[str], repeat: int) -> float:
    """Fastest of ``repeat`` rounds over all texts, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            run(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--field", default="text_raw", help="JSONL field holding the text (default: text_raw)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the best is reported (default 3)")
    ap.add_argument("--detect-only", action="store_true", help="skip the Cleaner().clean timing")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one detection round instead")
    args = ap.parse_args()
    texts = load(args.inputs, args.field)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} documents, {mb:.3f} MB")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(best_round, detect_boilerplate, texts, 1)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    runs: list[tuple[str, Callable[[str], object]]] = [("detect_boilerplate", detect_boilerplate)]
    if not args.detect_only:
        runs.append(("Cleaner().clean", Cleaner().clean))
    for label, run in runs:
        run(texts[0])  # load weights, phrase lists and rules outside the timing
        seconds = best_round(run, texts, args.repeat)
        print(f"{label:20s} {mb / seconds:7.2f} MB/s (one core, best of {args.repeat})")


if __name__ == "__main__":
    main()
