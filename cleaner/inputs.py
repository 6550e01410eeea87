"""The inputs of a run: files, directories walked recursively, and stdin, each a ``Source`` with its format.

Why a module of its own: deciding what to read (which files a directory holds, hidden files,
symbolic links and loops among them) is apart from how each input is read
(:mod:`cleaner.readers`), and the CLI lists and checks its inputs before any is read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.formats import format_of
from cleaner.textio import InputError


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (``path``) or stdin (``path`` None), its name relative to its root, its format."""

    path: Path | None
    rel: str
    format: str

    @property
    def name(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)

    def size(self) -> int | None:
        """Bytes of the (uncompressed) input when known without reading it, for progress."""
        if self.path is None or self.format in ("jsonl.gz", "jsonl.zst"):
            return None
        try:
            return self.path.stat().st_size
        except OSError:  # gone, or a link to nothing: reading it will say so, naming it
            return None


def expand_inputs(inputs: Sequence[str], fmt: str | None = None) -> list[Source]:
    """Files, directories (walked recursively, sorted, hidden files skipped) and ``-`` as ``Source``s.

    ``fmt`` forces the format of every input; otherwise each file's name decides and
    stdin is text. Raises ``InputError`` for a path that does not exist. See :func:`walk_files`
    for symbolic links inside a directory.
    """
    sources: list[Source] = []
    for item in inputs:
        if item == "-":
            sources.append(Source(None, "-", fmt or "txt"))
            continue
        path = Path(item)
        if path.is_dir():
            for rel in walk_files(path):
                sources.append(Source(path / rel, rel, fmt or format_of(rel.rsplit("/", 1)[-1])))
        elif path.is_file():
            sources.append(Source(path, path.name, fmt or format_of(path.name)))
        else:
            raise InputError(f"{item}: no such file or directory")
    return sources


def walk_files(root: Path) -> list[str]:
    """The files under ``root`` as sorted relative POSIX names; hidden files and directories skipped.

    Data directories often link shards in from elsewhere, so a symbolic link to a directory is
    walked like a directory (under the link's name), except one that leads back into a directory
    it sits in (a loop, whose files are walked already). A link to nothing is listed too: reading it
    fails, and the run reports it like any unreadable input instead of skipping it without a word.
    Sockets, pipes and devices are not documents and are left out.
    """
    found: list[str] = []
    ancestors: dict[str, frozenset[str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        real = os.path.realpath(dirpath)
        above = ancestors.get(str(here.parent), frozenset()) if here != root else frozenset()
        if real in above:  # a link back into its own ancestry
            dirnames.clear()
            continue
        ancestors[dirpath] = above | {real}
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            file = here / name
            if not name.startswith(".") and (file.is_file() or (file.is_symlink() and not file.exists())):
                found.append(file.relative_to(root).as_posix())
    return sorted(found, key=lambda rel: rel.split("/"))  # as paths sort: "b/2.txt" before "b.txt"
