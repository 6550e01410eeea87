#!/usr/bin/env python3
"""Score HTML mode side by side with trafilatura alone, on the same pages in the same run.

    .venv/bin/python scripts/eval_html.py ../shared/eval/wcxb-article-dev.jsonl.gz
    .venv/bin/python scripts/eval_html.py DATA --cleaner cleaner:clean_html
    .venv/bin/python scripts/eval_html.py DATA --cleaner cleaner:clean_html --cleaner other:variant   # A/B, same run
    .venv/bin/python scripts/eval_html.py DATA --sweep          # trafilatura option sets only

"trafilatura alone" is by default ``trafilatura.extract`` with the options of
:class:`cleaner.html.HtmlOptions` (same extraction settings, no metadata, no time budget, no
rules): the strictest reference, since those settings make trafilatura both better and faster.
``--reference defaults`` uses ``trafilatura.extract`` as most users call it (the baseline the issue
quotes for wcxb-article-dev, F1 .927), ``--reference no-comments`` the defaults with
``include_comments=False`` (the one it quotes for scrapinghub-dev, F1 .959). The cleaner gets the
page's ``html`` and ``url=``. The candidates run page by page in turn (see :func:`run`), and each
cleaner's time is given as a ratio to the reference's.

The metric is the benchmark's own, re-implemented here so that the project does not depend on
files outside it: ``\\w+`` tokens, multisets of 4-token shingles, per-page true/false
positives and false negatives normalised to sum to 1, precision averaged over pages with a
non-empty output, recall over pages with a non-empty gold, F1 of the two averages. Empty
outputs are counted beside every score because they leave the precision average.
"""

from __future__ import annotations

import argparse
import functools
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

    from cleaner.html_extract import trafilatura_settings

    def run(html: str, url: str | None = None) -> str:
        return trafilatura.extract(html, url=url, **trafilatura_settings(settings)) or ""

    return run


@functools.cache
def _reference() -> Callable[..., str]:
    from cleaner.html import HtmlOptions

    return trafilatura_alone({k: v for k, v in asdict(HtmlOptions()).items() if k != "time_budget_s"})


def trafilatura_reference(html: str, url: str | None = None) -> str:
    """trafilatura alone with HtmlOptions' settings, as a ``module:function`` for the benchmark's scorer.

    So that ``score.py`` can put the reference beside the cleaner with its own timing::

        PYTHONPATH=.:scripts python ../shared/eval/score.py --data DATA --field html --with-url \\
            --cleaner eval_html:trafilatura_reference
    """
    return _reference()(html, url=url)


def trafilatura_defaults(html: str, url: str | None = None, **options: Any) -> str:
    """``trafilatura.extract`` with its own defaults (and ``options``): trafilatura as most users call it.

    The baseline the issue quotes for wcxb-article-dev (F1 .927); slower than HtmlOptions'
    settings, since ``favor_recall`` skips work. See ``--reference``.
    """
    import trafilatura

    return trafilatura.extract(html, url=url, **options) or ""


@functools.cache
def _without_rescue() -> Any:
    from cleaner import CleanConfig, Cleaner
    from cleaner.html import HtmlOptions

    return Cleaner(CleanConfig(html=HtmlOptions(fragment_rescue=False)))


def clean_html_without_rescue(html: str, url: str | None = None) -> str:
    """HTML mode with ``HtmlOptions(fragment_rescue=False)``: what the fragment rescue costs and gains.

        .venv/bin/python scripts/eval_html.py DATA --cleaner cleaner:clean_html \\
            --cleaner eval_html:clean_html_without_rescue
    """
    return str(_without_rescue().clean_html(html, url=url).text)


def run(candidates: dict[str, Callable[..., Any]], records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every candidate on every page, interleaved page by page: outputs, error count, seconds spent.

    Interleaving makes the time comparison fair on a shared machine: a load spike slows the
    candidates alike instead of whichever ran during it (run one after the other, the same code
    measured anywhere from +13% to +52% against trafilatura on wcxb-article-dev). The order of
    the candidates alternates from page to page so that none always runs on a warm cache. Each
    candidate gets one untimed warm-up call first (imports, worker start).
    """
    results: dict[str, dict[str, Any]] = {name: {"outputs": {}, "errors": 0, "seconds": 0.0} for name in candidates}
    if records:
        for fn in candidates.values():
            fn(records[0].get("html") or "", url=records[0].get("url"))
    names = list(candidates)
    for index, rec in enumerate(records):
        for name in names if index % 2 == 0 else names[::-1]:
            result = results[name]
            start = time.perf_counter()
            try:
                out = candidates[name](rec.get("html") or "", url=rec.get("url"))
                out = getattr(out, "text", out) or ""
            except Exception as exc:  # scored as an empty output, as score.py does
                result["errors"] += 1
                out = ""
                print(f"  {name}: error on {rec['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            result["seconds"] += time.perf_counter() - start
            result["outputs"][rec["id"]] = out
    return results


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
    ap.add_argument("--cleaner", action="append", help="module:function(html, url=); repeat to compare several "
                    "(default cleaner.html:extract_text_only)")
    ap.add_argument("--sweep", action="store_true", help="score trafilatura alone with several option sets")
    ap.add_argument("--reference", choices=("options", "defaults", "no-comments"), default="options",
                    help="trafilatura alone with HtmlOptions' settings (default), its own defaults, or its "
                         "defaults with include_comments=False")
    ap.add_argument("--limit", type=int, default=0, help="only the first N records of each file")
    ap.add_argument("--predictions", type=Path, help="directory for {id: output} JSON files")
    args = ap.parse_args()

    sys.path.insert(0, str(Path.cwd()))
    from cleaner.html import HtmlOptions

    base = {k: v for k, v in asdict(HtmlOptions()).items() if k != "time_budget_s"}
    if args.sweep:
        candidates = {name: trafilatura_alone({**base, **change}) for name, change in SWEEP.items()}
    else:
        cleaners = args.cleaner or ["cleaner.html:extract_text_only"]
        references: dict[str, Callable[..., str]] = {
            "options": trafilatura_alone(base),
            "defaults": trafilatura_defaults,
            "no-comments": functools.partial(trafilatura_defaults, include_comments=False),
        }
        name = "trafilatura alone" + ("" if args.reference == "options" else f" ({args.reference})")
        candidates = {name: references[args.reference], **{spec: load(spec) for spec in cleaners}}
    names = list(candidates)
    for path in args.data:
        records = read_records(path)[: args.limit or None]
        print(f"{path.name}  n={len(records)}")
        results = run(candidates, records)
        for name, result in results.items():
            print(report(name, records, result), flush=True)
            if args.predictions:
                args.predictions.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"\W+", "_", name).strip("_")
                target = args.predictions / f"{path.name.split('.')[0]}--{slug}.json"
                target.write_text(json.dumps(result["outputs"], ensure_ascii=False), encoding="utf-8")
        reference = results[names[0]]["seconds"]
        for name in names[1:] if not args.sweep and reference else ():
            print(f"  time ratio {name} / {names[0]}: {results[name]['seconds'] / reference:.3f}")


if __name__ == "__main__":
    main()
