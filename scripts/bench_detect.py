"""Single-core speed of text-mode detection: MB/s of ``detect_boilerplate`` alone and of ``Cleaner().clean``.

A benchmark, not a test. Reads the ``--field`` text (default ``text_raw``) of JSONL(.gz) files and times
each round over all documents; the best of ``--repeat`` rounds is reported, since the machine may be
shared. MB are UTF-8 bytes of the input texts.

    .venv/bin/python scripts/bench_detect.py ../shared/eval/*.jsonl.gz
    .venv/bin/python scripts/bench_detect.py ../shared/eval/*.jsonl.gz --profile   # cProfile, detection only
    .venv/bin/python scripts/bench_detect.py ../shared/eval/*.jsonl.gz --budget 10  # what 10 MB/s leaves detection

``--budget MBS`` answers "can detection fit in pure Python at this rate?": it times the rules alone
(``CleanConfig(detect=False)``), so the time left for detection at ``MBS`` is known, and times two
lower bounds of one detection pass:

- the line model's scoring alone (both stages' dot products, first pass only, on features computed
  outside the timing);
- the evidence floor: the least per-line evidence the detector cannot do without, in the cheapest
  pure Python there is (the language guess, the non-blank lines, each line lower-cased and split
  into words, its stop words counted with one bound set lookup). No feature, context, region or
  explanation is computed; a detector that reads stop-word density per line costs at least this.

The two are disjoint parts of a pass, so their sum is a lower bound of detection's cost. With numpy
installed (``pip install -e '.[train]'``) it also times the scoring as numpy matrix products, the
one step of detection that vectorises, and prints what would be left for everything else.
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

from cleaner import CleanConfig, Cleaner  # noqa: E402
from cleaner.detect import detect_boilerplate  # noqa: E402
from cleaner.detect.context import feature_columns, stage2_columns  # noqa: E402
from cleaner.detect.data import stopwords  # noqa: E402
from cleaner.detect.features import LineTable, guess_language, split_lines  # noqa: E402
from cleaner.detect.model import default_model  # noqa: E402
from cleaner.detect.phrases import default_matcher  # noqa: E402


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
    ap.add_argument("--budget", type=float, metavar="MBS",
                    help="also show the time detection may take for the whole run to reach MBS MB/s")
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
    seconds: dict[str, float] = {}
    for label, run in runs:
        run(texts[0])  # load weights, phrase lists and rules outside the timing
        seconds[label] = best_round(run, texts, args.repeat)
        print(f"{label:20s} {mb / seconds[label]:7.2f} MB/s (one core, best of {args.repeat})")
    if args.budget:
        budget(texts, mb, args.budget, args.repeat, seconds.get("Cleaner().clean"))


def evidence_floor(text: str) -> list[int]:
    """Stop words per non-blank line, in the document's language: the cheapest per-line evidence."""
    known = stopwords(guess_language(text)).__contains__
    return [sum(map(known, line.lower().split())) for line in text.split("\n") if line.strip()]


def numpy_scoring(inputs: list[tuple[list[list[float]], list[bool], LineTable]], repeat: int) -> float | None:
    """Seconds of the line model's scoring with numpy's matrix products (``None`` without numpy).

    What a vectorised scorer would cost: the columns still come from Python lists, and the second
    stage's columns are still built from the first stage's scores, line by line.
    """
    try:
        import numpy as np
    except ImportError:
        return None
    model = default_model()
    assert model.stage2 is not None
    stage1, stage2 = model.stage1, model.stage2
    coef1, coef2 = np.array(stage1.coef), np.array(stage2.coef)

    def score(columns: list[list[float]], prose: list[bool], table: LineTable) -> None:
        z1 = (coef1 @ np.array(columns, dtype=float) + stage1.intercept).tolist()
        second = stage2_columns(z1, table, prose, model.threshold)
        (coef2 @ np.array(second, dtype=float) + stage2.intercept).tolist()

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for columns, prose, table in inputs:
            score(columns, prose, table)
        best = min(best, time.perf_counter() - start)
    return best


def budget(texts: list[str], mb: float, target: float, repeat: int, clean_s: float | None) -> None:
    """Print the seconds detection may take at ``target`` MB/s, what its lower bounds take, and, given
    ``clean_s`` (a full clean's seconds), what detection takes now."""
    rules = Cleaner(CleanConfig(detect=False)).clean
    rules(texts[0])
    rules_s = best_round(rules, texts, repeat)
    model, matcher = default_model(), default_matcher()
    inputs = []
    for text in texts:
        table = split_lines(text, guess_language(text), matcher)
        if len(table):
            inputs.append((*feature_columns(table), table))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for columns, prose, table in inputs:
            model.scores(columns, table, prose)
        best = min(best, time.perf_counter() - start)
    lines = sum(len(table) for _, _, table in inputs)
    floor = best_round(evidence_floor, texts, repeat)
    left = mb / target - rules_s
    print(f"rules alone          {mb / rules_s:7.2f} MB/s ({rules_s:.2f} s)")
    print(f"at {target:g} MB/s the run may take {mb / target:.2f} s: {left:.2f} s left for every detection pass")
    print(f"line model's scoring alone, first pass: {best:.2f} s ({1e6 * best / lines:.2f} us a line, {lines:,} lines)")
    print(f"evidence floor (language, lines, words, stop words), first pass: {floor:.2f} s "
          f"({1e6 * floor / lines:.2f} us a line)")
    least = floor + best
    print(f"floor + scoring, first pass only: {least:.2f} s, {least / left:.1f}x the {left:.2f} s left for detection")
    vectorised = numpy_scoring(inputs, repeat)
    if vectorised is not None:
        print(f"scoring with numpy: {vectorised:.2f} s; floor + it: {floor + vectorised:.2f} s, leaving "
              f"{left - floor - vectorised:.2f} s for all other evidence, context, regions, explanations and passes")
    if clean_s is not None:
        print(f"detection now: {clean_s - rules_s:.2f} s of the full clean's {clean_s:.2f} s")


if __name__ == "__main__":
    main()
