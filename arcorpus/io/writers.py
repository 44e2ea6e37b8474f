"""Writing JSONL output atomically, compressed by extension, byte-identical across runs.

`AtomicJsonlWriter` writes to a hidden temporary file beside the target and renames it into place only
when `commit` is called; on an error (or Ctrl-C) the temporary file is removed and no half-written file
that looks complete is ever left. gzip headers carry no timestamp so output is reproducible.

This module deliberately knows nothing of documents: it writes JSON-ready dicts.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

_SURROGATE = re.compile("[\ud800-\udfff]")

class OutputWriteError(OSError):
    """Writing an output failed (a full disk, an I/O error): the message names the user's path."""


def dumps(record: dict[str, Any]) -> str:
    """The one JSON serialisation used for every output line (UTF-8, no ASCII escapes, compact)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def _unsurrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    # a byte of a file name that is not UTF-8 (surrogateescape) is written as the text \xNN (in JSON,
    # "\\xNN"), so that two such names stay distinct; any other lone surrogate becomes U+FFFD
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def to_utf8(line: str) -> bytes:
    """``line`` (serialised JSON) as UTF-8; lone surrogates as in `_unsurrogate`, never an error."""
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(_unsurrogate, line).encode("utf-8")


def encode_line(record: dict[str, Any]) -> bytes:
    """``record`` as one UTF-8 JSON line. Last line of defence: a lone surrogate that reached the writer
    (readers already replace them) is written as U+FFFD rather than crashing the run at document N; a
    non-UTF-8 byte of a file name (an id, a source) as ``\\xNN``. NaN and infinities are not JSON
    (RFC 8259): the readers reject records holding them; one that comes another way (a DataFrame's NaN
    for a missing value) is written as ``null``, never as ``NaN``."""
    try:
        line = dumps(record)
    except ValueError:
        line = dumps(_finite(record))
    return to_utf8(line) + b"\n"


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON ``null``)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def dumps_report(data: Any) -> bytes:
    """A report or profile as indented, sorted, valid JSON bytes (as `encode_line`, never an encode error)."""
    return to_utf8(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)) + b"\n"


def is_special_file(info: os.stat_result | None) -> bool:
    """A device, FIFO or socket (``/dev/null``, ``/dev/fd/N``): written straight through, never replaced."""
    return info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (delivered when the block ends) in this thread, where the platform can."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def new_file_mode() -> int:
    """The mode a new file gets from the process umask (0o666 & ~umask), as ``open``/``touch`` give."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class AtomicJsonlWriter:
    """``with AtomicJsonlWriter(path) as w: w.write(record); w.commit()``. ``path`` ``-`` is stdout.

    A regular file (or a new name) is written to a hidden temporary file in the same directory, with the
    mode of the file it replaces (or the umask's), and renamed into place by `commit` (= `finish` +
    `publish`). A device, FIFO or ``/dev/fd/N`` is written straight through. The directory must exist.
    ``compress``: gzip/zstd by suffix (``.gz``, ``.zst``).
    """

    def __init__(self, path: str | Path, *, compress: bool = True) -> None:
        self.path = str(path)
        self.count = 0
        self._tmp: str | None = None
        self._raw: IO[bytes] | None = None
        self._stream: Any
        self._finished = False
        if self.path == "-":
            self._stream = sys.stdout.buffer
            return
        try:
            info: os.stat_result | None = os.stat(self.path)
        except OSError:
            info = None
        if is_special_file(info):
            try:
                self._raw = open(self.path, "wb")
            except OSError as exc:
                raise self._error("cannot open", exc) from None
            self._stream = self._raw
            return
        target = Path(self.path)
        mode = stat.S_IMODE(info.st_mode) if info is not None else new_file_mode()
        try:
            # Ctrl-C/SIGTERM are held while the temporary file is created and recorded, so that one
            # arriving just then cannot leave it behind: from the moment it exists, abort() removes it
            with signals_held():
                fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise self._error("cannot create", exc) from None
        try:
            os.fchmod(fd, mode)
            raw = os.fdopen(fd, "wb")
        except BaseException as exc:
            os.close(fd)
            self.abort()
            if isinstance(exc, OSError):
                raise self._error("cannot create", exc) from None
            raise
        self._raw = raw
        try:
            lower = self.path.lower()
            if compress and lower.endswith(".gz"):
                self._stream = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            elif compress and lower.endswith((".zst", ".zstd")):
                import zstandard

                self._stream = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)
            elif compress and lower.endswith(".bz2"):  # neither bz2 nor xz headers carry a timestamp
                import bz2

                self._stream = bz2.BZ2File(raw, "wb")
            elif compress and lower.endswith(".xz"):
                import lzma

                self._stream = lzma.LZMAFile(raw, "wb")
            else:
                self._stream = raw
        except BaseException:
            self._stream = raw
            self.abort()
            raise

    def _error(self, doing: str, exc: OSError) -> OutputWriteError:
        error = OutputWriteError(f"{self.path}: {doing}: {exc.strerror or exc}")
        error.errno = exc.errno
        return error

    def write(self, record: dict[str, Any]) -> None:
        self.write_lines(encode_line(record), 1)

    def write_lines(self, data: bytes, count: int) -> None:
        """Write ``count`` lines already made by `encode_line` (in another process), as they are."""
        try:
            self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error("cannot write", exc) from None
        self.count += count

    def finish(self) -> None:
        """Complete the file on disk (compressor closed, flushed, fsynced), not yet under its name."""
        if self._finished:
            return
        try:
            if self._raw is None:  # stdout
                self._stream.flush()
            else:
                if self._stream is not self._raw:
                    self._stream.close()
                self._raw.flush()
                if self._tmp is not None:
                    os.fsync(self._raw.fileno())
                self._raw.close()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error("cannot write", exc) from None
        self._finished = True

    def publish(self) -> None:
        """Move the finished file into place (a regular file; nothing to do for stdout or a device)."""
        self.finish()
        if self._tmp is not None:
            try:
                os.replace(self._tmp, self.path)
            except OSError as exc:
                raise self._error("cannot replace", exc) from None
            self._tmp = None

    def commit(self) -> None:
        """Finish the file and move it into place."""
        self.finish()
        self.publish()

    def abort(self) -> None:
        """Throw the partial output away (a device or stdout is just closed, or left open)."""
        try:
            if not self._finished and self._raw is not None:
                try:
                    if self._stream is not self._raw:
                        self._stream.close()
                except Exception:
                    pass
                self._raw.close()
        except OSError:
            pass
        finally:
            self._finished = True
            if self._tmp is not None:
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
        elif self._tmp is not None or not self._finished:
            self.commit()


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write one JSON document (a report, a profile) atomically (its directory must exist)."""
    payload = dumps_report(data)
    with AtomicJsonlWriter(path, compress=False) as writer:
        writer.write_lines(payload, 0)
