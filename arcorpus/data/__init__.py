"""The editable tables of arcorpus (the TSV files beside this module) and the one loader that reads them.

Every table, shipped or a user's (``boilerplate_file``, ``names_file``), has one format: UTF-8, one row a
line, cells separated by tabs; blank lines and lines starting with ``#`` are comments; the first other
line is the header (the column names). A row with fewer cells than the header gets ``""`` for the rest;
cells past the header's are ignored. Cells are returned as written (a table that wants them stripped
strips them).

    >>> from arcorpus import data
    >>> data.table("lookalikes.tsv").rows[0]["id"]
    'keheh'

Which table is read by whom: ``boilerplate.tsv`` (`arcorpus.steps.boilerplate`), ``dates.tsv``
(``extract_metadata``), ``lookalikes.tsv`` and ``alef_maqsura_words.tsv`` (``lookalikes`` and
`arcorpus.text.fold`), ``names.tsv``, ``names_cldr.tsv``, ``names_native.tsv``, ``names_given.tsv``
and ``names_distinct.tsv`` (`arcorpus.text.names`), ``wordlist.tsv`` (also the names learner's frequent words)
and ``strategies_fallback.tsv`` (`arcorpus.strategies`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One row of a table: its 1-based line in the file and its cells by column name."""

    line: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)


@dataclass(frozen=True)
class Table:
    """A table read by `parse`: where it came from (for messages), its header and its rows."""

    source: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for every line of ``text`` that is neither blank nor a ``#`` comment."""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if line.strip() and not line.startswith("#"):
            yield number, line


def parse(text: str, source: str) -> Table:
    """The table in ``text`` (see the module docstring); an empty table when it has no header line."""
    content: Iterable[tuple[int, str]] = lines(text)
    first = next(iter(content), None)
    if first is None:
        return Table(source, (), ())
    header = tuple(first[1].split("\t"))
    width = len(header)
    rows = []
    for number, line in content:
        cells = line.split("\t")
        cells += [""] * (width - len(cells))
        rows.append(Row(number, dict(zip(header, cells, strict=False))))
    return Table(source, header, tuple(rows))


def text(name: str) -> str:
    """The text of the shipped data file ``name`` (raises `FileNotFoundError` when it is not installed)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def path(name: str) -> Path:
    """Where the shipped data file ``name`` is (for messages and for tools that read files)."""
    return Path(__file__).resolve().parent / name


@functools.cache
def table(name: str) -> Table:
    """The shipped table ``name`` (read once per process)."""
    return parse(text(name), f"arcorpus/data/{name}")


def read(file: str | Path) -> Table:
    """A user's table file (``OSError`` when it cannot be read, ``UnicodeDecodeError`` when not UTF-8)."""
    return parse(Path(file).read_text(encoding="utf-8"), str(file))
