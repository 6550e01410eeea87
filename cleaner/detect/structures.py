"""Name the structure each removed line belongs to and write the evidence, rule-style.

The model decides *whether* a line goes; this module says *what* it was - a navigation run, a
related-story list, a share bar, the region after the article - so ``boilerstrip explain`` can show a
removal the way it shows a rule hit. Consecutive lines of the same kind become one span.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.detect.features import Line
from cleaner.detect.spans import Detection

#: Rule id for lines that match a boilerplate phrase of a category.
PHRASE_RULES = {
    "share": "heuristic:share-line",
    "follow": "heuristic:share-line",
    "newsletter": "heuristic:newsletter",
    "login": "heuristic:login",
    "nav": "heuristic:nav-run",
    "end-marker": "heuristic:post-article",
    "comment-form": "heuristic:comment-form",
    "legal": "heuristic:legal-line",
    "cookie": "heuristic:cookie-notice",
}


def _headline_like(line: Line) -> bool:
    """A title-ish line: a few words, no sentence ending - how related/latest lists look."""
    return 3 <= line.units <= 20 and not line.end_punct and not line.bullet


def line_rule(line: Line, index: int, region: tuple[int, int], neighbours_headlines: bool) -> str:
    """Rule id for one removed line, from its phrase, position and shape."""
    if line.phrase:
        return PHRASE_RULES[line.phrase]
    lo, hi = region
    if index > hi:
        return "heuristic:post-article"
    if line.bullet or line.units <= 2:
        return "heuristic:nav-run"
    if _headline_like(line) and neighbours_headlines:
        return "heuristic:related-list"
    return "heuristic:low-prose"


def _evidence(rule: str, group: Sequence[Line], prose_count: int) -> str:
    """Short human reason for a span of removed lines."""
    n = len(group)
    lines = "line" if n == 1 else f"{n} lines"
    if rule in ("heuristic:share-line", "heuristic:newsletter", "heuristic:login", "heuristic:comment-form",
                "heuristic:legal-line", "heuristic:cookie-notice") or (n == 1 and group[0].phrase):
        first = group[0].text[:40]
        return f"{lines} matching {rule.split(':', 1)[1]} phrases, e.g. {first!r}"
    units = sum(ln.units for ln in group) / n
    unpunct = sum(1 for ln in group if not ln.end_punct)
    stop = sum(ln.prose_words for ln in group) / max(1, sum(ln.units for ln in group))
    where = " after the article region" if rule == "heuristic:post-article" else ""
    bullets = sum(ln.bullet for ln in group)
    bullet_note = f", {bullets} list bullets" if bullets else ""
    return (
        f"{lines}{where}: {units:.1f} words on average, {unpunct} without sentence punctuation"
        f"{bullet_note}, {stop:.0%} stop words, {prose_count} prose-like"
    )


def explain(
    lines: Sequence[Line],
    removed: Sequence[bool],
    prose: Sequence[bool],
    region: tuple[int, int],
) -> tuple[Detection, ...]:
    """Group removed lines into sorted, non-overlapping whole-line spans with rule ids and evidence."""
    rules: list[str | None] = []
    n = len(lines)
    for i, ln in enumerate(lines):
        if not removed[i]:
            rules.append(None)
            continue
        near = any(
            removed[j] and _headline_like(lines[j]) for j in (i - 1, i + 1) if 0 <= j < n
        )
        rules.append(line_rule(ln, i, region, near))

    spans: list[Detection] = []
    i = 0
    while i < n:
        rule = rules[i]
        if rule is None:
            i += 1
            continue
        j = i
        while j + 1 < n and rules[j + 1] == rule:
            j += 1
        group = lines[i : j + 1]
        prose_count = sum(1 for k in range(i, j + 1) if prose[k])
        end = group[-1].end
        spans.append(Detection(group[0].start, end, rule, _evidence(rule, group, prose_count)))
        i = j + 1
    return tuple(spans)
