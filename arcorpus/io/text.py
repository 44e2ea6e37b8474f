"""A ``.txt`` input file as one document, its encoding decided by evidence (`arcorpus.io.encoding`)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from arcorpus.document import Document, Reject
from arcorpus.io.encoding import DecodeFailure, decode_bytes
from arcorpus.io.meter import open_input
from arcorpus.io.options import ReadOptions

Item = Document | Reject


def text_id(path: Path) -> str:
    """A ``.txt`` document's id: its path without the extension, with forward slashes."""
    return path.with_suffix("").as_posix()


def read_text_file(path: Path, options: ReadOptions | None = None) -> Item:
    """One ``.txt`` file as one document, its encoding detected (kept in ``added['encoding']``, output as
    ``arcorpus.encoding``, unless it is plain UTF-8)."""
    opts = options or ReadOptions()
    name = str(path)
    doc_id = text_id(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Reject(
                "not_a_file", f"{name}: not a regular file (a device, socket or pipe)", name, id=doc_id
            )
        if info.st_size > opts.max_record_bytes:
            return Reject(
                "record_too_large",
                f"{name}: {info.st_size} bytes is more than the limit of {opts.max_record_bytes} "
                "(--max-record-bytes)",
                name,
                id=doc_id,
            )
        with open_input(path, 1 << 16) as fh:
            data = fh.read(opts.max_record_bytes + 1)
    except OSError as exc:
        return Reject("unreadable_file", f"{name}: cannot read: {exc.strerror or exc}", name, id=doc_id)
    if len(data) > opts.max_record_bytes:
        return Reject("record_too_large", f"{name}: more than {opts.max_record_bytes} bytes", name, id=doc_id)
    try:
        text, encoding = decode_bytes(data)
    except DecodeFailure as exc:
        return Reject(exc.reason, f"{name}: {exc.message}", name, id=doc_id)
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        return Reject("empty_text", f"{name}: the document has no text (only whitespace)", name, id=doc_id)
    added: dict[str, Any] = {"encoding": encoding} if encoding != "utf-8" else {}
    return Document(id=doc_id, text=normalize_newlines(text), origin=name, added=added)


def normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
