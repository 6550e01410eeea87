"""Show what a cleaning run removed and why, for people.

Two views: ``render_removals`` lists every removed span with its rule id (and the
heuristic's evidence), and ``render_inline`` prints the source with removed text
wrapped as ``[-text-]{rule}`` (coloured on a terminal), so a reviewer sees the cut
in its context.
"""

from __future__ import annotations

from cleaner.result import CleanResult
from cleaner.stats import counted

_RED, _DIM, _RESET = "\x1b[31m", "\x1b[2m", "\x1b[0m"


def _preview(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_removals(result: CleanResult) -> str:
    """One line per removal: offsets, rule id, action, a preview of the text (and evidence)."""
    out = []
    if result.site:
        out.append(f"site: {result.site} (chosen by {result.site_reason})")
    if result.encoding_fixes:
        out.append(f"encoding repaired: {', '.join(result.encoding_fixes)}")
    for key, value in result.metadata.items():
        out.append(f"metadata {key}: {value}")
    for rem in result.removals:
        if not rem.text.strip():
            continue
        line = f"[{rem.start}:{rem.end}] {rem.rule_id} ({rem.action}): {_preview(rem.text)}"
        if rem.evidence:
            line += f"  -- {rem.evidence}"
        out.append(line)
    out.extend(f"warning: {w}" for w in result.warnings)
    removed = sum(len(r.text) for r in result.removals)
    shown = sum(1 for r in result.removals if r.text.strip())
    blank = len(result.removals) - shown
    summary = f"removed {removed} of {len(result.source)} characters: {counted(shown, 'span')} of text"
    out.append(summary + (f", {counted(blank, 'span')} of whitespace around them" if blank else ""))
    return "\n".join(out)


def render_inline(result: CleanResult, *, color: bool = False) -> str:
    """The source with each removed span marked in place and labelled with its rule id."""
    parts, pos = [], 0
    for rem in result.removals:
        parts.append(result.source[pos : rem.start])
        if rem.text.strip():
            body = f"[-{rem.text}-]{{{rem.rule_id}}}"
            parts.append(f"{_RED}{body}{_RESET}" if color else body)
        else:
            parts.append(f"{_DIM}{rem.text}{_RESET}" if color else "")
        pos = rem.end
    parts.append(result.source[pos:])
    return "".join(parts)
