"""Mergeable counters for a cleaning run: what was read, what was removed, by which rule.

One ``Stats`` per batch (or per worker, per Spark partition, per datatrove rank) is
filled with ``add`` and folded into a total with ``merge``, the way datatrove merges
per-rank stats. Everything is a sum except ``wall_seconds`` (the longest), so merging
is associative and the order of batches does not matter.

>>> from cleaner import Cleaner
>>> from cleaner.record import RecordOptions, clean_record_result
>>> stats = Stats()
>>> record = {"text": "Download App\\nThe council met."}
>>> out, result = clean_record_result(Cleaner(), record, RecordOptions())
>>> stats.add(record, out, result)
>>> stats.docs, stats.errors, stats.chars_in - stats.chars_out
(1, 0, 13)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cleaner.result import DETECTION_FALLBACK_MARK, HTML_FRAGMENT_MARK, CleanResult

MB = 1_000_000


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless one, for messages people read.

    >>> counted(1, "document"), counted(2500, "warning")
    ('1 document', '2,500 warnings')
    """
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


@dataclass(slots=True)
class Stats:
    """Counters for documents, errors, sizes, time, and removals per rule and per site.

    ``chars_in``/``chars_out`` count the text field of cleaned records only (a flagged
    record has no output text), so ``share_removed`` is the share of characters the
    rules and detection cut. ``bytes_in``/``bytes_out`` are what the readers and
    writers moved, whatever the format. ``cpu_seconds`` is time spent cleaning
    (summed over workers); ``wall_seconds`` is the run's elapsed time, set by the runner.
    ``detection_fallbacks`` counts documents where detection kept the rules' result, and
    ``html_fragments`` HTML pages whose result is the whole page cleaned in text mode.
    """

    docs: int = 0
    errors: int = 0
    warnings: int = 0
    detection_fallbacks: int = 0
    html_fragments: int = 0
    chars_in: int = 0
    chars_out: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    error_types: Counter[str] = field(default_factory=Counter)
    rule_hits: Counter[str] = field(default_factory=Counter)
    rule_chars: Counter[str] = field(default_factory=Counter)
    rule_docs: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)

    def add(
        self,
        record_in: Mapping[str, Any],
        record_out: Mapping[str, Any],
        result: CleanResult | None,
        *,
        field: str = "text",
    ) -> None:
        """Count one record: ``record_out`` flagged (has ``error``) or cleaned into ``result``.

        ``field`` is the input text field, whose length is ``chars_in``. Pass the pair
        ``clean_record_result`` returns; a flagged record has ``result`` None.
        """
        self.docs += 1
        error = record_out.get("error")
        if result is None or error is not None:
            self.errors += 1
            kind = error.get("type", "error") if isinstance(error, Mapping) else "error"
            self.error_types[str(kind)] += 1
            return
        text = record_in.get(field)
        self.chars_in += len(text) if isinstance(text, str) else len(result.source)
        self.chars_out += len(result.text)
        self.warnings += len(result.warnings)
        self.detection_fallbacks += any(w.startswith(DETECTION_FALLBACK_MARK) for w in result.warnings)
        self.html_fragments += any(w.startswith(HTML_FRAGMENT_MARK) for w in result.warnings)
        if result.site:
            self.sites[result.site] += 1
        seen: set[str] = set()
        for rem in result.removals:
            self.rule_hits[rem.rule_id] += 1
            self.rule_chars[rem.rule_id] += rem.end - rem.start
            seen.add(rem.rule_id)
        self.rule_docs.update(seen)

    def add_error(self, kind: str) -> None:
        """Count a record that failed before it could be parsed (bad JSON, bad UTF-8)."""
        self.docs += 1
        self.errors += 1
        self.error_types[kind] += 1

    def merge(self, other: Stats) -> Stats:
        """Fold ``other`` into this one (in place) and return self."""
        self.docs += other.docs
        self.errors += other.errors
        self.warnings += other.warnings
        self.detection_fallbacks += other.detection_fallbacks
        self.html_fragments += other.html_fragments
        self.chars_in += other.chars_in
        self.chars_out += other.chars_out
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.cpu_seconds += other.cpu_seconds
        self.wall_seconds = max(self.wall_seconds, other.wall_seconds)
        self.error_types.update(other.error_types)
        self.rule_hits.update(other.rule_hits)
        self.rule_chars.update(other.rule_chars)
        self.rule_docs.update(other.rule_docs)
        self.sites.update(other.sites)
        return self

    @property
    def seconds(self) -> float:
        """Elapsed time when the runner set it, else the time spent cleaning."""
        return self.wall_seconds or self.cpu_seconds

    @property
    def mb_per_s(self) -> float:
        return self.bytes_in / MB / self.seconds if self.seconds > 0 else 0.0

    @property
    def share_removed(self) -> float:
        return 1 - self.chars_out / self.chars_in if self.chars_in else 0.0

    def top_rules(self, n: int = 5) -> list[tuple[str, int]]:
        """The ``n`` rules that removed the most characters, ties by id."""
        return sorted(self.rule_chars.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_dict(self, rule_ids: Iterable[str] = ()) -> dict[str, Any]:
        """A JSON-ready dump (``--stats FILE``); ``rule_ids`` lists the rulebook, for ``never_fired``."""
        rules = {
            rid: {"hits": self.rule_hits[rid], "docs": self.rule_docs[rid], "chars": self.rule_chars[rid]}
            for rid in sorted(self.rule_hits)
        }
        return {
            "docs": self.docs,
            "errors": self.errors,
            "error_types": dict(sorted(self.error_types.items())),
            "warnings": self.warnings,
            "detection_fallbacks": self.detection_fallbacks,
            "html_fragments": self.html_fragments,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "share_removed": round(self.share_removed, 6),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "mb_in": round(self.bytes_in / MB, 3),
            "mb_out": round(self.bytes_out / MB, 3),
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "mb_per_s": round(self.mb_per_s, 3),
            "rules": rules,
            "sites": dict(sorted(self.sites.items())),
            "never_fired": sorted(set(rule_ids) - set(self.rule_hits)),
        }

    def summary(self) -> str:
        """One paragraph for stderr at the end of a run."""
        top = ", ".join(f"{rid} ({chars:,} chars)" for rid, chars in self.top_rules()) or "none"
        errors = f"{self.errors:,} flagged"
        if self.error_types:
            errors += " (" + ", ".join(f"{k}: {v:,}" for k, v in sorted(self.error_types.items())) + ")"
        fragments = f", {counted(self.html_fragments, 'HTML page')} cleaned whole" if self.html_fragments else ""
        return (
            f"boilerstrip: {counted(self.docs, 'document')}, {errors}, {counted(self.warnings, 'warning')} "
            f"({counted(self.detection_fallbacks, 'detection fallback')}{fragments}); "
            f"{self.bytes_in / MB:,.1f} MB in, {self.bytes_out / MB:,.1f} MB out in {self.seconds:,.1f} s "
            f"({self.mb_per_s:,.1f} MB/s); {self.share_removed:.1%} of characters removed; "
            f"top rules: {top}."
        )
