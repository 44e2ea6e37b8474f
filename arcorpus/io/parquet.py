"""Parquet input and output (``pip install 'arcorpus[parquet]'``: pyarrow), in bounded memory.

Reading: one row a document; the text and id columns are named by ``--text-field``/``--id-field`` (as
for JSONL) and every other column is metadata. Rows are read one record batch at a time, row group by row
group (`pyarrow.parquet.ParquetFile.iter_batches`), so memory is bounded by a row group, not the file.
Row ``n`` (1-based, across row groups) is "line" ``n`` in documents and rejects. A null is an absent
field (Parquet has no other way to say a record lacks a column), so null metadata values are left out.
Values JSON has no type for become JSON values: timestamps, dates, times and decimals their ISO/decimal
text, binary values base64 text.

Writing: `AtomicParquetWriter` takes the same JSON lines as the JSONL writer (possibly made in worker
processes) and writes each metadata field as a real column. Records need not all have the same fields:
batches are spooled as Arrow IPC to an unlinked temporary file (nothing is left behind, even after a
kill), and on `commit` their schemas are unified (a field missing from a batch is null there; int and
float become float) and the file is written batch by batch — one row group per batch — then renamed into
place. A field whose JSON type varies in a way no Arrow type unifies (a number in one record, a string in
another) is written as JSON text in every row. Memory: one batch of records (`ROWS_PER_BATCH` rows, or
`BYTES_PER_BATCH` bytes of JSON, whichever comes first).

This module deliberately knows nothing of documents beyond their JSON records.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from arcorpus.document import Reject
from arcorpus.io.jsonl import Item, record_item
from arcorpus.io.meter import open_input
from arcorpus.io.options import ReadOptions
from arcorpus.io.writers import dumps, new_file_mode, signals_held

READ_BATCH_ROWS = 1024
ROWS_PER_BATCH = 8192
BYTES_PER_BATCH = 32 * 1024 * 1024


def read_parquet(path: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """The documents and rejects of one Parquet file; a file that is not Parquet is one reject."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    opts = options or ReadOptions()
    name = str(path)
    try:
        handle = open_input(path, 1 << 16)  # counted by an active ByteMeter (the progress bar)
    except OSError as exc:
        yield Reject("unreadable_file", f"{name}: cannot open: {exc.strerror or exc}", name)
        return
    with handle:
        try:
            # pre_buffer=False: with it, iter_batches keeps the buffers of every row group read (the
            # memory of a 1.1 GB file grew to 1.3 GB); without it, one row group at a time (~0.2 GB)
            pf = pq.ParquetFile(handle, pre_buffer=False)
        except (pa.ArrowException, OSError, ValueError) as exc:
            yield Reject("not_parquet", f"{name}: not a readable Parquet file: {exc}", name)
            return
        columns = pf.schema_arrow.names
        if opts.text_field not in columns:
            yield Reject(
                "missing_text",
                f"{name}: no column {opts.text_field!r} (--text-field); columns: {', '.join(columns)}",
                name,
            )
            return
        row = 0
        try:
            for batch in pf.iter_batches(batch_size=READ_BATCH_ROWS):
                for record in _json_ready(batch).to_pylist():
                    row += 1
                    where = f"{name}:{row}"
                    obj = {k: v for k, v in record.items() if v is not None or k == opts.text_field}
                    text = obj.get(opts.text_field)
                    if isinstance(text, str) and len(text) > opts.max_record_bytes:
                        yield Reject(
                            "record_too_large",
                            f"{where}: text of {len(text)} characters is over the limit of "
                            f"{opts.max_record_bytes} (--max-record-bytes)",
                            name,
                            row,
                        )
                        continue
                    yield record_item(obj, name, row, opts, where)  # Arrow strings are valid UTF-8
        except (pa.ArrowException, OSError, ValueError) as exc:
            yield Reject(
                "truncated_stream",
                f"{name}: the file breaks off after row {row} (truncated or corrupt): {exc}",
                name,
                row + 1,
            )
            return
    if row == 0:
        yield Reject("empty_file", f"{name}: the file holds no rows", name)


def _json_ready(batch: Any) -> Any:
    """``batch`` with every column of a type JSON lacks cast to text (see the module docstring)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    changed = False
    for column, field in zip(batch.columns, batch.schema, strict=True):
        kind = field.type
        if (
            pa.types.is_timestamp(kind)
            or pa.types.is_date(kind)
            or pa.types.is_time(kind)
            or pa.types.is_decimal(kind)
            or pa.types.is_duration(kind)
        ):
            column = pc.cast(column, pa.string())
            changed = True
        elif (
            pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind)
        ):
            values = [None if v is None else base64.b64encode(v).decode("ascii") for v in column.to_pylist()]
            column = pa.array(values, pa.string())
            changed = True
        arrays.append(column)
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


class AtomicParquetWriter:
    """``with AtomicParquetWriter(path) as w: w.write(record); w.commit()`` (see the module docstring).

    The same interface as `arcorpus.io.writers.AtomicJsonlWriter`: ``write``, ``write_lines``, ``commit``,
    ``abort``, ``count``."""

    def __init__(self, path: str | Path) -> None:
        import pyarrow  # noqa: F401  (fail here, before any work, when pyarrow is missing)

        self.path = str(path)
        self.count = 0
        self._rows: list[dict[str, Any]] = []
        self._bytes = 0
        self._spool = tempfile.TemporaryFile(prefix="arcorpus-parquet-")
        self._parts: list[tuple[int, int, Any]] = []  # (offset, size, schema)
        target = Path(self.path)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)  # a replaced file keeps its mode
        except OSError:
            mode = new_file_mode()  # a new file follows the umask, as AtomicJsonlWriter's do
        self._tmp: str | None = None
        # signals held while the temporary is created and recorded: abort() can always remove it
        with signals_held():
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            os.fchmod(fd, mode)
        finally:
            os.close(fd)

    def write(self, record: dict[str, Any]) -> None:
        self._rows.append(record)
        self.count += 1
        self._bytes += 256
        if len(self._rows) >= ROWS_PER_BATCH or self._bytes >= BYTES_PER_BATCH:
            self._flush()

    def write_lines(self, data: bytes, count: int) -> None:
        """Write ``count`` lines made by `arcorpus.io.writers.encode_line` (in another process)."""
        if not count:
            return
        self._rows.extend(json.loads(line) for line in data.splitlines())
        self.count += count
        self._bytes += len(data)
        if len(self._rows) >= ROWS_PER_BATCH or self._bytes >= BYTES_PER_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._rows:
            return
        table = _table(self._rows)
        self._rows, self._bytes = [], 0
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as ipc:
            ipc.write_table(table)
        blob = sink.getvalue()
        offset = self._spool.seek(0, os.SEEK_END)
        self._spool.write(blob)
        self._parts.append((offset, len(blob), table.schema))

    def commit(self) -> None:
        """Write the Parquet file from the spooled batches and move it into place."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._tmp is None:
            return
        self._flush()
        self._spool.flush()
        schema, as_json = _unified([schema for _, _, schema in self._parts])
        with pq.ParquetWriter(self._tmp, schema, compression="zstd") as writer:
            for offset, size, _ in self._parts:
                self._spool.seek(offset)
                table = pa.ipc.open_stream(pa.py_buffer(self._spool.read(size))).read_all()
                writer.write_table(_conform(table, schema, as_json))
        self._spool.close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        """Throw the partial output away."""
        self._spool.close()
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

    def __enter__(self) -> AtomicParquetWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.abort()
        elif self._tmp is not None:
            self.commit()


def _table(rows: list[dict[str, Any]]) -> Any:
    """The Arrow table of ``rows`` (columns in first-seen order). A column Arrow cannot type as one (mixed
    JSON types inside this batch) holds JSON text, and is listed in the schema metadata as such."""
    import pyarrow as pa

    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    columns = {}
    as_json = []
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            columns[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            columns[name] = pa.array([None if v is None else dumps(v) for v in values], pa.string())
            as_json.append(name)
    table = pa.table(columns)
    if as_json:
        table = table.replace_schema_metadata({_JSON_KEY: json.dumps(as_json).encode()})
    return table


_JSON_KEY = b"arcorpus.json_columns"


def _json_columns(schema: Any) -> list[str]:
    marked = (schema.metadata or {}).get(_JSON_KEY)
    return list(json.loads(marked)) if marked else []


def _unified(schemas: list[Any]) -> tuple[Any, frozenset[str]]:
    """One schema for every batch, and the fields that must be JSON text (types that do not unify)."""
    import pyarrow as pa

    if not schemas:
        return pa.schema([("id", pa.string()), ("text", pa.string())]), frozenset()
    as_json: set[str] = set()
    for schema in schemas:
        as_json.update(_json_columns(schema))
    order: dict[str, None] = {}
    for schema in schemas:
        order.update(dict.fromkeys(schema.names))
    fields = []
    for name in order:
        types = [s.field(name).type for s in schemas if name in s.names]
        if name in as_json:
            fields.append(pa.field(name, pa.string()))
            continue
        try:
            merged = pa.unify_schemas([pa.schema([(name, t)]) for t in types], promote_options="permissive")
            fields.append(merged.field(name))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            as_json.add(name)
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields), frozenset(as_json)


def _conform(table: Any, schema: Any, as_json: frozenset[str]) -> Any:
    """``table`` with ``schema``'s columns in its order: missing ones null, JSON-text ones re-encoded."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        if field.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, field.type))
            continue
        column = table.column(field.name)
        if field.name in as_json and field.name not in _json_columns(table.schema):
            column = pa.array([None if v is None else dumps(v) for v in column.to_pylist()], pa.string())
        else:
            column = column.cast(field.type)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)
