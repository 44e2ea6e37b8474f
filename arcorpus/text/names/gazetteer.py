"""The name gazetteer: one row per entity, loaded from TSV.

Format (``arcorpus/data/names.tsv``; a user file given as ``names_file`` has the same format)::

    id <TAB> type <TAB> canonical <TAB> variants <TAB> flags <TAB> reason

- ``id``: ASCII, ``[a-z0-9_]+``, unique; becomes the rule id ``names.<id>`` and the ``entities`` entry.
- ``type``: country | city | person | org | company | place | other (free text is accepted, not checked).
- ``canonical``: the default (pan-Arab) spelling, words separated by single spaces.
- ``variants``: known other spellings, ``|``-separated (may be empty). Systematic ones need not be listed.
- ``flags``: ``g`` (the GHAIN/GAF letters are /g/: generate JEEM/QAF/KAF spellings, and the Egyptian
  house style writes JEEM), ``v`` (foreign word: inner long vowels optional), ``s`` (words only written
  spaced: no joined or hyphenated spellings generated). May be empty.
- ``reason``: where the row comes from (corpus counts, review note).
- ``of`` (optional): the id written in the ``entities`` field instead of this row's id, for a form of
  another entity (an adjective of its country: ``american_m`` is ``usa``). Empty: the row's own id.

Lines starting with ``#`` and the header line are ignored. This module deliberately does not generate or
match anything; it only reads, checks the shape of rows, and merges a user file over the built-in one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from arcorpus import data
from arcorpus.config import ConfigError
from arcorpus.text.names.variants import GHAIN, JEEM

HEADER = ("id", "type", "canonical", "variants", "flags", "reason", "of")
_ID_RE = re.compile(r"[a-z0-9_]+")
_FLAGS = frozenset("gvs")


class GazetteerError(ConfigError):
    """A gazetteer file is malformed (bad id, missing canonical, wrong number of columns...)."""


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    canonical: str
    variants: tuple[str, ...]
    flags: str
    reason: str
    of: str = ""

    @property
    def facet(self) -> str:
        """The id the ``entities`` field lists for this row (``of``, else ``id``)."""
        return self.of or self.id

    def spelling(self, style: str = "pan_arab") -> str:
        """The spelling the step writes: the canonical, or for ``egyptian`` style with /g/ written JEEM."""
        if style == "egyptian" and "g" in self.flags:
            return self.canonical.replace(GHAIN, JEEM)
        return self.canonical

    def forms(self) -> tuple[str, ...]:
        """The canonical and the listed variants (not the generated ones)."""
        return (self.canonical, *self.variants)


def parse(lines: Iterable[str], source: str = "<gazetteer>") -> tuple[Entity, ...]:
    """Rows of a gazetteer file; raises `GazetteerError` naming ``source`` and the line on bad input."""
    out: list[Entity] = []
    seen: set[str] = set()
    for number, line in data.lines("\n".join(raw.rstrip("\r\n") for raw in lines)):
        cells = [c.strip() for c in line.split("\t")]
        if tuple(cells[:3]) == HEADER[:3]:
            continue
        if len(cells) < 3:
            raise GazetteerError(f"{source}:{number}: expected at least id, type, canonical")
        cells += [""] * (len(HEADER) - len(cells))
        eid, etype, canonical, variants, flags, reason, of = cells[:7]
        if not _ID_RE.fullmatch(eid):
            raise GazetteerError(f"{source}:{number}: id {eid!r} must match [a-z0-9_]+")
        if eid in seen:
            raise GazetteerError(f"{source}:{number}: duplicate id {eid!r}")
        if not canonical:
            raise GazetteerError(f"{source}:{number}: {eid}: empty canonical spelling")
        if of and not _ID_RE.fullmatch(of):
            raise GazetteerError(f"{source}:{number}: {eid}: 'of' {of!r} must match [a-z0-9_]+")
        if set(flags) - _FLAGS:
            raise GazetteerError(f"{source}:{number}: {eid}: unknown flags {flags!r} (use g, v, s)")
        seen.add(eid)
        listed = tuple(dict.fromkeys(_norm(v) for v in variants.split("|") if v.strip()))
        out.append(Entity(eid, etype, _norm(canonical), listed, flags, reason, of))
    return tuple(out)


def _norm(form: str) -> str:
    return " ".join(form.split())


def load_builtin() -> tuple[Entity, ...]:
    """The gazetteer shipped in ``arcorpus/data/``: the hand-made ``names.tsv``, then the rows derived
    from Unicode CLDR and corpus counts in ``names_cldr.tsv`` (`benchmarks/build_cldr_names.py`; a row
    with the id of a hand row is not taken)."""
    hand = load_hand()
    ids = {e.id for e in hand}
    return hand + tuple(e for e in _read("names_cldr.tsv") if e.id not in ids)


def load_hand() -> tuple[Entity, ...]:
    """Only the hand-made rows of ``arcorpus/data/names.tsv`` (what the CLDR builder adds to)."""
    return _read("names.tsv")


@functools.lru_cache(maxsize=4)
def _read(name: str) -> tuple[Entity, ...]:
    return parse(data.text(name).split("\n"), f"arcorpus/data/{name}")


def load_file(path: str | Path) -> tuple[Entity, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GazetteerError(f"{path}: names file not found") from None
    return parse(text.split("\n"), str(path))


def merge(base: Iterable[Entity], extra: Iterable[Entity]) -> tuple[Entity, ...]:
    """``base`` with the rows of ``extra`` added; a row of ``extra`` with an existing id replaces it."""
    merged = {e.id: e for e in base}
    for e in extra:
        merged[e.id] = e
    return tuple(merged.values())


def load_native_words() -> frozenset[str]:
    """Frequent native Arabic words (mined from the shared corpus) that a name variant must never equal."""
    words = (row["id"].strip() for row in data.table("names_native.tsv").rows)
    return frozenset(w for w in words if w)
