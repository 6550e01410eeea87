"""Whether the rules must run again on what they left, and which of them.

Cleaning is a fixed point (cleaning the output again changes nothing), so after a pass that
removed something the rules may have to run again: a guard held a match back that the removals
may have let through, or lines left the head of the document. Another pass costs a whole
rules pass, and on most pages a held match cannot qualify: a "Related stories" heading in the
top menu stays far above ``min_position``. So each held match is checked against the text the
next pass would see, exactly, and the rules run again only when one of them would pass.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from itertools import accumulate

from cleaner.actions import HeldReason, front_matter_start, is_prose_line, matches_line
from cleaner.engine import Held, RuleRun, head_reach
from cleaner.remap import kept_segments, spans_to_source, to_source
from cleaner.result import Removal, apply_removals
from cleaner.rulebook import RuleBook

#: A held match located in the source: the rule's index, the match's source offset (-1 when it
#: cannot be located, which always counts as qualifying) and why it was held.
SourceHeld = tuple[int, int, HeldReason]


def held_in_source(source: str, before: Sequence[Removal], held: Sequence[Held]) -> list[SourceHeld]:
    """``held`` offsets (in the text ``before`` left of ``source``) as offsets of ``source``.

    Most passes hold nothing back: then there is nothing to map, and the segments are not built.
    """
    if not held:
        return []
    mapped = spans_to_source(kept_segments(source, before), [(offset, offset + 1) for _, offset, _ in held])
    return [
        (rule_idx, pieces[0][0] if pieces else -1, reason)
        for (rule_idx, _, reason), pieces in zip(held, mapped, strict=True)
    ]


def located_may_qualify(book: RuleBook, source: str, after: Sequence[Removal], held: Iterable[SourceHeld]) -> bool:
    """Would one of the ``held`` matches (located in ``source``) pass its guard in the text ``after`` leaves?

    ``position``: the match's position in the new text; ``tail``: the prose lines after the marker
    in the new text, against ``max_tail_prose``; ``other`` (a declined front-matter block, a block
    start without its end): always.
    """
    starts = [rem.start for rem in after]
    removed = list(accumulate(rem.end - rem.start for rem in after))
    size = len(source) - (removed[-1] if removed else 0)
    tails: list[tuple[int, int]] = []  # (offset in the new text, max_tail_prose) of each held tail marker
    for rule_idx, at, reason in held:
        if reason == "other" or at < 0:
            return True
        k = bisect_right(starts, at) - 1
        if k >= 0 and at < after[k].end:
            continue  # the match itself went
        new_offset = at - (removed[k] if k >= 0 else 0)
        guard = book.rules[rule_idx].rule.guard
        if reason == "position":
            if guard.min_position <= (new_offset / size if size else 0.0) <= guard.max_position:
                return True
            continue
        tails.append((new_offset, guard.max_tail_prose or 0))
    return bool(tails) and _tail_may_qualify(apply_removals(source, after), tails)


def _tail_may_qualify(text: str, tails: Sequence[tuple[int, int]]) -> bool:
    """Whether one of the ``tails`` (a marker's offset in ``text``, its ``max_tail_prose``) has at most
    that many prose lines after its line.

    The lines after the first marker's line are read once for all markers: reading them again for each
    made a page with thousands of held markers quadratic.
    """
    ends = [text.find("\n", offset) for offset, _ in tails]
    if any(end < 0 for end in ends):
        return True  # a marker on the last line: no prose follows it
    first = min(ends)
    prose_starts, pos = [], first + 1
    for line in text[first + 1 :].split("\n"):
        if is_prose_line(line):
            prose_starts.append(pos)
        pos += len(line) + 1
    return any(
        len(prose_starts) - bisect_right(prose_starts, end) <= limit
        for end, (_, limit) in zip(ends, tails, strict=True)
    )


def head_changed(
    book: RuleBook, source: str, before: Sequence[Removal], after: Sequence[Removal], active: Collection[int]
) -> bool:
    """Did a removal that ``after`` adds to ``before`` start inside the head (the lines ``max_line`` rules see)?

    Counted in the text ``before`` left, up to the end of line :func:`head_reach`; a text with no
    line beyond it has nothing to pull in.
    """
    reach = head_reach(book, active)
    if reach < 0:
        return False
    view = apply_removals(source, before)
    end = -1
    for _ in range(reach + 1):
        end = view.find("\n", end + 1)
        if end < 0:
            return False
    mapped = to_source(kept_segments(source, before), end, end + 1)
    limit = mapped[0][0] + 1 if mapped else len(source)
    old = {(rem.start, rem.end) for rem in before}
    return any(rem.start < limit for rem in after if (rem.start, rem.end) not in old)


def rules_after_detection(
    book: RuleBook,
    source: str,
    before: Sequence[Removal],
    after: Sequence[Removal],
    held: Iterable[SourceHeld],
    active: frozenset[int],
    head_scope: frozenset[int],
) -> tuple[bool, frozenset[int]]:
    """Whether the rules must run again after detection removed lines, and which of them.

    Detection removes whole lines, so every line left reads as it did and every verdict stands:
    a rule can newly fire only where a guard held it back (``held``: each rule's latest, located
    in ``source``) or where lines left the head of the document. All rules again in the first
    case, only the ``max_line`` rules in the second, none otherwise.
    """
    if located_may_qualify(book, source, after, held):
        return True, active
    if head_changed(book, source, before, after, active):
        return True, head_scope
    return False, active


def head_pass_finds_nothing(book: RuleBook, text: str, scope: Collection[int], timeout: float) -> bool:
    """Whether a pass of only head rules (``max_line`` rules and front matter) over ``text`` would find nothing.

    ``scope`` holds only head rules (``book.head_rule_set``): the pass then searches no literals and
    looks at each rule's lines ``0..max_line`` (front matter at the first three). A rule whose pattern
    matches none of its lines (:func:`cleaner.actions.matches_line`) removes nothing, holds nothing
    back, extracts nothing and warns of nothing, whatever its guard; when that holds for every rule,
    the pass would return empty. Checking costs the matching of a few lines, where the pass would
    split and scan the whole text. A pattern out of time answers False: the pass runs and reports it.
    """
    reach = max(2, head_reach(book, scope))
    first = text.split("\n", reach + 1)[: reach + 1]
    try:
        for idx in scope:
            cr = book.rules[idx]
            if cr.rule.action == "front_matter":
                if front_matter_start(first) is not None:
                    return False
            elif any(matches_line(cr, line, timeout) for line in first[: (cr.rule.guard.max_line or 0) + 1]):
                return False
    except TimeoutError:
        return False
    return True


def next_rules_pass(
    run: RuleRun, qualifies: bool, scope: frozenset[int], active: frozenset[int], head_scope: frozenset[int]
) -> tuple[bool, frozenset[int]]:
    """Whether the rules must run again, and which of them.

    Nothing removed: done. A held match that now ``qualifies`` (see :func:`located_may_qualify`),
    a head-only pass that removed something, or a removal that left part of its line (the
    line reads differently now): all rules again. Only whole lines leaving the head of the
    document: only the ``max_line`` rules can newly match (other patterns test a line's own
    text), so only they run; that pass skips the literal search over the whole document, and the
    engine skips the pass itself when :func:`head_pass_finds_nothing` (most such passes: a menu line
    left the top, and what moved up holds no header).
    """
    if not run.removals:
        return False, scope
    if qualifies or scope is not active or run.partial:
        return True, active
    if run.head_moved:
        return True, head_scope
    return False, scope
