"""Where the rules-only path spends its time, stage by stage, and what a target rate leaves.

A benchmark, not a test. ``scripts/bench.py`` gives the end-to-end figure; this one splits one core's
work into the stages of ``Cleaner.clean_document`` with detection off (in-process, over the distinct
``text_raw`` pages of eval JSONL files, fastest of ``--repeat`` rounds, MB = 10^6 UTF-8 bytes):

- the whole engine, and the worker's whole job on the same records as JSONL lines (parse, clean,
  statistics, JSON out), so the pipeline's own per-record cost is the difference;
- encoding repair: the cheap check every document pays, and the ftfy repairs of the lines it flags;
- the first rules pass: splitting the lines, the literal search (lower-casing, Aho-Corasick, line
  numbers), then the rules' actions on their candidate lines;
- the rest of the engine (second passes, merging, tidying, the result), by difference;
- reference operations whose speed on another machine is known (``str.splitlines``, a Python loop
  stripping each line, ``json.loads``), to compare one machine's figures with another's;
- how many literal matches the search returns and how many (rule, line) candidates they make.

``--target MBS`` prints the time budget that rate gives the corpus beside these stage times.

    .venv/bin/python scripts/bench_stages.py ../shared/eval/*-dev.jsonl.gz --target 25
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import read_eval  # noqa: E402  (scripts/, first on the path when a script runs)

from cleaner import CleanConfig, Cleaner  # noqa: E402
from cleaner.actions import ACTIONS  # noqa: E402
from cleaner.encoding import needs_repair, repair_text  # noqa: E402
from cleaner.engine import candidate_lines  # noqa: E402
from cleaner.literals import literal_lines  # noqa: E402
from cleaner.pipeline import Batch, JobSpec, Worker  # noqa: E402
from cleaner.record import RecordOptions  # noqa: E402
from cleaner.segment import Lines  # noqa: E402
from cleaner.sites import choose_site  # noqa: E402

MB = 1_000_000


def best(run: Callable[[], object], repeat: int) -> float:
    """Seconds of the fastest of ``repeat`` runs: on a shared machine the slower ones carry a neighbour's work."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path, help="eval JSONL(.gz) files with text_raw")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each stage; the fastest counts (default 5)")
    parser.add_argument("--target", type=float, default=25.0, help="end-to-end MB/s to budget for (default 25)")
    args = parser.parse_args()

    docs = read_eval(args.inputs)
    cleaner = Cleaner(CleanConfig(detect=False))
    book, cfg = cleaner.rulebook, cleaner.config
    mb = sum(len(d["text"].encode()) for d in docs) / MB
    sources = [repair_text(d["text"], cfg.encoding).text for d in docs]
    actives = []
    for doc, source in zip(docs, sources, strict=True):
        site = choose_site(book, source, doc["url"] or None)
        actives.append(book.active_rules(site.name if site else None, generic=cfg.generic, disabled=cfg.disabled))
    lines = [Lines.of(s) for s in sources]
    found = [candidate_lines(book, ls, a) for ls, a in zip(lines, actives, strict=True)]
    jsonl = [json.dumps(d, ensure_ascii=False).encode() for d in docs]
    batches = [Batch("lines", jsonl[i : i + 64], i + 1, "jsonl", 0, final=False) for i in range(0, len(jsonl), 64)]
    worker = Worker(JobSpec(cleaner, RecordOptions()))

    def actions() -> None:
        for ls, cands in zip(lines, found, strict=True):
            ls.verdicts.clear()  # whole-line verdicts are remembered per document: start each round without them
            for idx, candidates in cands.items():
                cr = book.rules[idx]
                ACTIONS[cr.rule.action](cr, ls, candidates, cfg.regex_timeout)

    automaton = book.literal_automaton
    assert automaton is not None
    timed = {
        "worker: parse, clean, statistics, JSON out": best(lambda: [worker(b) for b in batches], args.repeat),
        "engine (clean_document, rules only)": best(
            lambda: [cleaner.clean_document(d["text"], url=d["url"] or None) for d in docs], args.repeat),
        "  repair: the check every document pays": best(lambda: [needs_repair(d["text"]) for d in docs], args.repeat),
        "  repair: check and ftfy on flagged lines": best(
            lambda: [repair_text(d["text"], cfg.encoding) for d in docs], args.repeat),
        "  first pass: split lines": best(lambda: [Lines.of(s) for s in sources], args.repeat),
        "  first pass: literal search (part of the next)": best(
            lambda: [list(literal_lines(automaton, s)) for s in sources], args.repeat),
        "  first pass: search, file candidates": best(
            lambda: [candidate_lines(book, ls, a) for ls, a in zip(lines, actives, strict=True)], args.repeat),
        "  first pass: rule actions on candidates": best(actions, args.repeat),
    }
    engine = timed["engine (clean_document, rules only)"]
    first = sum(timed[f"  first pass: {stage}"] for stage in ("split lines", "search, file candidates",
                                                               "rule actions on candidates"))
    repair = timed["  repair: check and ftfy on flagged lines"]
    timed["  rest: later passes, merging, tidying, result"] = engine - repair - first
    references = {
        "str.splitlines": best(lambda: [s.splitlines() for s in sources], args.repeat),
        "split and strip each line in a Python loop": best(
            lambda: [[t.strip() for t in s.split("\n")] for s in sources], args.repeat),
        "json.loads of the records": best(lambda: [json.loads(b) for b in jsonl], args.repeat),
    }

    matches = sum(len(list(literal_lines(automaton, s))) for s in sources)
    pairs = sum(len(c) for cands in found for c in cands.values())
    line_count = sum(len(ls) for ls in lines)
    print(f"{len(docs)} pages, {mb:.1f} MB, {line_count:,} lines, {len(book.rules)} rules; "
          f"{matches:,} literal matches, {pairs:,} (rule, line) candidates")
    print(f"\n{'stage':48} {'seconds':>8} {'MB/s':>8} {'share':>6}")
    for label, seconds in timed.items():
        share = f"{seconds / engine:6.0%}" if label.startswith("  ") else ""
        print(f"{label:48} {seconds:8.3f} {mb / seconds:8.1f} {share}")
    print(f"\n{'reference operation':48} {'seconds':>8} {'MB/s':>8}")
    for label, seconds in references.items():
        print(f"{label:48} {seconds:8.3f} {mb / seconds:8.1f}")
    budget = mb / args.target
    worker_s = timed["worker: parse, clean, statistics, JSON out"]
    print(f"\nat {args.target:g} MB/s end to end the corpus may take {budget:.3f} s; the worker alone takes "
          f"{worker_s:.3f} s ({worker_s / budget:.2f}x the budget), before start-up, reading and writing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
