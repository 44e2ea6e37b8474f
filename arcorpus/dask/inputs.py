"""Input partitions for the Dask engine: files read by workers, or rows of a user's Dask DataFrame.

Every partition is a pandas DataFrame with one object column ``item`` holding `Document`s and `Reject`s in
input order. Files are read by the *same* readers as the embedded engine (`arcorpus.io.readers`), so
documents, ids, line numbers and reject messages are identical:

- a compressed file, a ``.txt`` file or a small JSONL file is one partition (``read_file``);
- a plain JSONL file larger than ``block_size`` is cut into newline-aligned byte blocks; a first,
  cheap task per block counts its lines so that each block knows the line number it starts at, and the
  block is parsed by ``read_jsonl_stream`` behind `_LineOffsetStream` (which first yields that many blank
  lines: blank lines are counted but produce nothing, so line numbers and messages come out exact).

Workers open the paths themselves, so on a real cluster the inputs must live on storage every worker
sees (NFS, a mounted bucket); only the block boundaries are found on the driver (one short read each).
Standard input (spooled by the CLI) is the exception: it is read on the driver, through the CLI's own
`Inputs`, and shipped to the workers in chunks.

This module deliberately does no cleaning.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from arcorpus.document import Document, Reject
from arcorpus.io.encoding import looks_binary
from arcorpus.io.formats import is_jsonl
from arcorpus.io.jsonl import read_jsonl_stream
from arcorpus.io.readers import ReadOptions, read_file

Item = Document | Reject
DEFAULT_BLOCK_SIZE = 16 * 1024 * 1024
ITEM_META = pd.DataFrame({"item": pd.Series([], dtype=object)})
_PLAIN_JSONL = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Block:
    """A byte range ``[start, end)`` of one input file; ``end == -1`` means the whole file."""

    path: str
    start: int = 0
    end: int = -1
    split: bool = False


def plan_blocks(files: Sequence[Path], block_size: int = DEFAULT_BLOCK_SIZE) -> list[Block]:
    """Blocks of every input file, in input order; only plain JSONL files over ``block_size`` are split."""
    blocks: list[Block] = []
    for path in files:
        name = str(path)
        try:
            size = path.stat().st_size if path.exists() else 0
        except OSError:
            size = 0
        if not (is_jsonl(path) and name.lower().endswith(_PLAIN_JSONL) and size > block_size) or _binary(
            path
        ):
            blocks.append(Block(name))
            continue
        cuts = [0]
        with open(path, "rb") as fh:
            for nominal in range(block_size, size, block_size):
                if nominal <= cuts[-1]:
                    continue
                fh.seek(nominal - 1)
                fh.readline()  # finish the line that crosses the nominal cut
                cut = fh.tell()
                if cut >= size:
                    break
                cuts.append(cut)
        cuts.append(size)
        blocks.extend(Block(name, a, b, split=len(cuts) > 2) for a, b in itertools.pairwise(cuts))
    return blocks


def _binary(path: Path) -> bool:
    """The reader's binary-file test on the head of the file: such a file is read whole (one reject)."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    return looks_binary(head) and not head.lstrip().startswith((b"{", b"["))


def count_lines(block: Block) -> int:
    """Lines in a block as the reader counts them (blocks end on a newline, except the file's last)."""
    data = _read_range(block)
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def read_block(block: Block, options: ReadOptions, first_line: int) -> pd.DataFrame:
    """The items of one block as an ``item`` partition (``first_line``: lines before the block)."""
    if block.end < 0:
        items: list[Item] = list(read_file(Path(block.path), options))
    else:
        stream = _LineOffsetStream(io.BytesIO(_read_range(block)), first_line)
        items = [
            item
            for item in read_jsonl_stream(stream, block.path, options)  # type: ignore[arg-type]
            if not (block.split and isinstance(item, Reject) and item.reason == "empty_file")
        ]
    return items_frame(items)


def items_frame(items: Sequence[Any]) -> pd.DataFrame:
    column = pd.Series(list(items), dtype=object)
    return pd.DataFrame({"item": column})


def _read_range(block: Block) -> bytes:
    with open(block.path, "rb") as fh:
        fh.seek(block.start)
        return fh.read() if block.end < 0 else fh.read(block.end - block.start)


class _LineOffsetStream(io.RawIOBase):
    """A byte stream yielding ``blank`` empty lines, then ``inner``: shifts the reader's line count."""

    def __init__(self, inner: IO[bytes], blank: int) -> None:
        super().__init__()
        self._inner = inner
        self._blank = blank

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        if self._blank > 0:
            self._blank -= 1
            return b"\n"
        return self._inner.readline(-1 if size is None else size)

    def close(self) -> None:
        self._inner.close()
        super().close()


# --- a user's Dask DataFrame -----------------------------------------------------------------------------


def rows_to_items(frame: pd.DataFrame, text_column: str, id_column: str | None) -> pd.DataFrame:
    """Rows to documents: ``text_column`` is the text, ``id_column`` the id (default: the index label),
    every other non-null column goes into metadata. Rows whose text is missing, not a string or blank
    become rejects, with the same reasons as JSONL records."""
    columns = [c for c in frame.columns if c not in (text_column, id_column)]
    items: list[Item] = []
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        values = dict(zip(frame.columns, row, strict=True))
        raw_id = values.get(id_column) if id_column is not None else None
        doc_id = str(_plain(raw_id)) if not _missing(raw_id) else str(_plain(label))
        text = values.get(text_column)
        meta = {c: _plain(values[c]) for c in columns if not _missing(values[c])}
        where = f"row {doc_id}"
        if _missing(text):
            items.append(Reject("missing_text", f"{where}: no {text_column!r} value", "", id=doc_id))
        elif not isinstance(text, str):
            kind = type(text).__name__
            items.append(Reject("text_not_string", f"{where}: {text_column!r} is {kind}", "", id=doc_id))
        elif not text.strip():
            items.append(Reject("empty_text", f"{where}: the document has no text", "", id=doc_id))
        else:
            text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
            items.append(Document(id=doc_id, text=text, metadata=meta))
    return items_frame(items)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """numpy scalars to Python values, so records serialise to JSON."""
    item: Callable[[], Any] | None = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return item()
    return value
