"""Find gazetteer names in running text in one pass, and say what each should be rewritten to.

One Aho-Corasick automaton (pyahocorasick) holds every spelling of every entity: the spelling the step
writes (found, not rewritten), the listed variants and the generated ones (rewritten). A hit counts only when

- it ends at a word boundary (the next character is not a letter or digit), and
- what precedes it inside the same word is nothing or an Arabic proclitic chain: WAW/FEH, then BEH/LAM/KAF,
  then the article (e.g. "and-in-the"); names that start with the article take only WAW/FEH + BEH/KAF, and
  LAM + article is written LAM-LAM (matched as its own spelling), and
- the whole word (proclitics + name) is not a frequent native word.

Overlapping hits are resolved leftmost-longest, so a longer name (or the canonical spelling of another entity)
shadows any shorter spelling inside it. Diacritics and tatweel are ignored by matching (the text is searched
with them removed, and spans are mapped back); a rewritten span loses its inner diacritics.

Safety by construction: a generated spelling that equals a native word, or that two entities share, or that
equals another entity's spelling, is dropped. This module deliberately does not build `Change` records or
documents: see `arcorpus.steps.names`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from arcorpus.names.gazetteer import Entity
from arcorpus.names.variants import (
    ALEF,
    BEH,
    DEFINITE,
    FEH,
    KAF,
    LAM,
    WAW,
    variants,
)

TATWEEL = "\N{ARABIC TATWEEL}"
_MARK_CODES: tuple[int, ...] = (
    *(
        cp
        for block in ((0x0600, 0x0700), (0x0750, 0x0780), (0x08A0, 0x0900))
        for cp in range(*block)
        if unicodedata.category(chr(cp)) == "Mn"
    ),
    ord(TATWEEL),
)
_TANWEEN_RE = re.compile("[\N{ARABIC FATHATAN}\N{ARABIC DAMMATAN}\N{ARABIC KASRATAN}]")
"""Nunation inside a word marks an indefinite adjective or noun (roosiyyan "in Russian"), never a name."""
_MARKS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _MARK_CODES) + "]")

LIL = LAM + LAM
"""LAM + article: "for the ..." is written with two LAMs and no ALEF."""

_PREFIX_PLAIN = re.compile(f"(?:[{WAW}{FEH}]?[{BEH}{LAM}{KAF}]?(?:{ALEF}{LAM})?|[{WAW}{FEH}]?{LAM}{LAM})")
_PREFIX_DEFINITE = re.compile(f"[{WAW}{FEH}]?[{BEH}{KAF}]?")
_PREFIX_LIL = re.compile(f"[{WAW}{FEH}]?")
MAX_PREFIX = 4

PLAIN, DEFINITE_FORM, LIL_FORM = 0, 1, 2
_PREFIX_RE = {PLAIN: _PREFIX_PLAIN, DEFINITE_FORM: _PREFIX_DEFINITE, LIL_FORM: _PREFIX_LIL}


class Match(NamedTuple):
    """A name found in the text: ``text[start:end]`` (after any proclitic) is entity ``entity``.

    ``replacement`` is the spelling to write, or ``None`` when the text already has it.
    """

    start: int
    end: int
    entity: str
    replacement: str | None


@dataclass(frozen=True)
class Spelling:
    """One key of the automaton."""

    key: str
    entity: int
    replacement: str | None
    kind: int


def strip_marks(text: str) -> str:
    """``text`` without diacritics and tatweel."""
    return _MARKS_RE.sub("", text)


def _unstrip(text: str) -> Callable[[int], int]:
    """Map an index of ``strip_marks(text)`` back to ``text`` (the kept character's own index)."""
    stripped_at = [m.start() - i for i, m in enumerate(_MARKS_RE.finditer(text))]
    return lambda p: p + bisect.bisect_right(stripped_at, p)


class Matcher:
    """Every spelling of every entity in one automaton; `find` returns the hits in a text."""

    def __init__(
        self,
        entities: Iterable[Entity],
        style: str = "pan_arab",
        native: frozenset[str] = frozenset(),
        generate: bool = True,
    ) -> None:
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.native = native
        self.spellings = _spellings(self.entities, style, native, generate)
        automaton = ahocorasick.Automaton()
        for sp in self.spellings:
            automaton.add_word(sp.key, (len(sp.key), sp.kind, sp.entity, sp.replacement))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        self._size = len(automaton)
        self._ids = tuple(e.id for e in self.entities)

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping hits in ``text`` (spans in ``text``'s own coordinates)."""
        s, removed = _MARKS_RE.subn("", text)
        hits = self._hits(s)
        if removed and hits:
            hits = _remap(text, hits)
        return hits

    def scan(self, text: str) -> tuple[list[str], list[Match]]:
        """The entity ids found (text order, repeated) and the hits that need rewriting (as in `find`)."""
        hits = self.find(text)
        return [h.entity for h in hits], [h for h in hits if h.replacement is not None]

    def _hits(self, s: str) -> list[Match]:
        if not self._size:
            return []
        out: list[Match] = []
        native = self.native
        ids = self._ids
        prefix_re = _PREFIX_RE
        n = len(s)
        # iter_long: non-overlapping, leftmost-longest keys, in text order
        for last, (length, kind, entity, replacement) in self._automaton.iter_long(s):
            end = last + 1
            if end < n and s[end].isalnum():
                continue
            start = end - length
            if start and s[start - 1].isalnum():
                ws = start - 1
                while ws > 0 and s[ws - 1].isalnum():
                    ws -= 1
                    if start - ws > MAX_PREFIX:
                        break
                else:
                    if prefix_re[kind].fullmatch(s, ws, start) and s[ws:end] not in native:
                        out.append(Match(start, end, ids[entity], replacement))
                continue
            out.append(Match(start, end, ids[entity], replacement))
        return out


def _remap(text: str, hits: list[Match]) -> list[Match]:
    """Spans of hits in the stripped text, in ``text``; a span with tanween inside is not a name (dropped)."""
    at = _unstrip(text)
    out = []
    for h in hits:
        start, end = at(h.start), at(h.end - 1) + 1
        if _TANWEEN_RE.search(text, start, end) is None:
            out.append(Match(start, end, h.entity, h.replacement))
    return out


def _spellings(
    entities: tuple[Entity, ...], style: str, native: frozenset[str], generate: bool
) -> tuple[Spelling, ...]:
    """The automaton keys: output spellings, listed variants, then generated variants, conflicts removed."""
    written: dict[str, int] = {}
    listed: dict[str, set[int]] = {}
    generated: dict[str, set[int]] = {}
    for i, e in enumerate(entities):
        out = e.spelling(style)
        written.setdefault(out, i)
        for form in e.forms():
            listed.setdefault(form, set()).add(i)
        if generate:
            for form in {*e.forms(), out}:
                for g in variants(form, e.flags):
                    generated.setdefault(g, set()).add(i)
    keys: dict[str, int] = dict(written)
    for form, owners in listed.items():
        if form not in keys and len(owners) == 1:
            keys[form] = next(iter(owners))
    for form, owners in generated.items():
        if form not in keys and form not in listed and len(owners) == 1 and form not in native:
            keys[form] = next(iter(owners))
    out_spellings: list[Spelling] = []
    for key, i in keys.items():
        out = entities[i].spelling(style)
        replacement = None if key == out else out
        if key.startswith(DEFINITE) and len(key) > 2:
            out_spellings.append(Spelling(key, i, replacement, DEFINITE_FORM))
            if out.startswith(DEFINITE):
                lil_key, lil_out = LIL + key[2:], LIL + out[2:]
                if lil_key not in keys:
                    out_spellings.append(
                        Spelling(lil_key, i, None if lil_key == lil_out else lil_out, LIL_FORM)
                    )
        else:
            out_spellings.append(Spelling(key, i, replacement, PLAIN))
    return tuple(out_spellings)
