"""Record formats and the file names that say them: ``txt``, ``jsonl`` (``.gz``, ``.zst``), ``parquet``.

Formats come from the file name (``.txt`` or anything else: one document per file;
``.jsonl``/``.ndjson`` with optional ``.gz``/``.zst``: one JSON object per line;
``.parquet``: one record per row) unless the caller names one.

Why a module of its own: these names are shared by every side of a run: the CLI checks a
named format against them, inputs get their format from their names (:mod:`cleaner.inputs`),
and the pipeline names each output after its input with them.
"""

from __future__ import annotations

FORMATS = ("txt", "jsonl", "jsonl.gz", "jsonl.zst", "parquet")
_RECORD_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl.gz", ".ndjson.gz": "jsonl.gz",
    ".jsonl.zst": "jsonl.zst", ".ndjson.zst": "jsonl.zst",
    ".parquet": "parquet",
}
SUFFIX = {"txt": ".txt", "jsonl": ".jsonl", "jsonl.gz": ".jsonl.gz", "jsonl.zst": ".jsonl.zst", "parquet": ".parquet"}


def record_format(name: str) -> str | None:
    """The record format a file name says (``jsonl``, ``jsonl.gz``, ``jsonl.zst``, ``parquet``), else None."""
    lower = name.lower()
    for suffix, fmt in _RECORD_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None


def format_of(name: str) -> str:
    """A file's format from its name: a record format, else ``txt`` (one document per file)."""
    return record_format(name) or "txt"


def kind_of(fmt: str) -> str:
    """``txt``, ``jsonl`` or ``parquet``: the format without its compression."""
    return fmt.split(".", 1)[0]


def strip_suffix(rel: str) -> str:
    """``a/b.jsonl.gz`` -> ``a/b``; a text file loses ``.txt`` only (other names are kept whole)."""
    lower = rel.lower()
    for suffix in (*_RECORD_SUFFIXES, ".txt"):
        if lower.endswith(suffix):
            return rel[: -len(suffix)]
    return rel
