"""Data files the detector reads: phrase lists under ``rules/lang`` and stop words.

Loaded once per process (``functools.cache``) and never mutated, so detection stays a pure function.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

import yaml

#: Languages whose writing does not separate words by spaces: stop-word density per token means
#: nothing there, so the detector measures particle characters instead.
UNSPACED = frozenset({"ja", "zh", "th"})

#: Particles/function characters that make up a large share of running Japanese/Chinese prose and
#: are rare in menus and headlines.
UNSPACED_PARTICLES = frozenset("のはがをにでともへやかなたしてだすれる的了是在和有这我他也就都而")


def rules_dir() -> Path:
    """The ``rules`` data directory: inside the package in an installed wheel, else the checkout's."""
    pkg = Path(__file__).resolve().parents[1]  # the `cleaner` package directory
    inside = pkg / "rules"
    return inside if inside.is_dir() else pkg.parent / "rules"


@functools.cache
def _lang_files() -> tuple[dict[str, Any], ...]:
    """Every ``rules/lang/*.yaml`` file, parsed, in name order.

    Parsed once for every list read from them, with libyaml's loader where PyYAML has it: the pure
    Python one took ~60 ms a pass over these files, in every process that detects.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return tuple(
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for path in sorted((rules_dir() / "lang").glob("*.yaml"))
    )


@functools.cache
def phrase_lists() -> tuple[dict[str, str], dict[str, str]]:
    """Boilerplate phrases merged over every ``rules/lang/*.yaml`` file, as two maps phrase -> category.

    The first map holds ``lines`` phrases (the line is, or starts with, the phrase), the second
    ``contains`` phrases (anywhere in a short line). Keeping them as data lets a translator add a
    language without touching code. The first file (alphabetically) to list a phrase wins.
    """
    lines: dict[str, str] = {}
    contains: dict[str, str] = {}
    for doc in _lang_files():
        for key, target in (("lines", lines), ("contains", contains)):
            for category, phrases in (doc.get(key) or {}).items():
                for phrase in phrases or ():
                    target.setdefault(" ".join(str(phrase).lower().split()), str(category))
    return lines, contains


@functools.cache
def lang_words(key: str) -> tuple[str, ...]:
    """A word list of the ``rules/lang`` files (``months``, ``byline``), merged, lower-cased, longest first.

    Longest first so that an alternation or a prefix test built from it prefers "sept" to "sep" and
    "written by" to "by". Data like the phrase lists: a translator adds a language without code.
    """
    words: set[str] = set()
    for doc in _lang_files():
        words.update(" ".join(str(w).lower().split()) for w in doc.get(key) or ())
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@functools.cache
def _stopwords_iso() -> dict[str, list[str]]:
    """stopwords-iso's table, language -> words, read from the file its package ships.

    Found without importing the package: its import parses the same file and reads its own version
    from the installed metadata (``importlib.metadata``), ~25 ms of every detecting process's start-up.
    """
    spec = importlib.util.find_spec("stopwordsiso")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("stopwordsiso is not installed", name="stopwordsiso")
    path = Path(spec.origin).parent / "stopwords-iso.json"
    table: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return table


@functools.cache
def stopword_sets() -> dict[str, frozenset[str]]:
    """Stop words of every spaced language in stopwords-iso, lower-cased."""
    return {
        lang: frozenset(w.lower() for w in words if w.isalpha())
        for lang, words in sorted(_stopwords_iso().items())
        if lang not in UNSPACED
    }


@functools.cache
def stopword_index() -> dict[str, tuple[str, ...]]:
    """Each stop word mapped to the (sorted) languages listing it, for language guessing."""
    index: dict[str, list[str]] = {}
    for lang, words in stopword_sets().items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


@functools.cache
def stopwords(lang: str) -> frozenset[str]:
    """Stop words of one language (empty when stopwords-iso has none)."""
    return frozenset(w.lower() for w in _stopwords_iso().get(lang.lower(), ()) if w.isalpha())
