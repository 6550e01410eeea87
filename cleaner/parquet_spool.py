"""Records of any shape (JSONL or text files) into one Parquet file, in bounded memory.

A Parquet writer needs its schema before the first row, but the pass-through fields of a JSONL
shard are only known once every record has been seen: a field may be missing from the first
thousand records, or hold an integer in one and a string in the next. So the output records are
spooled to a temporary file (as the JSONL they already are) while the type of every field is
noted; at the end the schema is fixed and the spool is read back in batches into the writer.

Column types: strings, booleans, 64-bit integers and floats keep their type (integers mixed with
floats become float64 when they fit its 53-bit mantissa); ``error`` is the same struct as for
Parquet input; a field whose values mix types, or hold objects or lists, is stored as JSON text
(every value of it, strings included), so nothing is lost and every value reads back exactly.

>>> import io, pyarrow.parquet as pq
>>> out = io.BytesIO()
>>> spool = ParquetSpool()
>>> spool.write(b'{"id":1,"text":"a"}\\n{"id":2,"tags":["x"]}\\n')
>>> spool.finish(out)
>>> pq.read_table(out).to_pylist()
[{'id': 1, 'text': 'a', 'tags': None}, {'id': 2, 'text': None, 'tags': '["x"]'}]
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from cleaner.readers import parse_jsonl_line
from cleaner.writers import JSON_COLUMNS

_INT64 = (-(2**63), 2**63 - 1)
_EXACT_IN_FLOAT = 2**53
ERROR_TYPE = pa.struct([pa.field("type", pa.string()), pa.field("message", pa.string()), pa.field("line", pa.int64())])


def _load(line: bytes) -> dict[str, Any]:
    """One output line back as a dict, read as the input was (integers beyond 64 bits kept exact)."""
    record, _ = parse_jsonl_line(line, 0)
    assert record is not None, "pipeline output lines are JSON objects"
    return record


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "json"


class FieldTypes:
    """What each field held across all records seen, in first-seen field order."""

    def __init__(self) -> None:
        self.kinds: dict[str, set[str]] = {}
        self.int_range: dict[str, tuple[int, int]] = {}

    def observe(self, record: dict[str, Any]) -> None:
        for name, value in record.items():
            kind = _kind(value)
            self.kinds.setdefault(name, set()).add(kind)
            if kind == "int":
                low, high = self.int_range.get(name, (value, value))
                self.int_range[name] = (min(low, value), max(high, value))

    def arrow_type(self, name: str) -> pa.DataType:
        """The column type of ``name``; ``pa.string()`` with JSON text when types are mixed (see ``as_json``)."""
        if name == "error":
            return ERROR_TYPE
        kinds = self.kinds[name] - {"null"}
        low, high = self.int_range.get(name, (0, 0))
        if kinds <= {"str"} or name in JSON_COLUMNS:
            return pa.string()
        if kinds == {"bool"}:
            return pa.bool_()
        if kinds == {"int"} and _INT64[0] <= low and high <= _INT64[1]:
            return pa.int64()
        if kinds <= {"int", "float"} and abs(low) <= _EXACT_IN_FLOAT and abs(high) <= _EXACT_IN_FLOAT:
            return pa.float64()
        return pa.string()

    def as_json(self, name: str) -> bool:
        """True for a column stored as JSON text: mixed types, objects or lists, or huge integers."""
        if name == "error" or name in JSON_COLUMNS:
            return False
        kinds = self.kinds[name] - {"null"}
        return bool(kinds) and self.arrow_type(name) == pa.string() and kinds != {"str"}

    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(name, self.arrow_type(name)) for name in self.kinds])


class ParquetSpool:
    """Collect JSONL output records, then write them as one Parquet file with a schema that fits all of them.

    ``write`` takes bytes of complete JSONL lines; ``finish`` writes the Parquet file to a binary
    stream; the spool lives in a temporary file (in ``directory``), removed when finished or closed.
    """

    def __init__(self, directory: str | None = None, batch_rows: int = 4096) -> None:
        # Closed by ``finish`` or ``close``: the spool outlives any one method.
        self._spool: IO[bytes] = tempfile.TemporaryFile(dir=directory, prefix=".boilerstrip-spool-")  # noqa: SIM115
        self._types = FieldTypes()
        self._batch_rows = batch_rows

    def write(self, payload: bytes) -> None:
        self._spool.write(payload)
        for line in payload.splitlines():
            if line.strip():
                self._types.observe(_load(line))

    def finish(self, stream: IO[bytes]) -> None:
        """Write every spooled record to ``stream`` as Parquet, then drop the spool."""
        schema = self._types.schema()
        json_columns = [name for name in schema.names if self._types.as_json(name)]
        with pq.ParquetWriter(stream, schema) as writer:
            for rows in self._read_back():
                for row in rows:
                    for col in JSON_COLUMNS:
                        if col in row and not isinstance(row[col], str):
                            row[col] = orjson.dumps(row[col]).decode()
                    for col in json_columns:
                        if row.get(col) is not None:
                            row[col] = json.dumps(row[col], ensure_ascii=False)
                writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=schema))
        self.close()

    def _read_back(self) -> Iterator[list[dict[str, Any]]]:
        self._spool.seek(0)
        rows: list[dict[str, Any]] = []
        for line in self._spool:
            if line.strip():
                rows.append(_load(line))
            if len(rows) >= self._batch_rows:
                yield rows
                rows = []
        if rows:
            yield rows

    def close(self) -> None:
        self._spool.close()
