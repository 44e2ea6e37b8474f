"""Reading input into `Document`s, turning every unreadable record into a `Reject` instead of raising.

Inputs: a ``.txt`` file (one document, id = path without extension), a directory (walked in sorted order
for ``.txt``, ``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``), a JSONL file (plain, gzip or zstd) with one JSON
object per line, or ``-`` for JSONL on standard input (the CLI spools it to a file first so that corpus
passes can read it again).

Every input record ends up as exactly one `Document` or one `Reject`; files that are not inputs at all
(a ``.jpg`` in a directory) are reported through ``on_skip`` and produce neither.

This module deliberately does no cleaning: text is passed on exactly as decoded.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from arcorpus.document import Document, Reject
from arcorpus.io.encoding import DecodeFailure, decode_bytes

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".json.gz", ".jsonl.zstd")
TEXT_SUFFIXES = (".txt",)
DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20


class InputError(OSError):
    """An input path that cannot be used at all (does not exist, unsupported type)."""


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    max_json_depth: int = 64


Item = Document | Reject


def is_jsonl(path: str | Path) -> bool:
    return str(path).lower().endswith(JSONL_SUFFIXES)


def is_text(path: str | Path) -> bool:
    return str(path).lower().endswith(TEXT_SUFFIXES)


def expand_inputs(
    inputs: Sequence[str | Path], on_skip: Callable[[str, str], None] | None = None
) -> list[Path]:
    """The input files, in a deterministic order. Raises `InputError` for a path that does not exist."""
    files: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    child = Path(root) / name
                    if is_jsonl(child) or is_text(child):
                        files.append(child)
                    elif on_skip is not None:
                        on_skip(str(child), "not a .txt or .jsonl input file")
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


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
    opts = options or ReadOptions()
    name = str(path)
    if path.is_symlink() and not path.exists():
        yield Reject("broken_symlink", f"{name}: broken symbolic link", name)
        return
    if is_jsonl(path):
        yield from read_jsonl(path, opts)
    else:
        yield read_text_file(path, opts)


def text_id(path: Path) -> str:
    """A ``.txt`` document's id: its path without the extension, with forward slashes."""
    return path.with_suffix("").as_posix()


def read_text_file(path: Path, options: ReadOptions | None = None) -> Item:
    opts = options or ReadOptions()
    name = str(path)
    try:
        size = path.stat().st_size
        if size > opts.max_record_bytes:
            return Reject(
                "record_too_large",
                f"{name}: {size} bytes is more than the limit of {opts.max_record_bytes} (--max-record-bytes)",
                name,
                id=text_id(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        return Reject("unreadable_file", f"{name}: cannot read: {exc.strerror or exc}", name, id=text_id(path))
    try:
        text, encoding = decode_bytes(data)
    except DecodeFailure as exc:
        return Reject(exc.reason, f"{name}: {exc.message}", name, id=text_id(path))
    if not text.strip():
        return Reject("empty_text", f"{name}: the document has no text", name, id=text_id(path))
    meta: dict[str, Any] = {"encoding": encoding} if encoding != "utf-8" else {}
    return Document(id=text_id(path), text=_normalize_newlines(text), metadata=meta, origin=name)


def _normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _open_binary(path: Path) -> IO[bytes]:
    lower = str(path).lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "rb")
    if lower.endswith((".zst", ".zstd")):
        import zstandard

        raw = open(path, "rb")  # noqa: SIM115 - closed through the stream reader
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))  # type: ignore[arg-type]
    return open(path, "rb")


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Yield ``(line, size)``; a line longer than ``limit`` is skipped in chunks and yielded as ``None``."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        while True:
            chunk = stream.readline(_CHUNK)
            size += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
        yield None, size


def _depth_ok(obj: Any, max_depth: int) -> bool:
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return True


def parse_jsonl_line(raw: bytes, source: str, lineno: int, options: ReadOptions) -> Item | None:
    """One JSONL line to a `Document` or a `Reject`; ``None`` for a blank line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Reject("invalid_utf8", f"{source}:{lineno}: invalid UTF-8 at byte {exc.start}", source, lineno)
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except RecursionError:
        return Reject("too_deeply_nested", f"{source}:{lineno}: JSON nested too deeply", source, lineno)
    except ValueError as exc:
        return Reject("malformed_json", f"{source}:{lineno}: not valid JSON: {exc}", source, lineno)
    if not isinstance(obj, dict):
        return Reject(
            "not_an_object", f"{source}:{lineno}: expected a JSON object, got {type(obj).__name__}", source, lineno
        )
    if not _depth_ok(obj, options.max_json_depth):
        return Reject("too_deeply_nested", f"{source}:{lineno}: JSON nested too deeply", source, lineno)
    raw_id = obj.get(options.id_field)
    doc_id = str(raw_id) if raw_id is not None and not isinstance(raw_id, (dict, list)) else f"{source}:{lineno}"
    if options.text_field not in obj:
        return Reject(
            "missing_text",
            f"{source}:{lineno}: no {options.text_field!r} field (--text-field)",
            source,
            lineno,
            id=doc_id,
        )
    text = obj[options.text_field]
    if not isinstance(text, str):
        return Reject(
            "text_not_string",
            f"{source}:{lineno}: field {options.text_field!r} is {type(text).__name__}, not a string",
            source,
            lineno,
            id=doc_id,
        )
    if not text.strip():
        return Reject("empty_text", f"{source}:{lineno}: the document has no text", source, lineno, id=doc_id)
    meta = {k: v for k, v in obj.items() if k not in (options.text_field, options.id_field)}
    return Document(
        id=doc_id, text=_normalize_newlines(text), metadata=meta, origin=source, origin_line=lineno
    )


def read_jsonl(path: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    opts = options or ReadOptions()
    name = str(path)
    try:
        stream = _open_binary(path)
    except OSError as exc:
        yield Reject("unreadable_file", f"{name}: cannot open: {exc.strerror or exc}", name)
        return
    yield from read_jsonl_stream(stream, name, opts)


def read_jsonl_stream(stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    opts = options or ReadOptions()
    lineno = 0
    seen_any = False
    with stream:
        try:
            for raw, size in _bounded_lines(stream, opts.max_record_bytes):
                lineno += 1
                if raw is None:
                    yield Reject(
                        "record_too_large",
                        f"{name}:{lineno}: line of {size} bytes is over the limit of "
                        f"{opts.max_record_bytes} (--max-record-bytes)",
                        name,
                        lineno,
                    )
                    seen_any = True
                    continue
                item = parse_jsonl_line(raw, name, lineno, opts)
                if item is not None:
                    seen_any = True
                    yield item
        except (EOFError, OSError, ValueError) as exc:
            # zstandard raises ZstdError (a subclass of Exception) for corrupt frames; catch below too.
            yield Reject("truncated_stream", f"{name}: compressed stream ends early or is corrupt: {exc}", name, lineno)
            return
        except Exception as exc:  # noqa: BLE001 - third-party decompressors raise their own types
            if type(exc).__module__.startswith("zstandard"):
                yield Reject("truncated_stream", f"{name}: compressed stream is corrupt: {exc}", name, lineno)
                return
            raise
    if not seen_any:
        yield Reject("empty_file", f"{name}: the file holds no records", name)
