"""The writer for an output name: JSONL (compressed or not), a JSON array, or Parquet, by its suffix."""

from __future__ import annotations

from pathlib import Path

from arcorpus.io.formats import OutputWriter, check_output_format, output_format


def open_writer(path: str | Path) -> OutputWriter:
    """The atomic writer for output ``path`` by its suffix (``-``: JSONL on standard output).

    Raises `arcorpus.io.formats.FormatError` for a name that is no output format, or Parquet without
    pyarrow."""
    check_output_format(path)
    fmt = output_format(path)
    if fmt == "parquet":
        from arcorpus.io.parquet import AtomicParquetWriter

        return AtomicParquetWriter(path)
    if fmt == "json":
        from arcorpus.io.jsonarray import JsonArrayWriter

        return JsonArrayWriter(path)
    from arcorpus.io.writers import AtomicJsonlWriter

    return AtomicJsonlWriter(path)
