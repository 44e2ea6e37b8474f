"""The input paths of a subcommand as a re-readable source (stdin and pipes spooled to a file first)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import sys
import tempfile
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import IO

from arcorpus.document import Document, Reject
from arcorpus.io.encoding import looks_binary
from arcorpus.io.formats import holds_many
from arcorpus.io.jsonl import read_jsonl
from arcorpus.io.readers import RawRecord, ReadOptions, expand_inputs, read_file, read_file_deferred
from arcorpus.outcome import Item


class Inputs:
    """The input paths as a re-readable source; stdin is spooled to a temporary file first."""

    def __init__(
        self, paths: Sequence[str], options: ReadOptions, exclude: Collection[tuple[int, int]] = frozenset()
    ) -> None:
        self.options = options
        self.skipped: list[dict[str, str]] = []
        self._spools: list[IO[bytes]] = []
        self._named: list[str] = []
        self._spooled: dict[str, str] = {}
        resolved: list[str] = []
        try:
            for path in paths:
                if path == "-" or _is_pipe(path):
                    spool = self._spool(path)
                    self._spooled[spool] = path
                    resolved.append(spool)
                else:
                    resolved.append(path)
        except BaseException:  # Ctrl-C or an error while spooling: nothing is left behind
            self.close()
            raise
        self.files = expand_inputs(resolved, self._skip, exclude)
        self._stdin_names = {str(p): self._spooled[str(p)] for p in self.files if str(p) in self._spooled}

    def _spool(self, path: str) -> str:
        """Copy stdin or a pipe into an anonymous temporary file (unlinked at once: nothing is left on
        disk, even after SIGKILL) and return a path that reopens it (``/proc/PID/fd/N``) while we run."""
        spool = tempfile.TemporaryFile(prefix="arcorpus-stdin-")
        self._spools.append(spool)
        if path == "-":
            copy_bounded(sys.stdin.buffer, spool, self.options.max_record_bytes)
        else:
            with open(path, "rb") as pipe:
                copy_bounded(pipe, spool, self.options.max_record_bytes)
        spool.flush()
        reopen = f"/proc/{os.getpid()}/fd/{spool.fileno()}"
        if os.path.exists(reopen):
            return reopen
        # no /proc (not Linux): a named copy, removed by close()
        named = tempfile.NamedTemporaryFile(prefix="arcorpus-stdin-", suffix=".jsonl", delete=False)
        self._named.append(named.name)
        with named:
            spool.seek(0)
            while block := spool.read(_BLOCK):
                named.write(block)
        return named.name

    @property
    def local_only(self) -> bool:
        """Some input was spooled from stdin or a pipe: it exists on this machine only (the Dask engine
        then reads every input here, through this object, instead of on its workers)."""
        return bool(self._stdin_names)

    def _skip(self, path: str, reason: str) -> None:
        self.skipped.append({"path": path, "reason": reason})

    def __call__(self) -> Iterator[Item]:
        for path in self.files:
            yield from self._read(path)

    def deferred(self) -> Iterator[Item | RawRecord]:
        """Like calling the source, but JSONL records come unparsed (`RawRecord`), to be parsed by
        whichever process cleans them (`arcorpus.run.local` parses them in its workers)."""
        for path in self.files:
            if str(path) in self._stdin_names:  # ids and origins are renamed after parsing
                yield from self._read(path)
            else:
                yield from read_file_deferred(path, self.options)

    def _read(self, path: Path) -> Iterator[Item]:
        spooled = str(path) in self._stdin_names  # stdin and pipes are JSONL, whatever their name
        for item in read_jsonl(path, self.options) if spooled else read_file(path, self.options):
            if isinstance(item, Document) and item.origin in self._stdin_names:
                name = self._stdin_names[item.origin]
                if isinstance(item.id, str) and item.id.startswith(item.origin + ":"):
                    item = dataclasses.replace(item, id=name + item.id[len(item.origin) :])
                item = dataclasses.replace(item, origin=name)
            elif isinstance(item, Reject) and item.source in self._stdin_names:
                name = self._stdin_names[item.source]
                item = dataclasses.replace(
                    item,
                    source=name,
                    message=item.message.replace(item.source, name),
                    id=item.id.replace(item.source, name) if isinstance(item.id, str) else item.id,
                )
            yield item

    def total_bytes(self) -> int:
        total = 0
        for path in self.files:
            try:
                total += path.stat().st_size
            except OSError:
                pass
        return total

    def close(self) -> None:
        for spool in self._spools:
            spool.close()
        self._spools.clear()
        for name in self._named:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
        self._named.clear()


def copy_bounded(source: IO[bytes], target: IO[bytes], max_record_bytes: int) -> None:
    """Copy a stream that can be read only once, keeping at most ``max_record_bytes + 1`` bytes of any one
    line (the reader rejects such a line as ``record_too_large`` all the same), and stopping after the
    first block when the stream is binary (``/dev/zero``, a zip piped in: one ``binary_file`` reject).
    The copy is therefore never much larger than the records it can hold."""
    head = source.read(_BLOCK)
    if looks_binary(head) and not head.lstrip().startswith((b"{", b"[")):
        target.write(head)
        return
    line = 0  # bytes of the current line so far (written or dropped)
    block = head
    while block:
        copy = _copy_block if max_record_bytes >= _BLOCK else _copy_lines
        line = copy(block, target, max_record_bytes, line)
        block = source.read(_BLOCK)


def _copy_block(block: bytes, target: IO[bytes], limit: int, line: int) -> int:
    """A few operations per block: with ``limit`` at least a block, only the line that began in an
    earlier block can grow past it (the complete lines inside one block are shorter)."""
    end = block.find(b"\n")
    if end < 0:
        target.write(block[: max(0, limit + 1 - line)])
        return line + len(block)
    keep = max(0, limit + 1 - line)
    if keep < end:
        target.write(block[:keep] + b"\n")  # the end of a line cut short
    else:
        target.write(block[: end + 1])
    rest = block[end + 1 :]
    target.write(rest)
    return len(rest) - (rest.rfind(b"\n") + 1)


def _copy_lines(block: bytes, target: IO[bytes], limit: int, line: int) -> int:
    """Line by line (a small ``--max-record-bytes``)."""
    start = 0
    while start < len(block):
        end = block.find(b"\n", start)
        stop = len(block) if end < 0 else end + 1
        keep = min(stop - start, max(0, limit + 1 - line))
        if keep:
            target.write(block[start : start + keep])
        if end >= 0 and keep < stop - start:
            target.write(b"\n")  # the end of a line cut short
        line = 0 if end >= 0 else line + (stop - start)
        start = stop
    return line


_BLOCK = 1 << 20


def _is_pipe(path: str) -> bool:
    """A named pipe or character device (``<(zcat x.gz)``): read once, so it is spooled like stdin."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def is_multi(path: Path) -> bool:
    return holds_many(path)
