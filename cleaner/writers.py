"""Write output records: one JSONL line per record, or Parquet batches with the cleaner's added columns.

Why a module of its own: writing has its own concerns - pass-through values must come out as
they went in (integers beyond 64 bits, NaN from JSONL), values read from Parquet need a JSON
form, and the Parquet output has one schema for every batch - none of which reading
(:mod:`cleaner.readers`) shares. Where the bytes go, atomically, is :mod:`cleaner.atomic_output`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import pyarrow as pa


def _json_default(value: Any) -> Any:
    """What orjson cannot write natively (values from Parquet): bytes, decimals, times."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_jsonl(record: Mapping[str, Any], *, keep_non_finite: bool = False) -> bytes:
    """One JSONL line (newline included), UTF-8, keys in record order; big integers via the stdlib.

    orjson writes NaN and infinities as ``null``. ``keep_non_finite`` writes them as ``NaN``,
    ``Infinity``, ``-Infinity`` instead: for JSONL input, where such a value can only have come
    from those very literals (or an overflowing ``1e400``), so a pass-through field keeps its value.
    From Parquet, ``null`` is the usual JSON for a NaN, and strict readers refuse the literals.
    """
    try:
        out = orjson.dumps(record, default=_json_default, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # an integer beyond 64 bits: orjson refuses it, JSON allows it
        return _stdlib_line(record)
    if keep_non_finite and b"null" in out and _has_non_finite(record):
        return _stdlib_line(record)
    return out


def _stdlib_line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_json_default) + "\n").encode()


def _has_non_finite(value: Any) -> bool:
    """A NaN or infinite float anywhere in ``value``."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(map(_has_non_finite, value.values()))
    if isinstance(value, list):
        return any(map(_has_non_finite, value))
    return False


# Columns the cleaner adds. Metadata and explanations have open-ended keys, so Parquet
# stores them as JSON text (one schema for every batch, whatever each record carries).
JSON_COLUMNS = ("boilerstrip_metadata", "boilerstrip")


def output_schema(schema: pa.Schema, *, field: str, out_field: str | None, metadata: bool, explain: bool) -> pa.Schema:
    """The Parquet output schema: the input's columns, then the cleaned text and the added columns."""
    import pyarrow as pa

    added: list[pa.Field] = []
    if out_field and out_field not in schema.names:
        added.append(pa.field(out_field, pa.string()))
    added.append(pa.field("boilerstrip_rules", pa.string()))
    added.append(pa.field("error", pa.struct(
        [pa.field("type", pa.string()), pa.field("message", pa.string()), pa.field("line", pa.int64())])))
    if metadata:
        added.append(pa.field("boilerstrip_metadata", pa.string()))
    if explain:
        added.append(pa.field("boilerstrip", pa.string()))
    kept = [f for f in schema if f.name not in {a.name for a in added}]
    return pa.schema(kept + added)


def records_to_batch(records: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    """Output records as one batch of ``schema`` (metadata and explanations as JSON text)."""
    import pyarrow as pa

    rows = []
    for rec in records:
        row = dict(rec)
        for col in JSON_COLUMNS:
            if col in row and not isinstance(row[col], str):
                row[col] = orjson.dumps(row[col], default=_json_default).decode()
        rows.append(row)
    return pa.RecordBatch.from_pylist(rows, schema=schema)
