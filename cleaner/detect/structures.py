"""Name the structure each removed line belongs to and write the evidence, rule-style.

The model decides *whether* a line goes; this module says *what* it was - a navigation run, a
related-story list, a share bar, the region after the article - so ``boilerstrip explain`` can show a
removal the way it shows a rule hit. Consecutive lines of the same kind become one span.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.detect.features import LineTable
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
    "comment-meta": "heuristic:comments",
    "comment-count": "heuristic:comments",
    "timestamp": "heuristic:dateline",
    "teaser": "heuristic:teaser-link",
    "caption": "heuristic:image-caption",
    "ad": "heuristic:advertisement",
    "byline": "heuristic:byline",
}


#: Rule id of an author box after the article (name line, job title, bio).
AUTHOR_BIO = "heuristic:author-bio"


def line_rule(table: LineTable, i: int, region: tuple[int, int], near_headlines: bool) -> str:
    """Rule id for one removed line, from its phrase, position and shape."""
    phrase = table.phrase[i]
    if phrase:
        return PHRASE_RULES[phrase]
    if i > region[1]:
        return "heuristic:post-article"
    units = table.units[i]
    if table.bullet[i] or units <= 2:
        return "heuristic:nav-run"
    if near_headlines and 3 <= units <= 20 and not table.end_punct[i]:
        return "heuristic:related-list"
    return "heuristic:low-prose"


PHRASE_EVIDENCE = frozenset(
    {"heuristic:share-line", "heuristic:newsletter", "heuristic:login", "heuristic:comment-form",
     "heuristic:legal-line", "heuristic:cookie-notice", "heuristic:image-caption", "heuristic:comments",
     "heuristic:teaser-link", "heuristic:advertisement", "heuristic:byline"}
)


def _evidence(rule: str, table: LineTable, i: int, j: int, prose_count: int) -> str:
    """Short human reason for the removed lines ``i..j`` (inclusive) of ``table``."""
    n = j - i + 1
    lines = "line" if n == 1 else f"{n} lines"
    if rule == AUTHOR_BIO:
        return (
            f"{lines}: author box, the name line {table.text[i][:40]!r} and a paragraph opening with the "
            "name, at the end of the page's prose"
        )
    if rule in PHRASE_EVIDENCE or (n == 1 and table.phrase[i]):
        return f"{lines} matching {rule.split(':', 1)[1]} phrases, e.g. {table.text[i][:40]!r}"
    units = table.units[i : j + 1]
    total_units = sum(units)
    unpunct = n - sum(table.end_punct[i : j + 1])
    stop = sum(table.prose_words[i : j + 1]) / (total_units or 1)
    where = " after the article region" if rule == "heuristic:post-article" else ""
    bullets = sum(table.bullet[i : j + 1])
    bullet_note = f", {bullets} list bullets" if bullets else ""
    return (
        f"{lines}{where}: {total_units / n:.1f} words on average, {unpunct} without sentence punctuation"
        f"{bullet_note}, {stop:.0%} stop words, {prose_count} prose-like"
    )


def explain(
    table: LineTable,
    removed: Sequence[bool],
    prose: Sequence[bool],
    region: tuple[int, int],
    bios: Sequence[tuple[int, int]] = (),
) -> tuple[Detection, ...]:
    """Group removed lines into sorted, non-overlapping whole-line spans with rule ids and evidence.

    ``bios`` are the author boxes (name line, bio line) found by
    :func:`cleaner.detect.context.author_cards`: their lines carry ``heuristic:author-bio``.
    """
    n = len(table)
    units, end_punct, bullet = table.units, table.end_punct, table.bullet
    headline = [r and 3 <= u <= 20 and not e and not b
                for r, u, e, b in zip(removed, units, end_punct, bullet, strict=True)]
    rules: list[str | None] = [None] * n
    for i in range(n):
        if removed[i]:
            near = (i > 0 and headline[i - 1]) or (i + 1 < n and headline[i + 1])
            rules[i] = line_rule(table, i, region, near)
    for i, j in bios:
        rules[i : j + 1] = [AUTHOR_BIO] * (j + 1 - i)

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
        prose_count = sum(prose[i : j + 1])
        spans.append(Detection(table.start[i], table.end[j], rule, _evidence(rule, table, i, j, prose_count)))
        i = j + 1
    return tuple(spans)
