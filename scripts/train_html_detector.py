#!/usr/bin/env python3
"""Train HTML mode's line model (cleaner/detect/extracted.py) and report held-out figures.

    .venv/bin/python scripts/train_html_detector.py DATA1.jsonl.gz DATA2.jsonl.gz \\
        --out cleaner/detect/html_weights.json --threshold -2 --prose-threshold -4

The model sees what it will see in HTML mode: trafilatura's extraction of ``html`` (with ``url``)
after boilerstrip's rules, i.e. ``Cleaner(CleanConfig(html_detect=False)).clean_html(...)``. Those
texts are cached under ``--cache`` (default: a directory in the system temp dir), keyed by the data
file's content and the rule set version: extraction takes ~30 s per 800 pages.

Labels as in ``train_detector.py``: a line is article when at least half of its 4-token shingles occur
in the gold (short lines: when their tokens occur as a run in the gold). Each page weighs the same;
within a page a line weighs by its token count, as the shingle metric does.

Honest figures: pages are split into folds by site (host name); each fold is cleaned by a model
trained on the others. For every pair of cut-offs the held-out F1/P/R per data file are printed next
to trafilatura alone and the rules alone. The shipped weights are fitted on all pages with the first
``--threshold`` / ``--prose-threshold``. Deterministic: no random state anywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_quality import aggregate, overlap, read_records
from train_detector import Page, fit, line_labels, site

from cleaner.api import Cleaner
from cleaner.config import CleanConfig
from cleaner.detect.context import logits
from cleaner.detect.extracted import (
    FEATURE_NAMES,
    STAGE2_NAMES,
    HtmlLineModel,
    detect_extracted,
    feature_columns,
    line_table,
    stage2_columns,
)
from cleaner.detect.model import Linear
from cleaner.detect.spans import remove_spans
from cleaner.html import extract_html


def cached_texts(path: Path, records: list[dict], cache_dir: Path) -> dict[str, dict[str, str]]:
    """``{id: {"extracted": ..., "rules": ...}}`` for a data file, from the cache or computed once."""
    cleaner = Cleaner(CleanConfig(html_detect=False))
    key = hashlib.sha256(path.read_bytes() + cleaner.ruleset_version.encode()).hexdigest()[:16]
    target = cache_dir / f"{path.name}.{key}.json"
    if target.exists():
        return json.loads(target.read_text(encoding="utf-8"))
    texts = {}
    for rec in records:
        extracted = extract_html(rec["html"], url=rec.get("url")).text
        rules = cleaner.clean_html(rec["html"], url=rec.get("url")).text
        texts[rec["id"]] = {"extracted": extracted, "rules": rules}
    cache_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return texts


def featurise(text: str, gold: str) -> Page:
    """First-stage features, labels and weights of one text's labelled lines."""
    table = line_table(text)
    columns, prose = feature_columns(table)
    labels = line_labels(table.text, gold)
    keep = [i for i, lab in enumerate(labels) if lab is not None]
    x = np.array(columns, dtype=float).T[keep] if keep else np.zeros((0, len(FEATURE_NAMES)))
    y = np.array([labels[i] for i in keep], dtype=float)
    w = np.array([table.units[i] + 1.0 for i in keep], dtype=float)
    return Page(table, prose, columns, keep, x, y, w / w.sum() if keep else w)


def stage2_matrix(page: Page, stage1: Linear) -> np.ndarray:
    """Second-stage feature rows of a page's labelled lines, given a first-stage layer."""
    z1 = logits(page.columns, stage1.coef, stage1.intercept)
    cols = stage2_columns(z1, page.table, page.columns, page.prose)
    return np.array(cols, dtype=float).T[page.keep] if page.keep else np.zeros((0, len(STAGE2_NAMES)))


def fit_on(feats: list[Page], indices: list[int], l2: float) -> dict:
    """Both layers fitted on the pages ``indices``."""
    y = np.concatenate([feats[i].y for i in indices])
    w = np.concatenate([feats[i].w for i in indices])
    stage1 = fit(np.vstack([feats[i].x for i in indices]), y, w, l2, FEATURE_NAMES)
    layer1 = Linear.from_dict(stage1, FEATURE_NAMES, trainer="scripts/train_html_detector.py")
    x2 = np.vstack([stage2_matrix(feats[i], layer1) for i in indices])
    return {"stage1": stage1, "stage2": fit(x2, y, w, l2, STAGE2_NAMES)}


def score(rows: list[tuple[str, str]]) -> dict[str, float]:
    """Aggregate F1/P/R of (gold, output) pairs, rounded."""
    return {k: round(v, 4) for k, v in aggregate([overlap(g, o) for g, o in rows]).items()}


def fmt(row: dict[str, float]) -> str:
    return f"F1={row['f1']:.4f} P={row['precision']:.4f} R={row['recall']:.4f}"


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="+", help="JSONL(.gz) files with html, url, gold")
    ap.add_argument("--out", type=Path, default=Path("cleaner/detect/html_weights.json"))
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "boilerstrip-html-detector")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, nargs="+", default=[-2.0], help="cut-offs for other lines")
    ap.add_argument("--prose-threshold", type=float, nargs="+", default=[-4.0], help="cut-offs for prose lines")
    ap.add_argument("--no-cv", action="store_true", help="skip the held-out evaluation")
    args = ap.parse_args()

    pages: list[tuple[str, dict, dict[str, str]]] = []
    for path in args.data:
        records = read_records(path)
        texts = cached_texts(path, records, args.cache)
        pages.extend((path.name, rec, texts[rec["id"]]) for rec in records)
    names = [p.name for p in args.data]
    feats = [featurise(texts["rules"], rec.get("gold", "")) for _, rec, texts in pages]
    folds = [zlib.crc32(site(rec).encode()) % args.folds for _, rec, _ in pages]
    combos = [(t, pt) for t in args.threshold for pt in args.prose_threshold]

    cv: dict[str, dict[str, dict[str, float]]] = {}
    if not args.no_cv:
        models = [
            HtmlLineModel.from_dict({**fit_on(feats, [i for i, f in enumerate(folds) if f != k], args.l2),
                                     "threshold": 0.0, "prose_threshold": 0.0})
            for k in range(args.folds)
        ]
        for name in names:
            idx = [i for i, (n, _, _) in enumerate(pages) if n == name]
            gold = [pages[i][1].get("gold", "") for i in idx]
            row_t = score(list(zip(gold, [pages[i][2]["extracted"] for i in idx], strict=True)))
            row_r = score(list(zip(gold, [pages[i][2]["rules"] for i in idx], strict=True)))
            print(f"{name}: trafilatura alone {fmt(row_t)}", flush=True)
            print(f"{name}: rules            {fmt(row_r)}", flush=True)
            cv[name] = {"trafilatura": row_t, "rules": row_r}
            for t, pt in combos:
                outs, fallbacks = [], 0
                for i in idx:
                    model = models[folds[i]]
                    model = HtmlLineModel(model.stage1, model.stage2, t, pt)
                    text = pages[i][2]["rules"]
                    found = detect_extracted(text, model=model)
                    fallbacks += found.fell_back
                    outs.append(remove_spans(text, found.spans))
                row = score(list(zip(gold, outs, strict=True)))
                row["fallbacks"] = fallbacks
                cv[name][f"{t}/{pt}"] = row
                print(f"{name}: held-out by site, threshold {t} prose {pt}: {fmt(row)} fallbacks={fallbacks}",
                      flush=True)

    weights = fit_on(feats, list(range(len(pages))), args.l2)
    weights["threshold"] = args.threshold[0]
    weights["prose_threshold"] = args.prose_threshold[0]
    weights["trained_on"] = names
    weights["held_out_by_site"] = cv
    for stage, stage_names in (("stage1", FEATURE_NAMES), ("stage2", STAGE2_NAMES)):
        coefs = weights[stage]["coef"]
        if not all(math.isfinite(c) for c in coefs):
            raise SystemExit(f"training diverged in {stage}")
        print(stage, " ".join(f"{n}={c:+.2f}" for n, c in sorted(zip(stage_names, coefs, strict=True),
                                                                 key=lambda t: -abs(t[1]))))
    args.out.write_text(json.dumps(weights, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
