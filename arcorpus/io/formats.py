"""The one table of file formats: which file names arcorpus reads and writes, and as what.

Inputs and outputs are recognised by their suffix (case-insensitive), never by sniffing a binary:

==================  ======================================================  =========================
format              suffixes                                                read as
==================  ======================================================  =========================
``jsonl``           ``.jsonl`` ``.ndjson``, each optionally compressed       one JSON object a line
``json``            ``.json``, optionally compressed                         a JSON array of objects,
                                                                            or JSON lines (sniffed)
``parquet``         ``.parquet`` (needs ``pip install 'arcorpus[parquet]'``)  one row a document, every
                                                                            other column metadata
``text``            ``.txt``                                                 one file, one document
==================  ======================================================  =========================

Compressions (input and output): ``.gz``, ``.zst``/``.zstd``, ``.bz2``, ``.xz``. Outputs are ``jsonl``,
``json`` and ``parquet`` (a ``.txt`` output would lose the metadata). Anything else is refused before work
starts, with the list of what is supported.

This module deliberately holds no reading or writing code: only names (`arcorpus.io.sinks.open_writer`
picks the writer for an output name).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol

Format = Literal["jsonl", "json", "parquet", "text"]

COMPRESSIONS: tuple[str, ...] = (".gz", ".zst", ".zstd", ".bz2", ".xz")
"""Compression suffixes, read and written (gzip, zstd, bzip2, xz)."""
_BASES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
_PLAIN: dict[str, Format] = {".parquet": "parquet", ".txt": "text"}

INPUT_SUFFIXES: tuple[str, ...] = (
    *(base + c for base in _BASES for c in ("", *COMPRESSIONS)),
    *_PLAIN,
)
"""Every file name ending arcorpus reads (a directory is walked for these)."""
OUTPUT_SUFFIXES: tuple[str, ...] = (
    *(base + c for base in _BASES for c in ("", *COMPRESSIONS)),
    ".parquet",
)
"""Every file name ending ``-o`` accepts (``-`` is JSONL on standard output)."""


COMPRESSED_SUFFIXES = COMPRESSIONS
JSONL_SUFFIXES: tuple[str, ...] = tuple(
    s for s in INPUT_SUFFIXES if s.startswith((".jsonl", ".ndjson", ".json"))
)
"""Input files of JSON records: JSON lines, or ``.json`` (a JSON array, or JSON lines), compressed or not."""
TEXT_SUFFIXES = (".txt",)
"""Input files read as one document each."""


def is_jsonl(path: str | Path) -> bool:
    """JSON lines or a ``.json`` file (a JSON array or JSON lines, told apart by its first byte)."""
    return input_format(path) in ("jsonl", "json")


def is_text(path: str | Path) -> bool:
    return input_format(path) == "text"


def is_parquet(path: str | Path) -> bool:
    return input_format(path) == "parquet"


def is_compressed(path: str | Path) -> bool:
    return compression(path) != ""


def holds_many(path: str | Path) -> bool:
    """Whether an input file may hold many documents (JSON, Parquet, or any compressed file), not just one."""
    return input_format(path) in ("jsonl", "json", "parquet") or is_compressed(path)


def input_format(path: str | Path) -> Format | None:
    """The format of an input file by its name, or None when arcorpus does not read such files."""
    return _format(str(path), (".parquet", ".txt"))


def output_format(path: str | Path) -> Format | None:
    """The format ``-o path`` writes, or None for a name arcorpus cannot write (``-`` is jsonl)."""
    if str(path) == "-":
        return "jsonl"
    return _format(str(path), (".parquet",))


def compression(path: str | Path) -> str:
    """The compression suffix of ``path`` (``.gz`` ...), or ``""`` for an uncompressed file."""
    lower = str(path).lower()
    return next((c for c in COMPRESSIONS if lower.endswith(c)), "")


def _format(name: str, plain: tuple[str, ...]) -> Format | None:
    lower = name.lower()
    for suffix in plain:
        if lower.endswith(suffix):
            return _PLAIN[suffix]
    stem = lower[: len(lower) - len(compression(lower))]
    for base, fmt in _BASES.items():
        if stem.endswith(base):
            return fmt
    return None


def describe(suffixes: tuple[str, ...]) -> str:
    """A short human list of ``suffixes``: ``.jsonl, .ndjson, .json (each also .gz/.zst/...), .parquet``."""
    bases = [s for s in suffixes if not s.endswith(COMPRESSIONS)]
    compressed = any(s.endswith(COMPRESSIONS) for s in suffixes)
    names = [b for b in bases if b in _BASES]
    rest = [b for b in bases if b not in _BASES]
    text = ", ".join(names)
    if compressed:
        text += f" (each also {'/'.join(COMPRESSIONS)})"
    return ", ".join([text, *rest]) if text else ", ".join(rest)


def needs_pyarrow(paths: list[str | Path]) -> str | None:
    """The first of ``paths`` that is Parquet when pyarrow is not installed (else None)."""
    parquet = next((p for p in paths if str(p).lower().endswith(".parquet")), None)
    if parquet is None:
        return None
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return str(parquet)
    return None


PYARROW_HINT = "reading or writing Parquet needs pyarrow: pip install 'arcorpus[parquet]'"


class OutputWriter(Protocol):
    """What every output writer does (`arcorpus.io.writers.AtomicJsonlWriter` and the writers of
    `arcorpus.io.jsonarray` and `arcorpus.io.parquet`): records in, one file renamed into place."""

    path: str
    count: int

    def write(self, record: dict[str, Any]) -> None: ...

    def write_lines(self, data: bytes, count: int) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class FormatError(ValueError):
    """An input or output name arcorpus cannot read or write (a usage error: exit code 2)."""


def check_output_format(path: str | Path) -> None:
    """Raise `FormatError` unless arcorpus can write ``path`` (by its suffix; Parquet needs pyarrow)."""
    if output_format(path) is None:
        raise FormatError(f"{path}: cannot write this kind of file; outputs are {describe(OUTPUT_SUFFIXES)}")
    if needs_pyarrow([path]):
        raise FormatError(f"{path}: {PYARROW_HINT}")
