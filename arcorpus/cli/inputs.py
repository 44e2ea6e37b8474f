"""The input paths of a subcommand as a re-readable source (stdin and pipes spooled to a file first)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from arcorpus.document import Document, Reject
from arcorpus.io.formats import holds_many
from arcorpus.io.readers import RawRecord, ReadOptions, expand_inputs, read_file, read_file_deferred
from arcorpus.outcome import Item


class Inputs:
    """The input paths as a re-readable source; stdin is spooled to a temporary file first."""

    def __init__(self, paths: Sequence[str], options: ReadOptions) -> None:
        self.options = options
        self.skipped: list[dict[str, str]] = []
        self._tmpdir: str | None = None
        self._spooled: dict[str, str] = {}
        resolved: list[str] = []
        for path in paths:
            if path == "-" or _is_pipe(path):
                self._tmpdir = self._tmpdir or tempfile.mkdtemp(prefix="arcorpus-stdin-")
                spool = os.path.join(self._tmpdir, f"stdin-{len(resolved)}.jsonl")
                with open(spool, "wb") as fh:
                    if path == "-":
                        shutil.copyfileobj(sys.stdin.buffer, fh)
                    else:
                        with open(path, "rb") as pipe:
                            shutil.copyfileobj(pipe, fh)
                self._spooled[spool] = path
                resolved.append(spool)
            else:
                resolved.append(path)
        self.files = expand_inputs(resolved, self._skip)
        self._stdin_names = {str(p): self._spooled[str(p)] for p in self.files if str(p) in self._spooled}

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
        for item in read_file(path, self.options):
            if isinstance(item, Document) and item.origin in self._stdin_names:
                name = self._stdin_names[item.origin]
                if item.id.startswith(item.origin + ":"):
                    item = dataclasses.replace(item, id=name + item.id[len(item.origin) :])
                item = dataclasses.replace(item, origin=name)
            elif isinstance(item, Reject) and item.source in self._stdin_names:
                name = self._stdin_names[item.source]
                item = dataclasses.replace(
                    item,
                    source=name,
                    message=item.message.replace(item.source, name),
                    id=item.id.replace(item.source, name) if item.id else item.id,
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
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)


def _is_pipe(path: str) -> bool:
    """A named pipe or character device (``<(zcat x.gz)``): read once, so it is spooled like stdin."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def is_multi(path: Path) -> bool:
    return holds_many(path)
