"""Clean one record (a dict from JSONL, Parquet, Spark, datatrove): the shared core of every pipeline.

Every input record produces exactly one output record: cleaned, or passed through with
an ``error`` field that names the problem (and the input line, when known). A document
whose cleaning was cut short by a runaway pattern is flagged too (``regex_timeout``). Every other
field passes through unchanged. Pure: no I/O, so the CLI, Spark and datatrove all give
the same answer for the same record.

>>> from cleaner import Cleaner
>>> clean_record(Cleaner(), {"id": 1, "text": "Download App\\nThe council met."}, RecordOptions())["text"]
'The council met.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cleaner.api import Cleaner
from cleaner.result import HTML_TRUNCATED_MARK, TIMEOUT_MARK, CleanResult

_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(text: str) -> str | None:
    """The first lone surrogate of ``text`` as its JSON escape, or None (the encode test is the fast one)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        found = _SURROGATE.search(text)
        return f"\\u{ord(found.group()):04x}" if found else None
    return None


@dataclass(frozen=True, slots=True)
class RecordOptions:
    """Field mapping and what to attach to each record.

    ``out_field`` None replaces ``field`` in place. ``metadata`` adds the extracted
    metadata under ``boilerstrip_metadata``; ``explain`` adds removals and warnings
    under ``boilerstrip``. Every record carries ``boilerstrip_rules`` (the ruleset
    version), so a corpus can be traced to the rules that made it.
    """

    field: str = "text"
    out_field: str | None = None
    url_field: str | None = "url"
    id_field: str | None = None
    metadata: bool = False
    explain: bool = False
    html: bool = False


#: The field that flags a record this run could not clean.
ERROR_FIELD = "error"


def error_record(record: dict[str, Any], kind: str, message: str, line: int | None) -> dict[str, Any]:
    """The record passed through unchanged, flagged with what went wrong and where."""
    out = dict(record)
    out[ERROR_FIELD] = {"type": kind, "message": message, **({"line": line} if line is not None else {})}
    return out


def is_error_flag(value: Any) -> bool:
    """Whether ``value`` is an ``error`` flag as :func:`error_record` writes it (type, message, maybe line).

    A record flagged by an earlier run and cleaned by this one must not keep the old flag: a
    pipeline that keeps the rows ``where error is null`` would drop it. A user's own ``error``
    field of any other shape passes through like every other field.
    """
    return (
        isinstance(value, dict)
        and isinstance(value.get("type"), str)
        and isinstance(value.get("message"), str)
        and set(value) <= {"type", "message", "line"}
    )


def clean_record(
    cleaner: Cleaner, record: dict[str, Any], options: RecordOptions, *, line: int | None = None
) -> dict[str, Any]:
    """Clean ``record[options.field]``; flag (never drop) a record that cannot be cleaned."""
    return clean_record_result(cleaner, record, options, line=line)[0]


def clean_record_result(
    cleaner: Cleaner,
    record: dict[str, Any],
    options: RecordOptions,
    *,
    line: int | None = None,
    surrogates_checked: bool = False,
) -> tuple[dict[str, Any], CleanResult | None]:
    """``clean_record`` plus the ``CleanResult`` (None for a flagged record), for ``Stats.add``.

    ``surrogates_checked``: the caller vouches that no string of ``record`` holds a lone surrogate,
    as for every record ``readers.parse_jsonl_line`` returns; the check (a UTF-8 encoding of the
    whole text, ~1 ms a megabyte) is then skipped.
    """
    if options.field not in record:
        if is_error_flag(record.get(ERROR_FIELD)):  # flagged upstream (a reader's bad line): keep its reason
            return dict(record), None
        return error_record(record, "missing_field", f"record has no field {options.field!r}", line), None
    value = record[options.field]
    if isinstance(value, bytearray):
        value = bytes(value)
    if isinstance(value, bytes) and not options.html:
        # Parquet ``binary`` (and Spark BinaryType) columns often hold text their writer never marked
        # as UTF-8. HTML mode keeps the bytes: it decodes them as a browser would (declared charset).
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"field {options.field!r} holds bytes that are not UTF-8 (byte {exc.start})"
            return error_record(record, "bad_utf8", message, line), None
    if not isinstance(value, str | bytes):
        kind = "null" if value is None else type(value).__name__
        return error_record(record, "bad_field", f"field {options.field!r} is {kind}, not a string", line), None
    checked = surrogates_checked or options.html
    surrogate = None if checked or not isinstance(value, str) else _lone_surrogate(value)
    if surrogate is not None:  # text mode would keep it, and no UTF-8 writer could store the record
        message = f"field {options.field!r} holds a lone surrogate ({surrogate}), which is not text"
        return error_record(record, "bad_unicode", message, line), None
    url = record.get(options.url_field) if options.url_field else None
    url = url if isinstance(url, str) and url else None
    try:
        # Outside HTML mode ``value`` is a str by now: bytes were decoded above or flagged.
        if options.html or not isinstance(value, str):
            result = cleaner.clean_html(value, url=url)
        else:
            result = cleaner.clean_document(value, url=url)
    except ValueError as exc:
        return error_record(record, type(exc).__name__, str(exc), line), None
    timeouts = [w for w in result.warnings if TIMEOUT_MARK in w]
    if timeouts:
        return error_record(record, "regex_timeout", "; ".join(timeouts), line), None
    truncated = [w for w in result.warnings if w.startswith(HTML_TRUNCATED_MARK)]
    if truncated:
        return error_record(record, "html_truncated", "; ".join(truncated), line), None
    out = dict(record)
    if is_error_flag(out.get(ERROR_FIELD)):
        del out[ERROR_FIELD]
    out[options.out_field or options.field] = result.text
    out["boilerstrip_rules"] = cleaner.ruleset_version
    if options.metadata:
        out["boilerstrip_metadata"] = dict(result.metadata)
    if options.explain:
        out["boilerstrip"] = {
            "site": result.site,
            "site_reason": result.site_reason,
            "removed": [{"rule": r.rule_id, "text": r.text} for r in result.removals if r.text.strip()],
            "encoding_fixes": list(result.encoding_fixes),
            "warnings": list(result.warnings),
        }
    return out, result
