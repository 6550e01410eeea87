#!/usr/bin/env python3
"""What boilerplate does trafilatura leave in its output? Counts by generic pattern family.

    .venv/bin/python scripts/analyse_html_leftovers.py ../shared/eval/wcxb-article-dev.jsonl.gz
    .venv/bin/python scripts/analyse_html_leftovers.py DATA --predictions outputs.json --examples 5

A *leftover* is an output line whose 4-token shingles (or, for lines under four tokens, whose
normalised text) are mostly absent from the gold article. Each leftover is put in the first
family whose pattern it matches; the table gives, per family, the pages it occurs on, the lines,
and the false-positive shingles it costs (what precision pays). The families describe boilerplate
in general, so that they can become generic rules; the most frequent leftover lines (digits
folded to 0) are listed to spot families still missing. Without ``--predictions`` the pages are
extracted with trafilatura alone and HtmlOptions' settings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

TOKEN = re.compile(r"\w+")

# Order matters: the first family that matches claims the line.
FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("cookie / consent notice", re.compile(r"\b(cookies?|consent|gdpr|privacy settings)\b", re.I)),
    ("newsletter / subscribe pitch", re.compile(
        r"\b(newsletters?|subscribe|subscription|sign[ -]?up|inbox|unsubscribe)\b", re.I)),
    ("share / social line", re.compile(
        r"\b(share (this|on|via)|facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram|"
        r"email this|print this|copy link|tweet|follow us)\b", re.I)),
    ("related / read-more / most-read", re.compile(
        r"\b(read more|read next|related( articles?| stories| posts| content)?|more from|you (may|might) "
        r"also like|recommended|see also|also read|more stories|keep reading|continue reading|"
        r"most (read|popular|viewed)|trending|up next|what to read next)\b", re.I)),
    ("copyright / legal footer", re.compile(
        r"(©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|terms of (use|service)|privacy policy|"
        r"disclaimer|affiliate (link|commission))", re.I)),
    ("photo / image credit or caption", re.compile(
        r"^(photo|image|picture|illustration|video|credit|source|foto)s?\b\s*[:(|/-]|"
        r"\b(getty images|shutterstock|istock|reuters|afp|ap photo|associated press|unsplash)\b", re.I)),
    ("byline / date / reading time", re.compile(
        r"^(by|written by|posted by|published|updated|last updated|author|reviewed by|edited by)\b|"
        r"\b\d+\s*(min(ute)?s?|mins) read\b|^\W*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\W*$|"
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b", re.I)),
    ("ad / sponsored marker", re.compile(r"^\W*(advertisement|advert|sponsored|ad|anzeige|publicidad)\W*$|"
                                         r"\bsponsored (content|by)\b|\bpaid (post|partnership)\b", re.I)),
    ("comments prompt", re.compile(r"\b(comments?|leave a reply|reply|join the (discussion|conversation))\b",
                                   re.I)),
    ("tags / categories / filed under", re.compile(r"^(tags?|topics?|categories|category|filed under|"
                                                   r"labels?)\s*[:|]", re.I)),
    ("call to action (download, contact, buy, learn more)", re.compile(
        r"\b(click here|download|contact us|get in touch|buy now|shop now|learn more|book (a|your)|"
        r"get started|free trial|request a (demo|quote)|call us|whatsapp us)\b", re.I)),
    ("author bio", re.compile(r"\b(is a (writer|journalist|reporter|editor|freelance)|about the author|"
                              r"has written for|covers .* for)\b", re.I)),
]


FINAL_PUNCTUATION = re.compile("[.!?:;\"\u201d\u2019)]$")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def shingle_set(toks: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def leftover_lines(output: str, gold: str) -> list[tuple[str, int, str]]:
    """Output lines mostly absent from the gold: (line, shingles it costs, position).

    The position says whether the line sits before the first gold line of the output
    ("leading"), after the last ("trailing") or between gold lines ("inside"): trailing blocks
    can be cut from a marker line on, inside lines need a line-level rule.
    """
    gold_toks = tokens(gold)
    gold_shingles = shingle_set(gold_toks)
    gold_flat = " ".join(gold_toks)
    marks: list[tuple[str, int] | None] = []
    for line in output.splitlines():
        toks = tokens(line)
        if not toks:
            continue
        if len(toks) < 4:
            gone = f" {' '.join(toks)} " not in f" {gold_flat} "
            marks.append((line.strip(), 1) if gone else None)
            continue
        sh = shingle_set(toks)
        missing = sum(c for s, c in sh.items() if s not in gold_shingles)
        marks.append((line.strip(), missing) if missing > 0.5 * sum(sh.values()) else None)
    kept = [i for i, m in enumerate(marks) if m is None]
    first, last = (kept[0], kept[-1]) if kept else (len(marks), -1)
    return [
        (m[0], m[1], "leading" if i < first else "trailing" if i > last else "inside")
        for i, m in enumerate(marks)
        if m is not None
    ]


def family(line: str) -> str:
    for name, pattern in FAMILIES:
        if pattern.search(line):
            return name
    words = len(line.split())
    if words <= 3:
        return "(other) short label, <= 3 words"
    if words <= 12 and not FINAL_PUNCTUATION.search(line):
        return "(other) headline-like line, 4-12 words, no final punctuation"
    return "(other) prose"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="JSONL(.gz) with id, url, html, gold")
    ap.add_argument("--predictions", type=Path, help="JSON {id: output}; default: run trafilatura alone")
    ap.add_argument("--examples", type=int, default=3, help="example lines shown per family")
    ap.add_argument("--top", type=int, default=40, help="most frequent leftover lines shown")
    args = ap.parse_args()

    opener = gzip.open if args.data.suffix == ".gz" else open
    with opener(args.data, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if args.predictions:
        outputs = json.loads(args.predictions.read_text(encoding="utf-8"))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        sys.path.insert(0, str(Path.cwd()))
        from dataclasses import asdict

        from eval_html import trafilatura_alone

        from cleaner.html import HtmlOptions

        run = trafilatura_alone({k: v for k, v in asdict(HtmlOptions()).items() if k != "time_budget_s"})
        outputs = {rec["id"]: run(rec["html"], url=rec.get("url")) for rec in records}

    pages: dict[str, set[str]] = defaultdict(set)
    lines: Counter[str] = Counter()
    cost: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    frequent: Counter[str] = Counter()
    total_fp = 0
    where: Counter[str] = Counter()
    for rec in records:
        for line, missing, position in leftover_lines(outputs.get(rec["id"], ""), rec.get("gold", "")):
            where[position] += missing
            name = family(line)
            pages[name].add(rec["id"])
            lines[name] += 1
            cost[name] += missing
            total_fp += missing
            if len(examples[name]) < args.examples:
                examples[name].append(line[:120])
            frequent[re.sub(r"\d+", "0", line.lower())[:100]] += 1

    print(f"{args.data.name}: {len(records)} pages, {sum(lines.values())} leftover lines, "
          f"{total_fp} false-positive shingles")
    print("false-positive shingles by position: "
          + ", ".join(f"{k} {v} ({v / max(total_fp, 1):.0%})" for k, v in where.most_common()))
    print(f"{'family':60s} {'pages':>6s} {'lines':>6s} {'shingles':>9s}")
    for name, _ in cost.most_common():
        print(f"{name:60s} {len(pages[name]):6d} {lines[name]:6d} {cost[name]:9d}")
        for example in examples[name]:
            print(f"      e.g. {example}")
    print(f"\nmost frequent leftover lines (digits folded), top {args.top}:")
    for line, count in frequent.most_common(args.top):
        if count > 1:
            print(f"{count:5d}  {line}")


if __name__ == "__main__":
    main()
