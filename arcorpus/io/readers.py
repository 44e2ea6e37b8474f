"""Reading input into `Document`s, turning every unreadable record into a `Reject` instead of raising.

Inputs: a ``.txt`` file (one document, id = path without extension), a directory (walked in sorted order
for ``.txt``, ``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``), a JSONL file (plain, gzip or zstd) with one JSON
object per line, or ``-`` for JSONL on standard input (the CLI spools it to a file first so that corpus
passes can read it again).

Every input record ends up as exactly one `Document` or one `Reject` (with a reason code and the file and
line); a file or directory that cannot be read at all becomes one `Reject`. Files in a directory that are
not inputs at all (a ``.jpg``) are reported through ``on_skip`` and produce neither.

Memory is bounded by ``max_record_bytes``: a longer JSONL line is skipped in chunks, never held whole.

This module deliberately does no cleaning: text is passed on exactly as decoded, except that lone UTF-16
surrogates from ``\\udXXX`` JSON escapes (which no encoder can write) become U+FFFD, recorded as a change
of the ``read`` step, and ``\\r\\n``/``\\r`` line ends become ``\\n``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from arcorpus.document import Document, Reject
from arcorpus.io.discovery import expand_inputs
from arcorpus.io.formats import input_format, is_jsonl, is_parquet
from arcorpus.io.jsonl import RawRecord, read_jsonl, read_jsonl_deferred
from arcorpus.io.options import InputError, ReadOptions
from arcorpus.io.text import read_text_file

__all__ = [
    "InputError",
    "Item",
    "RawRecord",
    "ReadOptions",
    "expand_inputs",
    "parsed",
    "read_file",
    "read_file_deferred",
    "read_inputs",
]

Item = Document | Reject
T = TypeVar("T")


def parsed(item: Item | RawRecord) -> Item:
    """``item`` itself, or the record parsed when it is a deferred `RawRecord`."""
    return item.parse() if isinstance(item, RawRecord) else item


def read_inputs(
    inputs: Sequence[str | Path],
    options: ReadOptions | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[Item]:
    """Every document (or reject) of every input, in order."""
    opts = options or ReadOptions()
    for path in expand_inputs(inputs, on_skip):
        yield from read_file(path, opts)


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """The documents and rejects of one input file (a directory here means one that could not be listed)."""
    opts = options or ReadOptions()
    return _read_file(path, lambda: read_jsonl(path, opts), opts)


def read_file_deferred(path: Path, options: ReadOptions | None = None) -> Iterator[Item | RawRecord]:
    """`read_file`, but JSONL lines come as `RawRecord` (call `parsed` on each item) instead of being
    parsed here; file-level problems (binary, truncated, oversize lines, no records) are still found here."""
    opts = options or ReadOptions()
    return _read_file(path, lambda: read_jsonl_deferred(path, opts), opts)


def _read_file(path: Path, jsonl: Callable[[], Iterator[T]], opts: ReadOptions) -> Iterator[T | Item]:
    name = str(path)
    if path.is_symlink() and not path.exists():
        yield Reject("broken_symlink", f"{name}: broken symbolic link (to {os.readlink(path)})", name)
        return
    if path.is_dir():
        yield Reject("unreadable_file", f"{name}: cannot list this directory (permission denied?)", name)
        return
    if is_parquet(path):
        from arcorpus.io.parquet import read_parquet

        yield from read_parquet(path, opts)
    elif input_format(path) == "json":  # a JSON array, or JSON lines
        from arcorpus.io.jsonarray import read_json_file

        yield from read_json_file(path, opts, jsonl)
    elif is_jsonl(path):
        yield from jsonl()
    else:
        yield read_text_file(path, opts)
