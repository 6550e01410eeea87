"""The closed set of rule actions, each a pure function from a rule and lines to removals.

Line actions (``drop_line``, ``cut_after``, ``cut_before``, ``drop_block``) match the
*whole* stripped line (``fullmatch``), so a marker such as "Related Topics" never
fires inside an article sentence. Span actions (``strip_span``, ``extract_meta``)
search inside a line. Every pattern call carries the timeout; a runaway pattern
raises ``TimeoutError``, which the engine turns into a warning.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import regex
import yaml

from cleaner.rulebook import CompiledRule
from cleaner.rulespec import LINE_ACTIONS
from cleaner.segment import Lines

_TRAILING_SPACE = regex.compile(r"[ \t\u00a0]*")


#: Why a match was held back: its position failed the guard, prose follows a cut marker, or
#: anything else the engine cannot re-check itself (a front-matter block it declined, a block start without its end).
HeldReason = Literal["position", "tail", "other"]


@dataclass(slots=True)
class Outcome:
    """What one rule produced on one document.

    ``held`` lists the matches a guard held back, as ``(offset, reason)``: once this pass's
    removals are known, the engine checks whether any of them could qualify in the text that
    remains, and only then runs another pass (see ``engine.may_qualify``).
    """

    spans: list[tuple[int, int]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    held: list[tuple[int, HeldReason]] = field(default_factory=list)


def _whole_candidates(cr: CompiledRule, lines: Lines, candidates: Iterable[int]) -> list[tuple[int, str]]:
    """The candidate lines that can match whole, in order, with their stripped text.

    A blank line, one over ``guard.max_chars``, or one the rule's ``opening`` refuses (see
    :mod:`cleaner.precheck`) cannot match; one comprehension drops them before any per-line call,
    which is most of the cost of a line rule now that few lines reach the pattern.
    """
    texts, max_chars, opening = lines.texts, cr.rule.guard.max_chars, cr.opening
    if opening is None:
        return [(i, s) for i in candidates if (s := texts[i].strip()) and len(s) <= max_chars]
    match = opening.match
    return [(i, s) for i in candidates if (s := texts[i].strip()) and len(s) <= max_chars and match(s) is not None]


def _full(cr: CompiledRule, lines: Lines, stripped: str, timeout: float) -> bool:
    """The stripped line matches the rule's pattern whole (remembered in ``lines.verdicts``)."""
    assert cr.pattern is not None
    known = lines.verdicts.setdefault(cr.id, {})
    verdict = known.get(stripped)
    if verdict is None:
        verdict = known[stripped] = cr.pattern.fullmatch(stripped, timeout=timeout) is not None
    return verdict


def matches_line(cr: CompiledRule, text: str, timeout: float) -> bool:
    """Whether a line reading ``text`` holds a match of ``cr``, as its action tests a line before any guard.

    Line actions: the stripped line whole (within ``guard.max_chars``); span actions: a non-empty match
    inside the line. Without such a match the action takes nothing from the line, holds nothing back
    and extracts nothing, wherever the line sits. True for front matter, which reads several lines
    (see :func:`front_matter_start`).
    """
    if cr.rule.action in LINE_ACTIONS:
        stripped = text.strip()
        if not stripped or len(stripped) > cr.rule.guard.max_chars:
            return False
        if cr.opening is not None and cr.opening.match(stripped) is None:
            return False
        assert cr.pattern is not None
        return cr.pattern.fullmatch(stripped, timeout=timeout) is not None
    if cr.rule.action in ("strip_span", "extract_meta"):
        assert cr.pattern is not None
        return any(m.end() > m.start() for m in cr.pattern.finditer(text, timeout=timeout))
    return True


def _guarded(cr: CompiledRule, lines: Lines, offset: int) -> bool:
    g = cr.rule.guard
    return g.min_position <= lines.position(offset) <= g.max_position


def _line_hit(cr: CompiledRule, lines: Lines, i: int, stripped: str, timeout: float, out: Outcome) -> bool:
    """Line ``i`` (``stripped``, from ``_whole_candidates``) matches whole and sits where the guard allows.

    A match the guard holds back is noted: it makes the engine run another pass if other removals
    move the line to where the guard allows it, so that cleaning its own output changes nothing.
    """
    if not _full(cr, lines, stripped, timeout):
        return False
    if _guarded(cr, lines, lines.starts[i]):
        return True
    out.held.append((lines.starts[i], "position"))
    return False


def drop_line(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """Each whole line that matches. Candidate order does not matter: the engine sorts all spans
    (``merge_spans``), no two lines give the same span, and a held match only counts as "any"."""
    out = Outcome()
    for i, stripped in _whole_candidates(cr, lines, candidates):
        if _line_hit(cr, lines, i, stripped, timeout, out):
            out.spans.append((lines.starts[i], lines.end(i)))
    return out


def _line_spans(
    cr: CompiledRule, lines: Lines, i: int, timeout: float, out: Outcome
) -> Iterable[regex.Match[str]]:
    assert cr.pattern is not None
    for m in cr.pattern.finditer(lines.texts[i], timeout=timeout):
        if m.end() <= m.start():
            continue
        if _guarded(cr, lines, lines.starts[i] + m.start()):
            yield m
        else:
            out.held.append((lines.starts[i] + m.start(), "position"))


def _span_with_space(lines: Lines, i: int, m: regex.Match[str]) -> tuple[int, int]:
    """The match plus the horizontal space after it, so no double space is left behind."""
    text = lines.texts[i]
    space = _TRAILING_SPACE.match(text, m.end())
    end = space.end() if space else m.end()
    return lines.starts[i] + m.start(), lines.starts[i] + end


def strip_span(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    out = Outcome()
    for i in sorted(candidates):
        out.spans.extend(_span_with_space(lines, i, m) for m in _line_spans(cr, lines, i, timeout, out))
    return out


def extract_meta(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """Named groups become metadata (first match wins); the matched span is removed."""
    out = Outcome()
    for i in sorted(candidates):
        for m in _line_spans(cr, lines, i, timeout, out):
            for key, value in m.groupdict().items():
                if value is not None and key not in out.metadata:
                    out.metadata[key] = value.strip()
            out.spans.append(_span_with_space(lines, i, m))
            return out
    return out


_PROSE_END = regex.compile(r"[.!?][\"'”’)\]]*\s*$")


def is_prose_line(text: str) -> bool:
    """A long line of several words ending like a sentence: what an article paragraph looks like.

    A line under 100 characters is refused before it is stripped (stripping only shortens it): the
    tail check of ``cut_after`` asks this of every line after a marker.
    """
    if len(text) < 100:
        return False
    stripped = text.strip()
    return len(stripped) >= 100 and stripped.count(" ") >= 11 and _PROSE_END.search(stripped) is not None


class _ProseAhead:
    """How many prose lines follow a marker line, for ``max_tail_prose``; asked about markers in document order.

    Why: counting from each marker to the end made a page with thousands of markers and its prose
    at the very end quadratic. Here one rule's markers share one forward read: each line is read at
    most once, and only as far as the answer needs.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.next = 0  # the first line not read yet
        self.prose: list[int] = []  # the prose lines read so far, in order

    def more_than(self, i: int, limit: int) -> bool:
        """More than ``limit`` prose lines follow line ``i`` (``i`` no smaller than in any earlier call)."""
        self.next = max(self.next, i + 1)  # lines before are behind every marker still to come
        seen = len(self.prose) - bisect_right(self.prose, i)
        while seen <= limit and self.next < len(self.texts):
            if is_prose_line(self.texts[self.next]):
                self.prose.append(self.next)
                seen += 1
            self.next += 1
        return seen > limit


def cut_after(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """From the first qualifying marker line to the end of the document.

    A marker refused because prose follows it is held (``tail``): if other rules remove that
    prose in this pass, the next pass must see the marker again.
    """
    out = Outcome()
    limit, ahead = cr.rule.guard.max_tail_prose, _ProseAhead(lines.texts)
    for i, stripped in _whole_candidates(cr, lines, sorted(candidates)):
        if _line_hit(cr, lines, i, stripped, timeout, out):
            if limit is None or not ahead.more_than(i, limit):
                out.spans.append((lines.starts[i], len(lines.source)))
                break
            out.held.append((lines.starts[i], "tail"))
    return out


def cut_before(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """From the start of the document through the last qualifying marker line."""
    out = Outcome()
    for i, stripped in _whole_candidates(cr, lines, sorted(candidates, reverse=True)):
        if _line_hit(cr, lines, i, stripped, timeout, out):
            out.spans.append((0, lines.end(i)))
            break
    return out


def drop_block(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """From a start marker line through the next end marker line within ``guard.max_lines``.

    A start marker with no end marker in reach is held (``other``): once other removals take
    lines out of the block, the end marker may come within reach.
    """
    assert cr.end_pattern is not None
    out = Outcome()
    covered = -1
    for i, stripped in _whole_candidates(cr, lines, sorted(candidates)):
        if i <= covered or not _line_hit(cr, lines, i, stripped, timeout, out):
            continue
        last = min(len(lines) - 1, i + cr.rule.guard.max_lines)
        for j in range(i + 1, last + 1):
            stripped = lines.texts[j].strip()
            if stripped and cr.end_pattern.fullmatch(stripped, timeout=timeout):
                out.spans.append((lines.starts[i], lines.end(j)))
                covered = j
                break
        else:
            out.held.append((lines.starts[i], "other"))
    return out


def _meta_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(_meta_value(v)) for v in value]
    return str(value)


def front_matter_start(first_lines: Sequence[str]) -> int | None:
    """The line opening a front-matter block: the first non-blank of the first three, if it is ``---``.

    None: ``front_matter`` takes nothing, holds nothing back and warns of nothing.
    """
    for i, text in enumerate(first_lines[:3]):  # a loop, not ``next`` over a generator: asked every pass
        stripped = text.strip()
        if stripped:
            return i if stripped == "---" else None
    return None


def front_matter(cr: CompiledRule, lines: Lines, candidates: Iterable[int], timeout: float) -> Outcome:
    """A YAML block between ``---`` lines at the very start becomes metadata and leaves the body.

    A block it declines (not YAML, not a mapping, not closed) is held (``other``): other
    rules may remove lines inside it in this pass, and the next pass must look again.
    """
    out = Outcome()
    first = front_matter_start(lines.texts[:3])
    if first is None:
        return out
    out.held.append((lines.starts[first], "other"))
    for j in range(first + 1, min(len(lines), first + 200)):
        if lines.texts[j].strip() in ("---", "..."):
            body = "\n".join(lines.texts[first + 1 : j])
            try:
                data = yaml.safe_load(body)
            except yaml.YAMLError as exc:
                reason = getattr(exc, "problem", None) or exc
                out.warnings.append(f"{cr.id}: front matter is not valid YAML, kept as text ({reason})")
                return out
            if not isinstance(data, dict):
                return out
            out.metadata = {str(k): _meta_value(v) for k, v in data.items() if v not in (None, "", [])}
            out.spans.append((lines.starts[first], lines.end(j)))
            out.held.clear()
            return out
    return out


#: An action: a rule, the lines, the candidate line numbers (in no particular order: an action that
#: depends on order sorts them; ``drop_line``, most of the calls, does not), and the pattern timeout.
Action = Callable[[CompiledRule, Lines, Iterable[int], float], Outcome]

ACTIONS: dict[str, Action] = {
    "drop_line": drop_line,
    "strip_span": strip_span,
    "extract_meta": extract_meta,
    "cut_after": cut_after,
    "cut_before": cut_before,
    "drop_block": drop_block,
    "front_matter": front_matter,
}
