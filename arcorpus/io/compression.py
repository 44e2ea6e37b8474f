"""Opening an input file as bytes: plain, gzip, zstd, bzip2 or xz (a truncated stream is an error, not
silence)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
from pathlib import Path
from typing import IO, Any

from arcorpus.io.meter import open_input

CHUNK = 1 << 20
"""Read size of the zstd reader and buffer size of plain files (1 MiB)."""


class _ZstdRaw(io.RawIOBase):
    """A zstd stream that raises `EOFError` when the input ends inside a frame (zstandard's own
    stream reader silently returns what it has). Concatenated frames are read one after another."""

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._zstd = zstandard
        self._raw = raw
        self._dobj = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._raw.read(CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ended inside a frame (truncated file)")
                return 0
            self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> None:
        out = []
        while chunk:
            self._in_frame = True
            out.append(self._dobj.decompress(chunk))
            if self._dobj.eof:
                self._in_frame = False
                chunk = self._dobj.unused_data
                self._dobj = self._zstd.ZstdDecompressor().decompressobj()
            else:
                chunk = b""
        self._pending += b"".join(out)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_binary(path: Path) -> IO[bytes]:
    """``path`` opened for reading bytes, decompressed by its suffix (``.gz``, ``.zst``/``.zstd``,
    ``.bz2``, ``.xz``). The file itself is read through `open_input` (counted by an active `ByteMeter`:
    compressed bytes), and closed with the stream."""
    lower = str(path).lower()
    # a 1 MiB buffer: with the default 8 KiB one, a record of a few KB often straddles two buffer fills
    # and readline takes its slow path (3-4x the CPU of reading the corpus line by line)
    raw = open_input(path, CHUNK)
    try:
        if lower.endswith(".gz"):
            return _Gzip(raw)  # type: ignore[return-value]
        if lower.endswith((".zst", ".zstd")):
            return io.BufferedReader(_ZstdRaw(raw), buffer_size=CHUNK)
        if lower.endswith(".bz2"):  # both buffer internally (peek, readline), reading ahead little
            return _Bz2(raw)
        if lower.endswith(".xz"):
            return _Xz(raw)
    except BaseException:
        raw.close()
        raise
    return raw


class _ClosesItsFile(io.BufferedIOBase):
    """Mixed into a decompressing reader given an open file: closing the reader closes that file too
    (`gzip.GzipFile`, `bz2.BZ2File` and `lzma.LZMAFile` leave a file object they were given open)."""

    _owned: IO[bytes]

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._owned.close()


class _Gzip(_ClosesItsFile, gzip.GzipFile):
    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._owned = raw


class _Bz2(_ClosesItsFile, bz2.BZ2File):
    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw, "rb")
        self._owned = raw


class _Xz(_ClosesItsFile, lzma.LZMAFile):
    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw, "rb")
        self._owned = raw
