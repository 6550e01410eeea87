"""Decode a page's bytes to text when its charset declaration may be wrong or missing.

Why a module of its own: decoding is a problem apart from extraction (byte-order marks, charset
labels browsers widen, pages mixing UTF-8 with stray cp1252 bytes, detection as a last resort)
and is needed without it: the pipeline decodes HTML files as pages before cleaning them, and the
extraction (:mod:`cleaner.html_extract`) decodes the bytes it is given. It needs nothing from the
package and loads charset-normalizer only when the bytes leave no other evidence.
"""

from __future__ import annotations

import codecs
import contextlib
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset=x>, <meta http-equiv=content-type content="text/html; charset=x">, <?xml encoding=x?>
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Labels browsers treat as a superset (WHATWG Encoding Standard): pages declaring the narrow
# charset routinely contain the wider one's characters (curly quotes as 0x93/0x94, etc.).
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
# Labels Python does not know, as browsers resolve them.
_ALIASES = {"x-sjis": "cp932", "windows-31j": "cp932", "x-euc-jp": "euc_jp", "x-gbk": "gb18030"}
# 7-bit encodings: their bytes are valid UTF-8, so a declaration must win over the UTF-8 test.
_SEVEN_BIT = {"iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_kr", "hz", "utf_7"}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_DETECTION_SAMPLE = 32_768


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, widened to what browsers use; None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name.replace("-", "_")
    except LookupError:
        return None
    if name in {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}:
        # a UTF-16 label inside an ASCII-readable document is a lie (WHATWG: treat as UTF-8)
        return "utf_8"
    return _SUPERSETS.get(name, name)


def _declared_in_document(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _codec(match.group(1) or match.group(2)) if match else None


def _utf8_with_stray_bytes(data: bytes) -> bool:
    """True if the bytes are UTF-8 apart from a few stray legacy bytes (a pasted cp1252 quote).

    Such mixed pages are common (templates in UTF-8, one snippet in cp1252); handing them to a
    detector would re-decode every correct character as mojibake.
    """
    valid = _UTF8_SEQUENCE.findall(data)
    if not valid:
        return False
    stray = len(_HIGH_BYTE.findall(data)) - sum(len(s) for s in valid)
    return stray * 10 <= len(valid)


def _utf8_then_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("boilerstrip-cp1252", _utf8_then_cp1252)


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess on a head+tail sample (whole-page detection is slow)."""
    from charset_normalizer import from_bytes

    size = _DETECTION_SAMPLE
    sample = data if len(data) <= 2 * size else data[:size] + data[-size:]
    try:
        best = from_bytes(sample).best()
    except Exception:  # a detector bug must not lose the page: the caller falls back to UTF-8
        return None
    return _codec(best.encoding) if best is not None else None


def decode_with_codec(data: bytes, declared: str | None) -> tuple[str, str]:
    """Decode and say which codec was used (see :func:`decode_html` for the order)."""
    if not data:
        return "", "utf_8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name.replace("-", "_")
    candidates = [c for c in (_codec(declared), _declared_in_document(data)) if c]
    for name in candidates:
        if name in _SEVEN_BIT:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    if _utf8_with_stray_bytes(data):
        return data.decode("utf-8", errors="boilerstrip-cp1252"), "utf_8"
    for name in candidates:
        if name != "utf_8":
            with contextlib.suppress(UnicodeDecodeError, LookupError):
                return data.decode(name), name
    name = _detect(data) or "utf_8"
    try:
        return data.decode(name, errors="replace"), name
    except LookupError:
        return data.decode("utf-8", errors="replace"), "utf_8"


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes whose charset declaration may be wrong or missing; never raises.

    Order, from strongest evidence to weakest: a byte-order mark; a declared 7-bit encoding
    (ISO-2022-JP bytes are also valid UTF-8); valid UTF-8 (legacy text is almost never valid
    UTF-8 by accident, while pages declaring ISO-8859-1 but serving UTF-8 are common); UTF-8
    with a few stray cp1252 bytes, decoded byte by byte; the ``declared`` charset (HTTP header)
    then the page's own ``<meta charset>`` if the bytes decode cleanly with it; charset-normalizer's
    guess; UTF-8 with replacement characters. Narrow labels are widened as browsers do
    (ISO-8859-1 -> cp1252, Shift_JIS -> cp932). Mojibake inside correctly decoded text (text
    that was already double-encoded at the source) is left to the text-mode encoding repair.
    """
    return decode_with_codec(bytes(data), declared)[0]
