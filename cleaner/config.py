"""Configuration as explicit, frozen (hashable, picklable) objects.

A ``Cleaner`` is built from one ``CleanConfig``; nothing is configured through
globals, so two cleaners with different settings can live in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cleaner.html_options import HtmlOptions


@dataclass(frozen=True, slots=True)
class EncodingConfig:
    """How ftfy repairs text.

    Defaults repair mojibake, HTML entities and C1 controls but never restyle correct
    text: ftfy's own defaults would uncurl quotes, narrow full-width CJK characters,
    expand ligatures and rewrite line breaks. datatrove and NeMo Curator switched those
    off after they damaged Chinese and Japanese text; so do we.
    """

    enabled: bool = True
    unescape_html: bool = True
    fix_c1_controls: bool = True
    uncurl_quotes: bool = False
    fix_character_width: bool = False
    fix_latin_ligatures: bool = False
    fix_line_breaks: bool = False
    normalization: Literal["NFC", "NFD", "NFKC", "NFKD"] | None = None


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Everything a ``Cleaner`` needs to know.

    ``rules_dirs`` adds rule directories to (or, with ``default_rules=False``,
    replaces) the bundled ``rules/``. ``disabled`` switches rules off by id.
    ``regex_timeout`` bounds one pattern search (seconds); a search that runs away
    is stopped and reported as a warning. ``max_chars`` refuses documents that are
    too large to be one article. ``detect`` runs the text-only boilerplate detection
    after the rules in text mode (``html_detect`` in HTML mode, with the model trained on
    extracted text, :mod:`cleaner.detect.extracted`). ``html`` holds the
    trafilatura options and time budget of HTML mode.
    """

    rules_dirs: tuple[Path, ...] = ()
    default_rules: bool = True
    generic: bool = True
    disabled: frozenset[str] = field(default_factory=frozenset)
    encoding: EncodingConfig = field(default_factory=EncodingConfig)
    regex_timeout: float = 0.25
    max_chars: int = 20_000_000
    detect: bool = True
    html_detect: bool = False
    html: HtmlOptions = field(default_factory=HtmlOptions)
