"""JSONL input: one JSON object a line, plain or compressed, in bounded memory; every bad line a `Reject`.

`read_jsonl` parses every line; `read_jsonl_deferred` yields the non-blank lines unparsed (`RawRecord`),
for the process that cleans them to parse (`RawRecord.parse`). Lone UTF-16 surrogates from ``\\udXXX``
escapes (which no encoder can write) become U+FFFD, recorded as a change of the ``read`` step.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from arcorpus.document import ADDED_KEY, Change, DocId, Document, Reject
from arcorpus.io.compression import CHUNK, open_binary
from arcorpus.io.encoding import looks_binary
from arcorpus.io.formats import is_compressed
from arcorpus.io.options import ReadOptions
from arcorpus.io.text import normalize_newlines

Item = Document | Reject
T = TypeVar("T")

_JSON_WHITESPACE = b" \t\r\n"  # only these make a blank line; a line of other controls is a bad record
_BLANK_STARTS = frozenset([b"", *(bytes([c]) for c in _JSON_WHITESPACE)])
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UTF8_BOM = b"\xef\xbb\xbf"


class NotANumber(ValueError):
    """NaN, Infinity or a number too large for a double: not JSON (RFC 8259), or not writable back
    (raised by `STRICT_DECODER`; every JSON reader turns it into an ``invalid_number`` reject)."""


def _constant(name: str) -> Any:
    raise NotANumber(f"{name} is not a JSON number (RFC 8259); the record cannot be written back as JSON")


def _float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise NotANumber(f"the number {text[:40]} is too large to read (more than a double holds)")
    return value


STRICT_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float)
"""`json.loads` (the same C scanner), rejecting what would not be written back as the same valid JSON:
the decoder of JSON lines and JSON arrays alike."""


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A non-blank JSONL line read but not parsed yet (see `read_jsonl_deferred`).

    Parsing (JSON decoding, field checks) is most of the cost of reading; deferring it lets the process
    that cleans the record parse it, so a driver feeding worker processes only reads bytes. `parse` gives
    exactly what `read_jsonl` would have yielded for the line.

    A line of an uncompressed file also knows where it is (``offset``): pickled for another process, it
    travels as (file, offset, size) and that process reads the bytes itself, so a driver does not copy
    the corpus through its pipes. A file that changed in between gives an ``input_changed`` reject.
    """

    data: bytes
    source: str
    lineno: int
    options: ReadOptions
    offset: int = -1
    """Byte offset of the line in ``source`` (an uncompressed regular file), else -1."""

    def parse(self) -> Item:
        item = parse_jsonl_line(self.data, self.source, self.lineno, self.options)
        if item is None:  # pragma: no cover - blank lines are never deferred
            raise ValueError(f"{self.source}:{self.lineno}: a blank line was deferred")
        return item

    def __reduce__(self) -> tuple[Any, ...]:
        if self.offset < 0:
            return (RawRecord, (self.data, self.source, self.lineno, self.options))
        return (_record_at, (self.source, self.offset, len(self.data), self.lineno, self.options))


class _ChangedRecord(RawRecord):
    """A `RawRecord` whose bytes were no longer in its file when they were read by reference."""

    def parse(self) -> Item:
        return Reject(
            "input_changed",
            f"{self.source}:{self.lineno}: the file changed while it was being read (the record is gone)",
            self.source,
            self.lineno,
        )


_OPEN: dict[str, int] = {}
"""Descriptors of the files `_record_at` reads, per process (a few; closed when the process ends)."""
_MAX_OPEN = 32


def _record_at(source: str, offset: int, size: int, lineno: int, options: ReadOptions) -> RawRecord:
    """Unpickle a by-reference `RawRecord`: read its line from the file."""
    fd = _OPEN.get(source)
    if fd is None:
        if len(_OPEN) >= _MAX_OPEN:
            os.close(_OPEN.pop(next(iter(_OPEN))))
        fd = _OPEN[source] = os.open(source, os.O_RDONLY)
    parts = []
    at, left = offset, size
    while left > 0:
        chunk = os.pread(fd, left, at)
        if not chunk:
            break
        parts.append(chunk)
        at += len(chunk)
        left -= len(chunk)
    data = b"".join(parts)
    if len(data) != size or not data.strip(_JSON_WHITESPACE):
        return _ChangedRecord(data, source, lineno, options)
    return RawRecord(data, source, lineno, options, offset)


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Yield ``(line, size)``; a line longer than ``limit`` is skipped in chunks and yielded as ``None``."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if line.endswith(b"\n") or len(line) <= limit:
            yield line, len(line)
            continue
        size = len(line)
        del line
        while True:
            chunk = stream.readline(CHUNK)
            size += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
        yield None, size


def _depth_ok(obj: Any, max_depth: int) -> bool:
    """Whether ``obj`` (a `json.loads` result) nests at most ``max_depth`` levels (a scalar is one level).

    Fast path for the usual record, an object of scalars: one C-speed pass over the types of its values.
    It relies on `json.loads` building exact dicts and lists (it does not look for their subclasses)."""
    if max_depth >= 2 and type(obj) is dict and {*map(type, obj.values())}.isdisjoint((dict, list)):
        return True
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


def _scrub_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD, and how many."""
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        total = 0
        items = []
        for v in value:
            v, n = _scrub_surrogates(v)
            items.append(v)
            total += n
        return items, total
    if isinstance(value, dict):
        total = 0
        out = {}
        for k, v in value.items():
            k, nk = _scrub_surrogates(k)
            v, nv = _scrub_surrogates(v)
            out[k] = v
            total += nk + nv
        return out, total
    return value, 0


def parse_jsonl_line(raw: bytes, source: str, lineno: int, options: ReadOptions) -> Item | None:
    """One JSONL line to a `Document` or a `Reject`; ``None`` for a blank line."""
    where = f"{source}:{lineno}"
    if raw[:1] in _BLANK_STARTS and not raw.strip(_JSON_WHITESPACE):  # no stripped copy of a record
        return None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Reject(
            "invalid_utf8",
            f"{where}: invalid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start}); "
            "JSONL must be UTF-8",
            source,
            lineno,
        )
    if b"\x00" in raw:  # a NUL byte in UTF-8 is only ever U+0000
        return Reject(
            "nul_byte",
            f"{where}: raw NUL byte at column {line.index(chr(0))} (not allowed in JSON)",
            source,
            lineno,
        )
    try:
        # JSON allows trailing "\r\n", so a valid line parses as is, without a stripped copy; an invalid
        # one is parsed again stripped so that error positions are those of the line without its end.
        obj = STRICT_DECODER.decode(line)
    except RecursionError:
        return Reject("too_deeply_nested", f"{where}: JSON nested too deeply", source, lineno)
    except NotANumber as exc:
        return Reject("invalid_number", f"{where}: {exc}", source, lineno)
    except ValueError:
        try:
            obj = STRICT_DECODER.decode(line.rstrip("\r\n"))
        except RecursionError:
            return Reject("too_deeply_nested", f"{where}: JSON nested too deeply", source, lineno)
        except NotANumber as exc:  # pragma: no cover - found by the first parse
            return Reject("invalid_number", f"{where}: {exc}", source, lineno)
        except ValueError as exc:
            return Reject("malformed_json", f"{where}: not valid JSON: {exc}", source, lineno)
    return json_item(obj, source, lineno, options, where, scrub=_SURROGATE_ESCAPE.search(raw) is not None)


def json_item(
    obj: Any, source: str, lineno: int, options: ReadOptions, where: str, *, scrub: bool = False
) -> Item:
    """One decoded JSON value (a JSONL line, an element of a JSON array) to a `Document` or `Reject`."""
    if not isinstance(obj, dict):
        return Reject(
            "not_an_object", f"{where}: expected a JSON object, got {_json_type(obj)}", source, lineno
        )
    if not _depth_ok(obj, options.max_json_depth):
        return Reject(
            "too_deeply_nested",
            f"{where}: JSON nested deeper than {options.max_json_depth} levels",
            source,
            lineno,
        )
    return record_item(obj, source, lineno, options, where, scrub=scrub)


def record_item(
    obj: dict[str, Any], source: str, lineno: int, options: ReadOptions, where: str, *, scrub: bool = False
) -> Item:
    """One parsed record (a JSON object, a Parquet row: ``obj`` is consumed) to a `Document` or `Reject`.

    The one place where every format's records get their id, text and metadata. ``where`` names the
    record in messages (``file:line``; also the id of a record without one); ``scrub``: replace lone
    surrogates in its strings (they may come from ``\\udXXX`` escapes), recorded as a ``read`` change."""
    changes: tuple[Change, ...] = ()
    if scrub:
        obj, replaced = _scrub_surrogates(obj)
        if replaced:
            changes = (Change("read", "read.lone_surrogate", "rewrite", after="\ufffd", count=replaced),)
    raw_id = obj.get(options.id_field)
    doc_id: DocId = where if raw_id is None else raw_id  # null counts as no id
    if isinstance(raw_id, (dict, list)):
        return Reject(
            "invalid_id",
            f"{where}: field {options.id_field!r} is {_json_type(raw_id)}; an id must be a string, number or "
            "boolean (name another field with --id-field)",
            source,
            lineno,
        )
    added: dict[str, Any] = {}
    earlier = obj.get(ADDED_KEY) if ADDED_KEY not in (options.text_field, options.id_field) else None
    if earlier is not None:
        # arcorpus's own output read back in (a second pass, a format conversion): its "arcorpus" object is
        # what an earlier run added, so it is arcorpus's to update, not an input field to keep as is
        if not isinstance(earlier, dict):
            return Reject(
                "reserved_field",
                f"{where}: field {ADDED_KEY!r} is {_json_type(earlier)}; arcorpus writes what it adds there "
                f"(an object); rename the input's field first, e.g. jq -c 'del(.{ADDED_KEY})'",
                source,
                lineno,
                id=doc_id,
            )
        # the changes describe another text; a null is a field the row did not have (a Parquet struct)
        added = {k: v for k, v in obj.pop(ADDED_KEY).items() if k != "changes" and v is not None}
    if options.text_field not in obj:
        return Reject(
            "missing_text",
            f"{where}: no {options.text_field!r} field (--text-field)",
            source,
            lineno,
            id=doc_id,
        )
    text = obj[options.text_field]
    if not isinstance(text, str):
        return Reject(
            "text_not_string",
            f"{where}: field {options.text_field!r} is {_json_type(text)}, not a string",
            source,
            lineno,
            id=doc_id,
        )
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        return Reject("empty_text", f"{where}: the document has no text", source, lineno, id=doc_id)
    meta = obj  # json.loads' own dict (or its scrubbed copy), shared with no one: emptied in place
    del meta[options.text_field]
    meta.pop(options.id_field, None)
    return Document(
        id=doc_id,
        text=normalize_newlines(text),
        metadata=meta,
        changes=changes,
        origin=source,
        origin_line=lineno,
        added=added,
    )


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def read_jsonl(path: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """The documents and rejects of a JSONL file, every line parsed."""
    opts = options or ReadOptions()
    name = str(path)
    return _read(path, lambda stream: read_jsonl_stream(stream, name, opts))


def read_jsonl_deferred(path: Path, options: ReadOptions | None = None) -> Iterator[Item | RawRecord]:
    """`read_jsonl`, but records come unparsed (`RawRecord`); file-level problems (binary, truncated,
    oversize lines, no records) are still found here. Lines of an uncompressed file carry their offset."""
    opts = options or ReadOptions()
    name = str(path)
    offsets = not is_compressed(name)
    return _read(path, lambda stream: read_jsonl_stream_deferred(stream, name, opts, offsets=offsets))


def _read(path: Path, records: Callable[[IO[bytes]], Iterator[T]]) -> Iterator[T | Reject]:
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield Reject("not_a_file", f"{name}: not a regular file (a device, socket or pipe)", name)
            return
        stream = open_binary(path)
    except OSError as exc:
        yield Reject("unreadable_file", f"{name}: cannot open: {exc.strerror or exc}", name)
        return
    yield from records(stream)


def read_jsonl_stream(stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """The records of a JSONL byte stream (closed at the end). A stream that breaks off (truncated gzip or
    zstd, an I/O error) yields the records before the break and then one ``truncated_stream`` reject."""
    opts = options or ReadOptions()
    return _records(stream, name, opts, lambda raw, lineno, at: parse_jsonl_line(raw, name, lineno, opts))


def read_jsonl_stream_deferred(
    stream: IO[bytes], name: str, options: ReadOptions | None = None, *, offsets: bool = False
) -> Iterator[Item | RawRecord]:
    """`read_jsonl_stream` with the non-blank lines as `RawRecord`, unparsed; ``offsets``: with their byte
    offsets (``stream`` is ``name`` opened as an uncompressed file, read from its start)."""
    opts = options or ReadOptions()

    def record(raw: bytes, lineno: int, at: int) -> RawRecord | None:
        if raw.strip(_JSON_WHITESPACE):
            return RawRecord(raw, name, lineno, opts, at if offsets else -1)
        return None

    return _records(stream, name, opts, record)


def _records(
    stream: IO[bytes], name: str, opts: ReadOptions, make: Callable[[bytes, int, int], T | None]
) -> Iterator[T | Reject]:
    """The loop shared by both stream readers: ``make(line, line number, offset)`` turns a line into an
    item (``None`` for a blank line)."""
    lineno = 0
    seen_any = False
    with stream:
        try:
            head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
            if looks_binary(head) and not head.lstrip().startswith((b"{", b"[")):
                yield Reject("binary_file", f"{name}: the file looks binary (control bytes), not JSONL", name)
                return
            position = 0
            for raw, size in _bounded_lines(stream, opts.max_record_bytes):
                lineno += 1
                at, position = position, position + size
                if lineno == 1 and raw is not None and raw.startswith(_UTF8_BOM):
                    raw, at = raw[len(_UTF8_BOM) :], at + len(_UTF8_BOM)  # a BOM is not part of the record
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
                item = make(raw, lineno, at)
                if item is not None:
                    seen_any = True
                    yield item
        except Exception as exc:
            if not isinstance(exc, (EOFError, OSError, ValueError)) and not type(exc).__module__.startswith(
                ("zstandard", "zlib", "gzip", "_compression", "bz2", "lzma")
            ):
                raise
            yield Reject(
                "truncated_stream",
                f"{name}: the stream breaks off after line {lineno} (truncated or corrupt): {exc}",
                name,
                lineno + 1,
            )
            return
    if not seen_any:
        yield Reject("empty_file", f"{name}: the file holds no records", name)
