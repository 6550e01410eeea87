"""Read one document from a file or stdin with a clear error for what is not text."""

from __future__ import annotations

import sys
from pathlib import Path


class InputError(ValueError):
    """Input that cannot be cleaned: missing, binary, not UTF-8. The message names the source."""


def decode_document(data: bytes, name: str) -> str:
    """Decode UTF-8 text (a BOM is dropped); refuse binary data with a message naming ``name``."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 at byte {exc.start} ({exc.reason}); convert it to UTF-8 first"
        ) from None


def read_document(path: str) -> str:
    """Read a whole file (``-`` for stdin) as one UTF-8 text document."""
    return decode_document(read_bytes(path), "<stdin>" if path == "-" else path)


def read_bytes(path: str) -> bytes:
    """Read a whole file (``-`` for stdin) as bytes, with a clear error naming the path."""
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return data
