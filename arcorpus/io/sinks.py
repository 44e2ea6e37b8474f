"""The writer for an output name: JSONL (compressed or not), a JSON array, or Parquet, by its suffix."""

from __future__ import annotations

import os
from pathlib import Path

from arcorpus.io.formats import OutputWriter, check_output_format, output_format


def open_writer(path: str | Path) -> OutputWriter:
    """The atomic writer for output ``path`` by its suffix (``-``: JSONL on standard output).

    Raises `arcorpus.io.formats.FormatError` for a name that is no output format, or Parquet without
    pyarrow. A device, FIFO or ``/dev/fd/N`` (``-o /dev/null``, ``-o >(gzip > x.gz)``) gets JSONL, written
    straight through (trustio, issue 14)."""
    from arcorpus.io.writers import AtomicJsonlWriter, is_special_file

    if str(path) == "-" or is_special_file(_stat(path)):
        return AtomicJsonlWriter(path)
    check_output_format(path)
    fmt = output_format(path)
    if fmt == "parquet":
        from arcorpus.io.parquet import AtomicParquetWriter

        return AtomicParquetWriter(path)
    if fmt == "json":
        from arcorpus.io.jsonarray import JsonArrayWriter

        return JsonArrayWriter(path)
    return AtomicJsonlWriter(path)


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None
