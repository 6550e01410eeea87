"""Compare this checkout's cleaner with another git revision's: same outputs? how much faster?

An engine change that should not change behaviour must keep every output identical, and a
speed claim must come from an interleaved run (the machines are shared: load from other
processes then hits both sides alike). This script does both on eval JSONL files:

- the ``cleaner`` package and ``rules/`` of ``--base`` are exported with ``git archive`` into
  a temporary directory and imported side by side as ``cleaner_base``;
- every page is cleaned by both, with detection off and on; a page differs when the text,
  the removal spans, their rule ids or the warnings differ (``--ignore-rule-ids`` compares
  spans only, for a change that renames or splits a rule on purpose);
- with ``--rounds N`` both sides then clean the pages in chunks, alternating which goes first,
  and the fastest time of each chunk counts (MB/s of ``text_raw`` and the ratio).

    .venv/bin/python scripts/ab_compare.py ../shared/eval/scrapinghub-dev.jsonl.gz \\
        ../shared/eval/wcxb-article-dev.jsonl.gz --base HEAD~3 --rounds 2

Exit status 1 when any page differs, so it can guard a refactoring.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def read_pages(paths: list[Path]) -> list[tuple[str, str | None]]:
    pages = []
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if isinstance(rec.get("text_raw"), str):
                    pages.append((rec["text_raw"], rec.get("url") or None))
    return pages


def export_base(rev: str, into: Path) -> ModuleType:
    """``rev``'s ``cleaner`` package as the module ``cleaner_base`` (its rules beside it)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "cleaner", "rules"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse odd members
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # our own repository's archive
    (into / "cleaner").rename(into / "cleaner_base")
    for source in (into / "cleaner_base").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom cleaner([. ])", r"from cleaner_base\1", text)
        text = re.sub(r"\bimport cleaner\b", "import cleaner_base", text)
        source.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(into))
    import cleaner_base  # type: ignore[import-not-found]

    return cleaner_base  # type: ignore[no-any-return]


def signature(result: Any, rule_ids: bool) -> tuple[Any, ...]:
    spans = tuple((r.start, r.end, r.rule_id if rule_ids else "") for r in result.removals)
    return result.text, spans, tuple(result.warnings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path, help="eval JSONL(.gz) files with text_raw (and url)")
    parser.add_argument("--base", required=True, help="git revision to compare with, e.g. HEAD~1 or main")
    parser.add_argument("--rounds", type=int, default=0, help="interleaved timing rounds (default 0: no timing)")
    parser.add_argument("--chunk", type=int, default=25, help="pages per timed chunk (default 25)")
    parser.add_argument("--ignore-rule-ids", action="store_true", help="compare removal spans, not their rule ids")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import cleaner

    pages = read_pages(args.inputs)
    size = sum(len(text.encode()) for text, _ in pages) / MB
    differing = 0
    with tempfile.TemporaryDirectory(prefix="boilerstrip-ab-") as tmp:
        base = export_base(args.base, Path(tmp))
        for detect in (False, True):
            new = cleaner.Cleaner(cleaner.CleanConfig(detect=detect))
            old = base.Cleaner(base.CleanConfig(detect=detect))
            diff = [i for i, (text, url) in enumerate(pages)
                    if signature(new.clean_document(text, url=url), not args.ignore_rule_ids)
                    != signature(old.clean_document(text, url=url), not args.ignore_rule_ids)]
            differing += len(diff)
            print(f"detection {'on ' if detect else 'off'}: {len(diff)} of {len(pages)} pages differ"
                  + (f" (first: page {diff[0]})" if diff else ""), flush=True)
            if args.rounds:
                chunks = [pages[i : i + args.chunk] for i in range(0, len(pages), args.chunk)]
                best = {"new": [float("inf")] * len(chunks), "base": [float("inf")] * len(chunks)}
                for round_no in range(args.rounds):
                    for k, chunk in enumerate(chunks):
                        sides = [("new", new), ("base", old)]
                        for name, side in sides if (round_no + k) % 2 else sides[::-1]:
                            start = time.perf_counter()
                            for text, url in chunk:
                                side.clean_document(text, url=url)
                            best[name][k] = min(best[name][k], time.perf_counter() - start)
                t_new, t_old = sum(best["new"]), sum(best["base"])
                print(f"  new {size / t_new:.2f} MB/s, base {size / t_old:.2f} MB/s: {t_old / t_new:.3f}x", flush=True)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
