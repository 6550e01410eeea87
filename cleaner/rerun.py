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
from collections.abc import Sequence
from itertools import accumulate

from cleaner.actions import is_prose_line
from cleaner.engine import Held, RuleRun
from cleaner.remap import kept_segments, to_source
from cleaner.result import Removal, apply_removals
from cleaner.rulebook import RuleBook


def held_may_qualify(
    book: RuleBook, source: str, before: Sequence[Removal], after: Sequence[Removal], held: Sequence[Held]
) -> bool:
    """Would a match held back in the text ``before`` left pass its guard in the text ``after`` leaves?

    ``held`` offsets are in the text the pass saw (``source`` minus ``before``); ``after`` adds
    that pass's removals and the whitespace tidy-up. ``position``: the match's position in the
    new text; ``tail``: the prose lines after the marker in the new text, against
    ``max_tail_prose``; ``other`` (a declined front-matter block): always.
    """
    segments = kept_segments(source, before)
    starts = [rem.start for rem in after]
    removed = list(accumulate(rem.end - rem.start for rem in after))
    size = len(source) - (removed[-1] if removed else 0)
    text: str | None = None
    for rule_idx, offset, reason in held:
        mapped = to_source(segments, offset, offset + 1)
        if reason == "other" or not mapped:
            return True
        at = mapped[0][0]
        k = bisect_right(starts, at) - 1
        if k >= 0 and at < after[k].end:
            continue  # the match itself went
        new_offset = at - (removed[k] if k >= 0 else 0)
        guard = book.rules[rule_idx].rule.guard
        if reason == "position":
            if guard.min_position <= (new_offset / size if size else 0.0) <= guard.max_position:
                return True
            continue
        text = apply_removals(source, after) if text is None else text
        line_end = text.find("\n", new_offset)
        following = text[line_end + 1 :].split("\n") if line_end >= 0 else []
        if sum(map(is_prose_line, following)) <= (guard.max_tail_prose or 0):
            return True
    return False


def next_rules_pass(
    run: RuleRun, qualifies: bool, scope: frozenset[int], active: frozenset[int], head_scope: frozenset[int]
) -> tuple[bool, frozenset[int]]:
    """Whether the rules must run again, and which of them.

    Nothing removed: done. A held match that now ``qualifies`` (see :func:`held_may_qualify`),
    or a head-only pass that removed something: all rules again. Only lines leaving the head of
    the document: only the ``max_line`` rules can newly match (other patterns test a line's own
    text), so only they run; that pass skips the literal search over the whole document.
    """
    if not run.removals:
        return False, scope
    if qualifies or scope is not active:
        return True, active
    if run.head_moved:
        return True, head_scope
    return False, scope
