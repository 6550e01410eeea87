"""The detector's output types: removals as whole-line spans with a rule id and evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Detection:
    """One removal: ``text[start:end]`` (whole lines, trailing newline included) and why."""

    start: int
    end: int
    rule_id: str
    evidence: str


@dataclass(frozen=True, slots=True)
class DetectionResult:
    """All removals for one document, or none with a warning when detection fell back."""

    spans: tuple[Detection, ...]
    fell_back: bool = False
    warning: str | None = None


def remove_spans(text: str, spans: tuple[Detection, ...]) -> str:
    """Cut the spans out of ``text`` and tidy blank lines, as the engine does after detection."""
    parts, pos = [], 0
    for span in spans:
        parts.append(text[pos : span.start])
        pos = span.end
    parts.append(text[pos:])
    out = "".join(parts)
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    return out.strip()
