"""Throughput of ``boilerstrip clean`` end to end (JSONL in, JSONL out), next to ``ftfy.fix_text`` alone.

A benchmark, not a test: it builds a corpus from the ``text_raw`` of eval JSONL files,
replicated to at least ``--mb`` MB of text, then times the real CLI in a subprocess:

- the default rule set with 1 and with 2 workers (detection off): the per-core figure
  and the 2-worker speed-up;
- the same with the rule set padded to 1,000 rules (synthetic, valid, each with its own
  literal prefilter), to show that cost grows sublinearly with the number of rules;
- detection on against detection off (1 worker);
- each CLI configuration ``--rounds`` times, interleaved, keeping the fastest run;
- each CLI configuration also on an empty input: its start-up (imports, rule compilation, worker
  processes), so the table can show the steady rate a long shard sees (``steady``: the text MB over
  the run's seconds minus that start-up) beside the end-to-end one;
- the engine alone in-process (``Cleaner.clean_document`` in a loop), so the pipeline's
  own overhead is visible; and ``ftfy.fix_text`` alone on the same text.

The CLI runs with Python's default bytecode caching, as an installed tool does: an environment
that sets ``PYTHONDONTWRITEBYTECODE`` (some containers do) would make every run compile the
package's source again, ~0.1 s of start-up that no installed copy pays.

MB are 10^6 bytes of UTF-8 article text (the ``text`` values, not the JSON around them).
"per core" is wall MB/s divided by the workers; "per CPU-s" is MB per CPU-second of the CLI
and its workers, which stays meaningful when other processes compete for the cores.

    .venv/bin/python scripts/bench.py ../shared/eval/scrapinghub-dev.jsonl.gz ../shared/eval/wcxb-article-dev.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import CleanConfig, Cleaner  # noqa: E402


def read_eval(paths: list[Path]) -> list[dict[str, str]]:
    docs = []
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                rec = json.loads(line)
                if isinstance(rec.get("text_raw"), str):
                    docs.append({"id": str(rec.get("id", i)), "url": rec.get("url") or "", "text": rec["text_raw"]})
    return docs


def build_corpus(docs: list[dict[str, str]], target_mb: float, path: Path) -> tuple[int, int]:
    """Write ``docs`` over and over (ids made unique) until ``target_mb`` of text; return (docs, text bytes)."""
    n = size = 0
    with path.open("wb") as f:
        copy = 0
        while size < target_mb * MB:
            for doc in docs:
                f.write(json.dumps({**doc, "id": f"{doc['id']}#{copy}"}, ensure_ascii=False).encode() + b"\n")
                size += len(doc["text"].encode())
                n += 1
            copy += 1
    return n, size


def padded_rules(directory: Path, total: int) -> int:
    """Write synthetic rules so the rule book holds ``total``; return how many were written.

    Each is a ``drop_line`` with its own literal prefilter that never occurs in real text,
    so the output does not change and the cost measured is the cost of holding the rules.
    """
    have = len(Cleaner(CleanConfig(detect=False)).rulebook.rules)
    count = max(0, total - have)
    lines = ["set: padding", "kind: generic",
             "description: Synthetic rules that pad the rule book for the benchmark.", "rules:"]
    for i in range(count):
        marker = f"zq{i:04d}xv promo"
        lines += [
            f"  - id: padding.rule-{i:04d}",
            "    description: A synthetic line rule whose literal never occurs in real text.",
            "    match:",
            f"      regex: '(?i)\\s*{marker}\\b.*'",
            f"      prefilter: ['{marker}']",
            "    action: drop_line",
            "    examples:",
            f"      remove: ['{marker} here']",
            "      keep: ['An ordinary sentence of the article stays.']",
        ]
    (directory / "padding.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(corpus: Path, out: Path, workers: int, extra: list[str]) -> tuple[float, float, dict]:
    """Wall seconds, CPU seconds (the CLI and its workers) and the run's ``--stats``."""
    stats_path = out.with_suffix(".stats.json")
    cmd = [sys.executable, "-m", "cleaner.cli", "clean", str(corpus), "-o", str(out), "-j", str(workers),
           "--quiet", "--stats", str(stats_path), *extra]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return seconds, _children_cpu() - cpu, json.loads(stats_path.read_text(encoding="utf-8"))


def timed_sample(docs: list[dict[str, str]], budget_s: float) -> Iterator[dict[str, str]]:
    """Docs in order until ``budget_s`` seconds have passed (for the slow ftfy baseline)."""
    start = time.perf_counter()
    for doc in docs:
        if time.perf_counter() - start > budget_s:
            return
        yield doc


def ftfy_alone(docs: list[dict[str, str]], budget_s: float) -> float:
    import ftfy

    size = 0
    start = time.perf_counter()
    for doc in timed_sample(docs, budget_s):
        ftfy.fix_text(doc["text"])
        size += len(doc["text"].encode())
    return size / MB / (time.perf_counter() - start)


def engine_alone(docs: list[dict[str, str]], config: CleanConfig, rounds: int) -> float:
    cleaner = Cleaner(config)
    size = sum(len(d["text"].encode()) for d in docs) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            cleaner.clean_document(doc["text"], url=doc["url"] or None)
    return size / MB / (time.perf_counter() - start)


def _spin(_: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def free_cores() -> float:
    """How many cores two busy processes actually get now: 2.0 on an idle machine.

    The machines are shared; when this is near 1, a 2-worker run cannot beat one worker
    and only the per-CPU-second figures compare.
    """
    import multiprocessing

    one = _spin(0)
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [0, 1])
    return 2 * one / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path, help="eval JSONL(.gz) files with text_raw")
    parser.add_argument("--mb", type=float, default=50, help="corpus size in MB of text (default 50)")
    parser.add_argument("--rules", type=int, default=1000, help="padded rule book size (default 1000)")
    parser.add_argument("--no-detect-run", action="store_true", help="skip the detection-on run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each CLI configuration, interleaved; the fastest counts (default 3)")
    args = parser.parse_args()

    docs = read_eval(args.inputs)
    cores_before = free_cores()
    with tempfile.TemporaryDirectory(prefix="boilerstrip-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        n, text_bytes = build_corpus(docs, args.mb, corpus)
        text_mb = text_bytes / MB
        print(f"corpus: {n:,} documents, {text_mb:.1f} MB of text, {corpus.stat().st_size / MB:.1f} MB of JSONL "
              f"(from {len(docs)} pages of {', '.join(p.name for p in args.inputs)})", flush=True)
        rules_dir = work / "rules"
        rules_dir.mkdir()
        padded = padded_rules(rules_dir, args.rules)
        base_rules = len(Cleaner(CleanConfig(detect=False)).rulebook.rules)

        rows: list[tuple[str, int, float | None, float | None, float | None, str]] = []
        ftfy_mbs = ftfy_alone(docs, budget_s=10)
        rows.append(("ftfy.fix_text alone (in-process)", 1, ftfy_mbs, None, None, ""))
        rows.append((f"engine alone, {base_rules} rules (in-process)", 1,
                     engine_alone(docs, CleanConfig(detect=False), 2), None, None, ""))
        runs = [
            (f"CLI, default rules ({base_rules}), detection off", 1, ["--no-detect"]),
            (f"CLI, default rules ({base_rules}), detection off", 2, ["--no-detect"]),
            (f"CLI, {base_rules + padded} rules, detection off", 1, ["--no-detect", "--rules", str(rules_dir)]),
            (f"CLI, {base_rules + padded} rules, detection off", 2, ["--no-detect", "--rules", str(rules_dir)]),
        ]
        if not args.no_detect_run:
            runs.append((f"CLI, default rules ({base_rules}), detection on", 1, []))
        best: dict[int, tuple[float, float, dict]] = {}
        startup: dict[int, float] = {}
        empty = work / "empty.jsonl"
        empty.write_bytes(b"")
        failed: dict[int, str] = {}
        # Rounds interleave the configurations, and each keeps its fastest run: on a shared machine
        # a neighbour's burst then spoils one run of each, not every run of one configuration.
        for round_no in range(args.rounds):
            for k, (label, workers, extra) in enumerate(runs):
                if k in failed:
                    continue
                try:
                    run = run_cli(corpus, work / f"out-{workers}.jsonl", workers, extra)
                except RuntimeError as exc:
                    failed[k] = f"failed: {exc}"[:80]
                    continue
                if k not in best or run[0] < best[k][0]:
                    best[k] = run
                idle = run_cli(empty, work / f"empty-out-{workers}.jsonl", workers, extra)[0]
                startup[k] = min(startup.get(k, idle), idle)
                print(f"  round {round_no + 1}: {label}, {workers} worker(s): {run[0]:.1f} s",
                      file=sys.stderr, flush=True)
        for k, (label, workers, _) in enumerate(runs):
            if k in failed:
                rows.append((label, workers, None, None, None, failed[k]))
                continue
            seconds, cpu, stats = best[k]
            steady = text_mb / (seconds - startup[k]) if seconds > startup[k] else None
            rows.append((label, workers, text_mb / seconds, text_mb / cpu, steady,
                         f"{seconds:.1f} s (start-up {startup[k]:.2f} s), {stats['share_removed']:.1%} removed"))

    one = next(r[2] for r in rows if r[0].startswith("CLI, default") and r[1] == 1)
    print(f"\n{'configuration':52} {'workers':>7} {'MB/s':>7} {'per core':>8} {'per CPU-s':>9} "
          f"{'steady/core':>11} {'x ftfy':>7}  notes")
    for label, workers, mbs, per_cpu, steady, note in rows:
        if mbs is None:
            print(f"{label:52} {workers:>7} {'-':>7} {'-':>8} {'-':>9} {'-':>11} {'-':>7}  {note}")
            continue
        cpu_text = f"{per_cpu:9.1f}" if per_cpu else f"{'':9}"
        steady_text = f"{steady / workers:11.1f}" if steady else f"{'':11}"
        core = mbs / workers
        print(f"{label:52} {workers:>7} {mbs:7.1f} {core:8.1f} {cpu_text} {steady_text} {core / ftfy_mbs:7.1f}  {note}")
    default_rows = [r for r in rows if r[0].startswith("CLI, default") and r[1] in (1, 2) and r[2]]
    by_workers = {r[1]: r for r in default_rows if "detection off" in r[0]}
    if 1 in by_workers and 2 in by_workers:
        steady_text = ""
        if by_workers[1][4] and by_workers[2][4]:
            steady_text = f", steady {by_workers[2][4] / by_workers[1][4]:.2f}x"
        print(f"\n2 workers / 1 worker: {by_workers[2][2] / by_workers[1][2]:.2f}x end to end{steady_text} "
              f"(cores free for two busy processes: {cores_before:.2f} before, {free_cores():.2f} after)")
    padded_one = next((r[2] for r in rows if r[0].startswith(f"CLI, {base_rules + padded}") and r[1] == 1), None)
    if one and padded_one:
        print(f"{base_rules + padded} rules / {base_rules} rules: {one / padded_one:.2f}x the time "
              f"for {(base_rules + padded) / base_rules:.0f}x the rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
