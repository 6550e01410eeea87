#!/usr/bin/env python3
"""Train the detector's line model (logistic regression) and report held-out figures.

    python scripts/train_detector.py DATA1.jsonl.gz DATA2.jsonl.gz --out cleaner/detect/weights.json

Labels come from the gold text: a line is article when at least half of its 4-token shingles occur in
the gold (short lines: when their tokens occur as a run in the gold). Each page weighs the same, and
within a page a line weighs by its token count, as the shingle metric does.

Honest figures: pages are split into folds by site (host name), the model is trained on the other
folds and the held-out pages are cleaned with it; the printed F1/P/R are those held-out figures, per
data file. The shipped weights are then fitted on all pages. Training needs numpy (a dev tool); the
shipped model is a plain JSON file read without it. Deterministic: no random state anywhere.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_quality import TOKEN, aggregate, overlap, read_records, shingles, snippet_scores

from cleaner.detect.context import FEATURE_NAMES, STAGE2_NAMES, feature_columns, stage2_columns
from cleaner.detect.detector import detect_boilerplate
from cleaner.detect.features import LineTable, guess_language, split_lines
from cleaner.detect.model import Linear, LineModel
from cleaner.detect.phrases import default_matcher
from cleaner.detect.spans import remove_spans


def line_labels(texts: list[str], gold: str) -> list[float | None]:
    """1.0 for article lines, 0.0 for boilerplate, None for lines without tokens."""
    g = shingles(gold)
    gold_tokens = " " + " ".join(TOKEN.findall(gold.lower())) + " "
    labels: list[float | None] = []
    for text in texts:
        toks = TOKEN.findall(text)
        if not toks:
            labels.append(None)
        elif len(toks) < 4:
            labels.append(float(" " + " ".join(t.lower() for t in toks) + " " in gold_tokens))
        else:
            sh = [tuple(toks[i : i + 4]) for i in range(len(toks) - 3)]
            labels.append(float(sum(s in g for s in sh) / len(sh) >= 0.5))
    return labels


@dataclass
class Page:
    """One page's lines, first-stage features, labels and weights (labelled lines only in x/y/w)."""

    table: LineTable
    prose: list[bool]
    columns: list[list[float]]
    keep: list[int]
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


def featurise(rec: dict) -> Page:
    """First-stage features, labels and weights of one page's labelled lines."""
    text = rec["text_raw"]
    table = split_lines(text, guess_language(text), default_matcher())
    columns, prose = feature_columns(table)
    labels = line_labels(table.text, rec.get("gold", ""))
    keep = [i for i, lab in enumerate(labels) if lab is not None]
    x = np.array(columns, dtype=float).T[keep] if keep else np.zeros((0, len(FEATURE_NAMES)))
    y = np.array([labels[i] for i in keep], dtype=float)
    w = np.array([table.units[i] + 1.0 for i in keep], dtype=float)
    return Page(table, prose, columns, keep, x, y, w / w.sum() if keep else w)


def stage2_matrix(page: Page, stage1: Linear, threshold: float) -> np.ndarray:
    """Second-stage feature rows of a page's labelled lines, given a first-stage layer."""
    z1 = stage1.logits(page.columns)
    cols = stage2_columns(z1, page.table, page.prose, threshold)
    return np.array(cols, dtype=float).T[page.keep] if page.keep else np.zeros((0, len(STAGE2_NAMES)))


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, names: tuple[str, ...]) -> dict:
    """Weighted L2 logistic regression by Newton's method on standardised features."""
    mean = (x * w[:, None]).sum(0) / w.sum()
    scale = np.sqrt(((x - mean) ** 2 * w[:, None]).sum(0) / w.sum())
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    z1 = np.hstack([z, np.ones((len(z), 1))])
    beta = np.zeros(z1.shape[1])
    reg = np.full(z1.shape[1], l2)
    reg[-1] = 0.0
    wn = w / w.sum() * len(w)
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-np.clip(z1 @ beta, -30, 30)))
        grad = z1.T @ (wn * (p - y)) + reg * beta
        hess = (z1 * (wn * p * (1 - p))[:, None]).T @ z1 + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return {
        "names": list(names),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in beta[:-1]],
        "intercept": round(float(beta[-1]), 6),
    }


def site(rec: dict) -> str:
    """Host name without www: the unit of the cross-validation split."""
    host = urlparse(rec.get("url") or "").netloc.lower()
    return host.removeprefix("www.")


def evaluate(records: list[dict], model: LineModel) -> tuple[list[tuple[float, float, float]], dict[str, str]]:
    """Per-page (tp, fp, fn) and outputs of detection with ``model``."""
    outputs = {}
    counts = []
    for rec in records:
        text = rec["text_raw"]
        out = remove_spans(text, detect_boilerplate(text, model=model).spans)
        outputs[rec["id"]] = out
        counts.append(overlap(rec.get("gold", ""), out))
    return counts, outputs


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="+", help="JSONL(.gz) files with text_raw, gold and url")
    ap.add_argument("--out", type=Path, default=Path("cleaner/detect/weights.json"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, nargs="+", default=[-1.0], help="logit cut-offs to compare")
    ap.add_argument("--no-cv", action="store_true", help="skip the held-out evaluation")
    args = ap.parse_args()

    sets = {path.name: read_records(path) for path in args.data}
    pages = [(name, rec) for name, recs in sets.items() for rec in recs]
    feats = [featurise(rec) for _, rec in pages]
    folds = [zlib.crc32(site(rec).encode()) % args.folds for _, rec in pages]

    def fit_on(indices: list[int], threshold: float) -> dict:
        y = np.concatenate([feats[i].y for i in indices])
        w = np.concatenate([feats[i].w for i in indices])
        stage1 = fit(np.vstack([feats[i].x for i in indices]), y, w, args.l2, FEATURE_NAMES)
        layer1 = Linear.from_dict(stage1, FEATURE_NAMES)
        x2 = np.vstack([stage2_matrix(feats[i], layer1, threshold) for i in indices])
        stage2 = fit(x2, y, w, args.l2, STAGE2_NAMES)
        return {"stage1": stage1, "stage2": stage2, "threshold": threshold}

    cv: dict[str, dict] = {}
    if not args.no_cv:
        for threshold in args.threshold:
            counts: dict[str, list] = {name: [] for name in sets}
            outputs: dict[str, dict[str, str]] = {name: {} for name in sets}
            for fold in range(args.folds):
                train = [i for i, f in enumerate(folds) if f != fold]
                model = LineModel.from_dict(fit_on(train, threshold))
                for i in (i for i, f in enumerate(folds) if f == fold):
                    name, rec = pages[i]
                    c, out = evaluate([rec], model)
                    counts[name].extend(c)
                    outputs[name].update(out)
            for name, recs in sets.items():
                row = aggregate(counts[name])
                row.update(snippet_scores(recs, outputs[name], "text_raw"))
                row["empty"] = sum(1 for o in outputs[name].values() if not o.strip())
                cv.setdefault(name, {})[str(threshold)] = {
                    k: v if v is None else round(v, 4) for k, v in row.items()
                }
                print(f"held-out by site, threshold {threshold}: {name} "
                      + " ".join(f"{k}={v:.3f}" for k, v in row.items() if v is not None), flush=True)

    weights = fit_on(list(range(len(pages))), args.threshold[0])
    weights["trained_on"] = sorted(sets)
    weights["held_out_by_site"] = cv
    args.out.write_text(json.dumps(weights, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for stage, names in (("stage1", FEATURE_NAMES), ("stage2", STAGE2_NAMES)):
        coefs = weights[stage]["coef"]
        if not all(math.isfinite(c) for c in coefs):
            raise SystemExit(f"training diverged in {stage}")
        print(stage, " ".join(f"{n}={c:+.2f}" for n, c in sorted(zip(names, coefs, strict=True),
                                                                 key=lambda t: -abs(t[1]))))


if __name__ == "__main__":
    main()
