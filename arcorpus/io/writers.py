"""Writing JSONL output atomically, compressed by extension, byte-identical across runs.

`AtomicJsonlWriter` writes to a hidden temporary file beside the target and renames it into place only
when `commit` is called; on an error (or Ctrl-C) the temporary file is removed and no half-written file
that looks complete is ever left. gzip headers carry no timestamp so output is reproducible.

This module deliberately knows nothing of documents: it writes JSON-ready dicts.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(record: dict[str, Any]) -> str:
    """The one JSON serialisation used for every output line (UTF-8, no ASCII escapes, compact)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def encode_line(record: dict[str, Any]) -> bytes:
    """``record`` as one UTF-8 JSON line. Last line of defence: a lone surrogate that reached the writer
    (readers already replace them) is written as U+FFFD rather than crashing the run at document N."""
    line = dumps(record)
    try:
        return line.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", line).encode("utf-8") + b"\n"


class AtomicJsonlWriter:
    """``with AtomicJsonlWriter(path) as w: w.write(record); w.commit()``. ``path`` ``-`` is stdout."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.count = 0
        self._tmp: str | None = None
        self._raw: IO[bytes] | None = None
        self._stream: Any
        if self.path == "-":
            self._stream = sys.stdout.buffer
            return
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        raw = os.fdopen(fd, "wb")
        self._raw = raw
        lower = self.path.lower()
        if lower.endswith(".gz"):
            self._stream = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
        elif lower.endswith((".zst", ".zstd")):
            import zstandard

            self._stream = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)
        elif lower.endswith(".bz2"):  # neither bz2 nor xz headers carry a timestamp: reproducible
            import bz2

            self._stream = bz2.BZ2File(raw, "wb")
        elif lower.endswith(".xz"):
            import lzma

            self._stream = lzma.LZMAFile(raw, "wb")
        else:
            self._stream = raw

    def write(self, record: dict[str, Any]) -> None:
        self._stream.write(encode_line(record))
        self.count += 1

    def write_lines(self, data: bytes, count: int) -> None:
        """Write ``count`` lines already made by `encode_line` (in another process), as they are."""
        self._stream.write(data)
        self.count += count

    def commit(self) -> None:
        """Finish the file and move it into place."""
        if self._tmp is None:
            self._stream.flush()
            return
        if self._stream is not self._raw:
            self._stream.close()
        assert self._raw is not None
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        """Throw the partial output away."""
        if self._tmp is None:
            return
        try:
            if self._stream is not self._raw:
                self._stream.close()
            if self._raw is not None:
                self._raw.close()
        finally:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

    def __enter__(self) -> AtomicJsonlWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.abort()
        elif self._tmp is not None:
            self.commit()


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write one JSON document (a report, a profile) atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
