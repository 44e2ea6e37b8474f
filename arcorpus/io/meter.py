"""Counting the input bytes a run reads, for its progress display (``arcorpus clean``'s bars).

Every input file is opened through `open_input` (JSON lines, JSON arrays, Parquet, text, and the
compressed ones). While a `ByteMeter` is active (``with meter.active(): ...``, a context variable: nothing
global changes, and a run in another thread or context is not counted), the file's raw reads add their
size to it: for a compressed file the compressed bytes, which is what the file sizes add up to. With no
active meter (the Python API) the file is opened as plain buffered I/O, at no cost.

Only the process that reads the files counts: with worker processes, the driver (the workers only re-read
lines by offset, which the driver has already read and counted).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any

_ACTIVE: ContextVar[ByteMeter | None] = ContextVar("arcorpus_byte_meter", default=None)


class ByteMeter:
    """Bytes of input read so far (`bytes_read`), by the files opened while it was active."""

    def __init__(self) -> None:
        self.bytes_read = 0

    @contextlib.contextmanager
    def active(self) -> Iterator[ByteMeter]:
        """Count the files opened in this block (and read later, wherever they are read)."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


def open_input(path: str | Path, buffer_size: int) -> IO[bytes]:
    """``path`` opened for reading bytes with a buffer of ``buffer_size``, counted by the active meter."""
    raw = io.FileIO(path, "rb")
    meter = _ACTIVE.get()
    if meter is None:
        return io.BufferedReader(raw, buffer_size)
    return io.BufferedReader(_Metered(raw, meter), buffer_size)


class _Metered(io.RawIOBase):
    """A raw file whose reads add their size to a `ByteMeter` (seekable as the file is: Parquet seeks)."""

    def __init__(self, raw: io.FileIO, meter: ByteMeter) -> None:
        self._raw = raw
        self._meter = meter
        self.name = raw.name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        n = self._raw.readinto(buffer)
        if n:
            self._meter.bytes_read += n
        return n

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def fileno(self) -> int:
        return self._raw.fileno()

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()
