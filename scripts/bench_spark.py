"""Spark job (local[N]) vs the local CLI with N workers, on the same corpus of >= 100 MB.

The corpus replicates the ``--field`` (default ``text_raw``) of a JSONL(.gz) (ids made
unique) into JSONL shards of ``text``/``url``/``id`` records, plus the same records as
Parquet. Each engine runs as a fresh process, timed from launch to exit (Spark's JVM
start-up included, as a user sees it); the job's own statistics give the time from
the first read to the last write. MB = 10^6 bytes of JSONL input. The engines run in
turn, ``--repeat`` rounds; the table shows each one's fastest round (on a shared
machine the fastest is the least disturbed) and the median.

    .venv/bin/python scripts/bench_spark.py /work/shared/eval/wcxb-article-dev.jsonl.gz --mb 100
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MB = 1_000_000


def build_corpus(source: Path, field: str, target_mb: float, out: Path, shards: int) -> tuple[int, int]:
    """Write ``shards`` JSONL files of at least ``target_mb`` MB in total; return (records, bytes)."""
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as f:
        base = [json.loads(line) for line in f if line.strip()]
    base = [r for r in base if isinstance(r.get(field), str)]
    out.mkdir(parents=True, exist_ok=True)
    files = [(out / f"part-{i:03d}.jsonl").open("w", encoding="utf-8") for i in range(shards)]
    n = size = 0
    while size < target_mb * MB:
        for r in base:
            line = json.dumps({"id": f"{r.get('id')}-{n}", "url": r.get("url"), "text": r[field]},
                              ensure_ascii=False) + "\n"
            files[n % shards].write(line)
            n += 1
            size += len(line.encode())
    for f in files:
        f.close()
    return n, size


def to_parquet(corpus: Path, out: Path) -> None:
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(corpus.glob("*.jsonl")):
        pq.write_table(pj.read_json(path), out / f"{path.stem}.parquet", row_group_size=2_000)


def run(cmd: list[str], stats: Path) -> dict[str, Any]:
    """Run ``cmd``; return its statistics (``--stats``) with the launch-to-exit time added."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[:4]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(stats.read_text())
    result["elapsed"] = elapsed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="JSONL(.gz) whose --field is replicated")
    parser.add_argument("--field", default="text_raw")
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB (default 100)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_spark"))
    args = parser.parse_args()

    corpus, parquet = args.workdir / "corpus", args.workdir / "parquet"
    if not corpus.exists():
        n, size = build_corpus(args.source, args.field, args.mb, corpus, args.shards)
        to_parquet(corpus, parquet)
        print(f"corpus: {n:,} records, {size / MB:,.1f} MB JSONL in {args.shards} shards", file=sys.stderr)
    size = sum(p.stat().st_size for p in corpus.glob("*.jsonl"))
    inputs = [str(p) for p in sorted(corpus.glob("*.jsonl"))]
    py = sys.executable
    runs = {
        f"local CLI, -j {args.cores}": [py, "-m", "cleaner.cli", "clean", *inputs, "-o", "{out}/",
                                        "-j", str(args.cores), "--quiet"],
        f"Spark local[{args.cores}], JSONL in": [py, "-m", "cleaner.spark", *inputs, "{out}",
                                                 "--master", f"local[{args.cores}]"],
        f"Spark local[{args.cores}], Parquet in": [py, "-m", "cleaner.spark", str(parquet), "{out}",
                                                   "--master", f"local[{args.cores}]",
                                                   "--input-format", "parquet"],
    }
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for i, (name, cmd) in enumerate(runs.items()):
            out, stats = args.workdir / f"out-{i}", args.workdir / f"stats-{i}.json"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            result = run([c.replace("{out}", str(out)) for c in cmd] + ["--stats", str(stats)], stats)
            results[name].append(result)
            print(f"{name}: {result['elapsed']:.1f} s", file=sys.stderr)
    docs = results[next(iter(runs))][0]["docs"]
    print(f"\n{size / MB:,.1f} MB of JSONL, {docs:,} records, {args.cores} cores, {args.repeat} rounds\n")
    print("| engine | launch to exit, best (s) | MB/s | median (s) | job time, best (s) | MB/s in job | flagged |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, rs in results.items():
        best, job = min(r["elapsed"] for r in rs), min(r["seconds"] for r in rs)
        print(f"| {name} | {best:.1f} | {size / MB / best:.2f} | {statistics.median(r['elapsed'] for r in rs):.1f} "
              f"| {job:.1f} | {size / MB / job:.2f} | {rs[0]['errors']:,} |")


if __name__ == "__main__":
    main()
