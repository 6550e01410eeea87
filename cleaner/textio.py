"""Read one document from a file or stdin with a clear error for what is not text."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path


class InputError(ValueError):
    """Input that cannot be cleaned: missing, binary, not UTF-8. The message names the source.

    ``kind`` is the error type a record made of this input carries (``binary``, ``bad_utf8``).
    """

    def __init__(self, message: str, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.kind = kind


# UTF-32's little-endian mark begins with UTF-16's: one test finds both.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def wide_encoding_error(data: bytes, name: str) -> InputError | None:
    """An error for UTF-16 or UTF-32 text (a byte order mark, then NUL bytes), else None.

    Such text is full of NUL bytes, so without this check it would be called binary (a text
    file) or give one undecodable record per line (JSONL); the mark says exactly what it is.
    The NUL test keeps a Latin-1 file that happens to open with "ÿþ" a plain UTF-8 error.
    """
    if not data.startswith(_WIDE_BOMS) or b"\x00" not in data[2:8192]:
        return None
    return InputError(f"{name}: UTF-16 or UTF-32 text (it opens with a byte order mark), not UTF-8; "
                      "convert it to UTF-8 first", kind="bad_utf8")


def decode_document(data: bytes, name: str) -> str:
    """Decode UTF-8 text (a BOM is dropped); refuse binary data with a message naming ``name``."""
    wide = wide_encoding_error(data, name)
    if wide is not None:
        raise wide
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not text", kind="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 at byte {exc.start} ({exc.reason}); convert it to UTF-8 first", kind="bad_utf8"
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
