"""Run the applicable rules over one repaired document and collect removals.

All rules see the same source, so the result does not depend on rule order except
for attribution: site rules come first, and the first rule to claim a character
keeps it (``merge_spans``). A line left with nothing but whitespace after its spans
are cut is removed whole, so cuts never leave stray blank lines or merged paragraphs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from cleaner.actions import ACTIONS, HeldReason
from cleaner.literals import literal_lines
from cleaner.result import TIMEOUT_MARK, Removal, merge_spans
from cleaner.rulebook import RuleBook
from cleaner.segment import Lines

#: A match a guard held back: the rule's index, the match's offset in the text the pass saw, and why.
Held = tuple[int, int, HeldReason]


@dataclass(frozen=True, slots=True)
class RuleRun:
    """One rules pass: its removals and metadata, the matches guards ``held`` back (see
    :mod:`cleaner.rerun`), whether lines left the head of the document (``head_moved``), and
    whether a removal took part of a line and left the rest (``partial``: that line now reads
    differently, so any rule may match it)."""

    removals: tuple[Removal, ...]
    metadata: dict[str, Any]
    warnings: tuple[str, ...]
    held: tuple[Held, ...] = ()
    head_moved: bool = False
    partial: bool = False


def candidate_lines(book: RuleBook, lines: Lines, active: Collection[int]) -> dict[int, set[int]]:
    """For each active rule, the lines where one of its prefilter literals occurs."""
    found: dict[int, set[int]] = defaultdict(set)
    automaton = book.literal_automaton
    if automaton is not None and not book.head_rule_set.issuperset(active):
        literal_rules = book.literal_rules
        for lit_idx, line in literal_lines(automaton, lines.source):
            for rule_idx in literal_rules[lit_idx]:
                if rule_idx in active:
                    found[rule_idx].add(line)
    n = len(lines)
    for rule_idx, max_line in book.head_lines:
        if rule_idx in active:
            found[rule_idx].update(range(max_line + 1 if max_line < n else n))
    return found


def _absorb_emptied_lines(lines: Lines, removals: tuple[Removal, ...]) -> list[Removal]:
    """Extend removals over lines they leave blank (whitespace only), newline included.

    ``removals`` are ``merge_spans``'s: sorted and not overlapping. So a line strictly inside one
    removal is covered whole by it alone, and only a removal's first and last lines can be left
    partly kept; those are the only lines looked at, each with its removals already in order.
    """
    extra: list[Removal] = []
    if not removals:  # nothing to extend (most passes over a short text): skip the setup
        return extra
    by_line: dict[int, list[Removal]] = defaultdict(list)
    for rem in removals:
        if lines.whole_lines(rem.start, rem.end):
            continue  # its lines are covered whole, by it alone: nothing is left on them
        first, last = lines.index_at(rem.start), lines.index_at(max(rem.start, rem.end - 1))
        by_line[first].append(rem)
        if last != first:
            by_line[last].append(rem)
    for i, rems in by_line.items():
        start, end = lines.starts[i], lines.end(i)
        pos, leftovers = start, []
        for rem in rems:
            if rem.start > pos:
                leftovers.append((pos, rem.start))
            pos = max(pos, rem.end)
        if pos < end:
            leftovers.append((pos, end))
        if leftovers and all(not lines.source[a:b].strip() for a, b in leftovers):
            owner = max(rems, key=lambda r: r.end - r.start)
            extra.extend(
                Removal(a, b, lines.source[a:b], owner.rule_id, owner.action) for a, b in leftovers
            )
    return extra


def run_rules(
    book: RuleBook,
    source: str,
    active: Collection[int],
    *,
    timeout: float,
    order: tuple[int, ...] = (),
    verdicts: dict[str, dict[str, bool]] | None = None,
) -> RuleRun:
    """Apply the ``active`` rules to ``source``; ``order`` lists rule indices to run first.

    ``verdicts``: the whole-line match results of earlier passes over the same document (see ``Lines``).
    """
    lines = Lines.of(source, verdicts)
    found = candidate_lines(book, lines, active)
    removals: list[Removal] = []
    metadata: dict[str, Any] = {}
    warnings: list[str] = []
    held: list[Held] = []
    # Without rules to run first the key orders by index alone: no Python call per rule then.
    ranked = sorted(found, key=lambda i: (i not in order, i)) if order else sorted(found)
    for rule_idx in ranked:
        cr = book.rules[rule_idx]
        try:
            outcome = ACTIONS[cr.rule.action](cr, lines, found[rule_idx], timeout)
        except TimeoutError:
            warnings.append(f"{cr.id}: {TIMEOUT_MARK} {timeout}s and was stopped; rule skipped")
            continue
        # Most rules find nothing on most documents: test before building generators to file nothing.
        if outcome.spans:
            removals.extend(Removal(a, b, source[a:b], cr.id, cr.rule.action) for a, b in outcome.spans)
        if outcome.metadata:
            for key, value in outcome.metadata.items():
                metadata.setdefault(key, value)
        if outcome.warnings:
            warnings.extend(outcome.warnings)
        if outcome.held:
            held.extend((rule_idx, offset, reason) for offset, reason in outcome.held)
    merged = merge_spans(removals, source)
    emptied = _absorb_emptied_lines(lines, merged)
    if emptied:  # else merging again changes nothing: ``merge_spans``'s output is sorted and disjoint
        merged = merge_spans((*merged, *emptied), source)
    partial = bool(merged) and not all(lines.whole_lines(rem.start, rem.end) for rem in merged)
    return RuleRun(
        merged, metadata, tuple(warnings), tuple(held), _moved_head_lines(book, lines, active, merged), partial
    )


def head_reach(book: RuleBook, active: Collection[int]) -> int:
    """The last line any active ``max_line`` rule looks at (-1: none is active)."""
    reaches = [max_line for i, max_line in book.head_lines if i in active]  # a list: no generator to resume
    return max(reaches) if reaches else -1


def _moved_head_lines(book: RuleBook, lines: Lines, active: Collection[int], removals: tuple[Removal, ...]) -> bool:
    """True when whole lines went inside the range of a ``max_line`` rule, pulling new lines into it.

    ``removals`` are ``merge_spans``'s, sorted by start: the first one starting past the range ends the look.
    """
    if not removals:  # the loop below would find none (the reach is only needed for it)
        return False
    reach = head_reach(book, active)
    if reach < 0 or reach + 1 >= len(lines):
        return False
    limit = lines.end(reach)
    for rem in removals:  # sorted by start (``merge_spans``): past ``limit``, none can start before it
        if rem.start >= limit:
            return False
        if "\n" in rem.text:
            return True
    return False
