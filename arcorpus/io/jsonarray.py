"""JSON arrays (``[{...}, {...}]``, what ``json.dump(list_of_records)`` writes): read streaming, written
by `JsonArrayWriter`.

Reading never holds more than one element (plus a read-ahead chunk): elements are decoded one at a time
with `json.JSONDecoder.raw_decode` from a buffer that grows (doubling) only while an element is longer
than it, up to ``max_record_bytes``. Element ``n`` (1-based) is "line" ``n`` of the file in documents and
rejects (``file.json:3`` is the third element). A file that is not a well-formed array after some element
yields the elements before and one ``malformed_json`` reject (JSON cannot resynchronise after an error).

Writing: the records arrive as JSON lines (`arcorpus.io.writers.encode_line`, possibly made in another
process); each line becomes one element, so a JSON array output holds the same bytes per record as JSONL.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from arcorpus.document import Reject
from arcorpus.io.compression import open_binary
from arcorpus.io.jsonl import STRICT_DECODER, Item, NotANumber, json_item
from arcorpus.io.options import ReadOptions
from arcorpus.io.writers import AtomicJsonlWriter, encode_line

T = TypeVar("T")
_CHUNK = 1 << 20
_WS = " \t\r\n"
_SURROGATE_ESCAPE = ("\\ud8", "\\ud9", "\\uda", "\\udb", "\\udc", "\\udd", "\\ude", "\\udf")


class _Buffer:
    """Decoded text read ahead from a byte stream, consumed from ``pos``."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.consumed = 0
        """Characters before ``text[0]`` (for messages)."""
        self.bytes_read = 0
        self.bad_utf8: str | None = None
        """Where the bytes stopped being UTF-8 (the text ends there: the stream is read no further)."""

    def fill(self, at_least: int = _CHUNK) -> bool:
        """Read at least ``at_least`` more bytes (or to the end); False when the stream had ended."""
        if self.eof:
            return False
        self.consumed += self.pos
        parts = [self.text[self.pos :]]
        self.pos = 0
        wanted = max(at_least, _CHUNK)
        while wanted > 0:
            data = self.stream.read(wanted)
            if not data:
                parts.append(self.decoder.decode(b"", final=True))
                self.eof = True
                break
            wanted -= len(data)
            try:
                parts.append(self.decoder.decode(data))
            except UnicodeDecodeError as exc:  # the text before the bad byte is still read
                parts.append(exc.object[: exc.start].decode("utf-8"))
                at = self.bytes_read + len(data) - len(exc.object) + exc.start
                self.bad_utf8 = f"byte 0x{exc.object[exc.start]:02x} at offset {at}"
                self.eof = True
                break
            self.bytes_read += len(data)
        self.text = "".join(parts)
        return True

    def skip_ws(self) -> str:
        """The next non-whitespace character (not consumed), or ``""`` at the end of the stream."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.fill():
                return ""

    def pending(self) -> int:
        return len(self.text) - self.pos


def looks_like_array(stream: IO[bytes]) -> bool:
    """Whether a (peekable) JSON stream starts with ``[`` after whitespace: an array, not JSON lines."""
    peek = getattr(stream, "peek", None)
    head = peek(4096)[:4096] if peek is not None else b""
    return head.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"["


def read_json_array(stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """The documents and rejects of the JSON array in ``stream`` (closed at the end)."""
    opts = options or ReadOptions()
    index = 0
    with stream:
        buf = _Buffer(stream)
        try:
            if buf.skip_ws() == "\ufeff":
                buf.pos += 1
            if buf.skip_ws() != "[":
                yield Reject("malformed_json", f"{name}: not a JSON array", name)
                return
            buf.pos += 1
            first = True
            while True:
                ch = buf.skip_ws()
                if ch == "]" and first:
                    buf.pos += 1
                    break
                if not first:
                    if ch == "]":
                        buf.pos += 1
                        break
                    if ch != ",":
                        yield _malformed(buf, name, index + 1, f"expected ',' or ']' after element {index}")
                        return
                    buf.pos += 1
                    buf.skip_ws()
                first = False
                index += 1
                item, last = _element(buf, name, index, opts)
                yield item
                if last:
                    return
            if buf.skip_ws() or buf.bad_utf8:
                yield _malformed(buf, name, index + 1, "text after the end of the array")
                return
        except (EOFError, OSError, ValueError) as exc:  # a truncated or corrupt compressed stream
            yield Reject(
                "truncated_stream",
                f"{name}: the stream breaks off after element {index} (truncated or corrupt): {exc}",
                name,
                index + 1,
            )
            return
    if index == 0:
        yield Reject("empty_file", f"{name}: the file holds no records (an empty array)", name)


def _element(buf: _Buffer, name: str, index: int, options: ReadOptions) -> tuple[Item, bool]:
    """The next element as a document or reject, and whether reading must stop there (JSON cannot find
    the next element after one it could not parse)."""
    where = f"{name}:{index}"
    while True:
        invalid: NotANumber | None = None
        try:
            try:
                obj, end = STRICT_DECODER.raw_decode(buf.text, buf.pos)
            except NotANumber as exc:  # NaN, Infinity, 1e400: not JSON, rejected as the JSONL reader does;
                invalid = exc  # the lenient decoder finds where the element ends (only it is skipped)
                obj, end = _LENIENT.raw_decode(buf.text, buf.pos)
        except RecursionError:
            rest = "; the rest of the file is not read"
            return Reject("too_deeply_nested", f"{where}: JSON nested too deeply{rest}", name, index), True
        except json.JSONDecodeError as exc:
            if buf.eof or buf.pending() > options.max_record_bytes:
                if not buf.eof:
                    return Reject(
                        "record_too_large",
                        f"{where}: element over the limit of {options.max_record_bytes} characters "
                        "(--max-record-bytes); the rest of the file is not read",
                        name,
                        index,
                    ), True
                return _malformed(buf, name, index, f"element {index} is not valid JSON: {_why(exc)}"), True
            buf.fill(buf.pending())  # double the read-ahead: linear however long the element
            continue
        if end == len(buf.text) and not buf.eof:  # a number or literal may go on in the next chunk
            buf.fill(buf.pending())
            continue
        size = end - buf.pos
        if size > options.max_record_bytes:
            buf.pos = end
            return Reject(
                "record_too_large",
                f"{where}: element of {size} characters is over the limit of "
                f"{options.max_record_bytes} (--max-record-bytes)",
                name,
                index,
            ), False
        raw = buf.text[buf.pos : end]
        buf.pos = end
        if invalid is not None:
            return Reject("invalid_number", f"{where}: {invalid}", name, index), False
        scrub = "\\u" in raw and any(s in raw.lower() for s in _SURROGATE_ESCAPE)
        return json_item(obj, name, index, options, where, scrub=scrub), False


_LENIENT = json.JSONDecoder()
"""Python's own decoder (NaN, Infinity): only to find the end of an element `STRICT_DECODER` refused."""


def _why(exc: json.JSONDecodeError) -> str:
    if exc.msg.startswith("Invalid control character") and exc.pos < len(exc.doc):
        return f"raw control character U+{ord(exc.doc[exc.pos]):04X} in a string (JSON needs it escaped)"
    return exc.msg


def _malformed(buf: _Buffer, name: str, line: int, what: str) -> Reject:
    """The array breaks off here: ``what`` went wrong, or (when that is why) the bytes stopped being UTF-8."""
    if buf.bad_utf8:
        return Reject(
            "invalid_utf8",
            f"{name}: invalid UTF-8 ({buf.bad_utf8}) in element {line}; JSON must be UTF-8; "
            "the rest of the file is not read",
            name,
            line,
        )
    return Reject("malformed_json", f"{name}: {what}; the rest of the file is not read", name, line)


def read_json_file(path: Path, options: ReadOptions, lines: Callable[[], Iterator[T]]) -> Iterator[T | Item]:
    """A ``.json`` file: its JSON array when it starts with ``[``, else ``lines()`` (it is JSON lines).

    A file that cannot be opened or peeked at is left to ``lines()``, which says why in its reject."""
    try:
        stream = open_binary(path)
    except OSError:
        yield from lines()
        return
    try:
        array = looks_like_array(stream)
    except (EOFError, OSError, ValueError):
        array = False
    if not array:
        stream.close()
        yield from lines()
        return
    yield from read_json_array(stream, str(path), options)


class JsonArrayWriter(AtomicJsonlWriter):
    """`AtomicJsonlWriter` that writes one JSON array (one element a line) instead of JSON lines."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._started = False
        self._closed = False

    def write(self, record: dict[str, Any]) -> None:
        self.write_lines(encode_line(record), 1)

    def write_lines(self, data: bytes, count: int) -> None:
        if not count:
            return
        body = data.rstrip(b"\n").replace(b"\n", b",\n")
        super().write_lines((b",\n" if self._started else b"[\n") + body, count)
        self._started = True

    def finish(self) -> None:
        # trustio (issue 14): the array is closed when the file is finished (RunOutputs finishes every
        # file before renaming any); commit() = finish() + publish()
        if not self._closed:
            super().write_lines(b"\n]\n" if self._started else b"[]\n", 0)
            self._closed = True
        super().finish()
