"""Find gazetteer names in running text in one pass, and say what each should be rewritten to.

One Aho-Corasick automaton (`ahocorasick_rs`, leftmost-longest) holds every spelling of every entity: the
spelling the step writes (found, not rewritten), the listed variants and the generated ones (rewritten). A
hit counts only when

- it ends at a word boundary (the next character is not a letter or digit), and
- what precedes it inside the same word is nothing or an Arabic proclitic chain: WAW/FEH, then BEH/LAM/KAF,
  then the article (e.g. "and-in-the"); names that start with the article take only WAW/FEH + BEH/KAF, and
  LAM + article is written LAM-LAM (matched as its own spelling), and
- the whole word (proclitics + name) is not a frequent native word.

Overlapping hits are resolved leftmost-longest, so a longer name (or the canonical spelling of another entity)
shadows any shorter spelling inside it. Diacritics and tatweel are ignored by matching (the text is searched
with them removed, and spans are mapped back); a rewritten span loses its inner diacritics.

The text is searched as bytes, one byte per character (`_ByteView`: a private 256-entry charset made of the
characters of the keys, the diacritics, and frequent punctuation; any other character becomes ``?``), so
byte offsets are character offsets and the diacritics are deleted with `bytes.translate`. A gazetteer
whose spellings do not fit in such a charset (a user file with many non-Arabic letters) is searched as
`str`, with the same rules.

Safety by construction: a generated spelling that equals a native word, or that two entities share, or that
equals another entity's spelling, is dropped. This module deliberately does not build `Change` records or
documents: see `arcorpus.steps.names`.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import ahocorasick_rs

from arcorpus.text import charmap
from arcorpus.text.names.gazetteer import Entity
from arcorpus.text.names.persons import COMPOUND_TYPES, PersonGuard, given_names, load_given
from arcorpus.text.names.variants import (
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
_SURROGATES_RE = re.compile("[\ud800-\udfff]")

LIL = LAM + LAM
"""LAM + article: "for the ..." is written with two LAMs and no ALEF."""

_PREFIX_PLAIN = re.compile(f"(?:[{WAW}{FEH}]?[{BEH}{LAM}{KAF}]?(?:{ALEF}{LAM})?|[{WAW}{FEH}]?{LAM}{LAM})")
_PREFIX_DEFINITE = re.compile(f"[{WAW}{FEH}]?[{BEH}{KAF}]?")
_PREFIX_LIL = re.compile(f"[{WAW}{FEH}]?")
MAX_PREFIX = 4
KAF_MIN = 5
_KAF_PREFIXES = frozenset((KAF, WAW + KAF, FEH + KAF))
"""KAF "like" without the article is taken only before a name of `KAF_MIN` letters or more: before a short
one it is more often the first letter of another name (كاسيا = Casilla, not ك + اسيا)."""

PLAIN, DEFINITE_FORM, LIL_FORM = 0, 1, 2
_PREFIX_RE = {PLAIN: _PREFIX_PLAIN, DEFINITE_FORM: _PREFIX_DEFINITE, LIL_FORM: _PREFIX_LIL}
_PROCLITICS: tuple[str, ...] = (WAW, FEH, BEH, LAM, KAF, ALEF)
"""Every letter the prefix patterns accept."""


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


Hit = tuple[int, int, int]
"""``(key index, start, end)`` of one automaton match, in the text with the marks removed."""
_KEY, _START, _END = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)

_FILLERS: tuple[str, ...] = (
    "\N{ARABIC COMMA}",
    "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}",
    "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}",
    "\N{NO-BREAK SPACE}",
    "\N{ARABIC QUESTION MARK}",
    "\N{ARABIC SEMICOLON}",
    "\N{RIGHT DOUBLE QUOTATION MARK}",
    "\N{LEFT DOUBLE QUOTATION MARK}",
    "\N{EN DASH}",
    *(chr(cp) for cp in range(0x0660, 0x066A)),  # ARABIC-INDIC DIGIT ZERO..NINE
)
"""Characters given a byte of their own while the charset has room, most frequent in the corpus first (each
``?`` next to a hit sends the boundary check to the text)."""

_FREE_BYTES: tuple[int, ...] = (
    *charmap.HIGH_BYTES,
    *(b for b in range(1, 0x20) if chr(b) not in "\t\n\r"),
    0x7F,
)
"""Bytes of the private charset that do not stand for themselves (ASCII keeps its own bytes; NUL must)."""

UNKNOWN = charmap.UNKNOWN
_IDENTITY = bytes(range(0x100))
_SPACE, _LETTER, _PROCLITIC, _UNKNOWN = 0, 1, 2, 3
"""Byte classes: not a letter or digit; a letter or digit; a proclitic letter; ``?`` (look in the text)."""


class _ByteView:
    """A one-byte-per-character encoding of text for the automaton, and what each byte is.

    Deliberately does not represent every character: a character outside the charset becomes ``?``, whose
    letter-or-digit status `Matcher` looks up in the text itself when a boundary check needs it.
    """

    def __init__(self, chars: Iterable[str]) -> None:
        # `fits` checked the needed ones
        self.encoding_map, table = charmap.build(chars, _FREE_BYTES)
        classes = bytearray(_LETTER if ch.isalnum() and ch != "\ufffe" else _SPACE for ch in table)
        for ch in _PROCLITICS:
            classes[self.encode(ch)[0]] = _PROCLITIC
        classes[UNKNOWN] = _UNKNOWN
        self.classes = bytes(classes)
        """Per byte, a `bytes.translate` table to its class: `_SPACE`, `_LETTER`, `_PROCLITIC`, `_UNKNOWN`."""
        self.marks = self.encode("".join(map(chr, _MARK_CODES)))
        """The bytes of the marks (diacritics and tatweel), to delete."""
        one = bytearray(range(0x100))
        for b in self.marks:
            one[b] = self.marks[0]
        self.one_mark = bytes(one)
        """A `bytes.translate` table writing every mark as the first one."""

    @staticmethod
    def fits(chars: Iterable[str]) -> bool:
        """Whether ``chars`` (non-ASCII characters), the proclitic letters and the marks all get a byte."""
        return charmap.fits({*chars, *_PROCLITICS, *map(chr, _MARK_CODES)}, _FREE_BYTES)

    def encode(self, text: str) -> bytes:
        """``text`` with each character as one byte (``?`` for characters outside the charset)."""
        return codecs.charmap_encode(text, "replace", self.encoding_map)[0]  # `charmap.encode`, inlined


def _prefixes(kind: int) -> frozenset[str]:
    """Every non-empty proclitic chain of at most `MAX_PREFIX` letters that ``kind`` accepts."""
    return frozenset(
        p
        for n in range(1, MAX_PREFIX + 1)
        for p in map("".join, itertools.product(_PROCLITICS, repeat=n))
        if _PREFIX_RE[kind].fullmatch(p)
    )


class Matcher:
    """Every spelling of every entity in one automaton; `find` returns the hits in a text."""

    def __init__(
        self,
        entities: Iterable[Entity],
        style: str = "pan_arab",
        native: frozenset[str] = frozenset(),
        generate: bool = True,
        *,
        byte_view: bool = True,
        learned: Iterable[Entity] = (),
        learned_native: frozenset[str] = frozenset(),
        given: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        """``byte_view=False`` searches the text as `str` even when the keys fit a `_ByteView` (the two
        paths make the same decisions; the tests compare them). ``learned``: rows learned from a corpus
        (`arcorpus.names.learn`), whose spellings never displace a key of ``entities``; their generated
        spellings also skip ``learned_native`` (corpus words judged native by the learner)."""
        base = tuple(entities)
        learned = tuple(learned)
        self.learned_count = len(learned)
        self.entities: tuple[Entity, ...] = base + tuple(learned)
        self.native = native
        self._args = (base, style, native, generate, byte_view, tuple(learned), learned_native, given)
        self.given = given or {}
        self.spellings = _spellings_cached(base, style, native, generate)
        if learned:
            self.spellings += _learned_spellings(
                self.spellings, len(base), tuple(learned), style, native | learned_native
            )
        by_key = {sp.key: sp for sp in self.spellings if sp.key}
        keys = list(by_key)
        self._kinds = tuple(sp.kind for sp in by_key.values())
        self._entity_of = tuple(self.entities[sp.entity].id for sp in by_key.values())
        self._entity_index = tuple(sp.entity for sp in by_key.values())
        # what `scan` lists for ``entities``: a row's facet (``of``), a learned row's gazetteer entity (its
        # ``reason``) or nothing for a learned name nobody listed
        facet = [e.facet for e in base] + [e.reason for e in learned]
        self._facet_of = tuple(facet[sp.entity] for sp in by_key.values())
        self._replacement_of = tuple(sp.replacement for sp in by_key.values())
        self._rewrites = tuple(sp.replacement is not None for sp in by_key.values())
        self._size = len(keys)
        self._guard, self._guarded = _person_guard(self.entities, by_key, native, given)
        self.person_guard = self._guard
        all_chars = set("".join(keys))
        key_chars = {ch for ch in all_chars if ord(ch) >= 0x80}
        ascii_chars = all_chars - key_chars
        self._view: _ByteView | None = None
        reserved = {chr(b) for b in (*_FREE_BYTES, UNKNOWN)}
        if keys and byte_view and _ByteView.fits(key_chars) and not ascii_chars & reserved:
            view = _ByteView([*_PROCLITICS, *sorted(key_chars), *map(chr, _MARK_CODES), *_FILLERS])
            self._view = view
            self._classes = view.classes
            self._prefix_bytes = tuple(
                frozenset(view.encode(p) for p in _prefixes(kind))
                for kind in (PLAIN, DEFINITE_FORM, LIL_FORM)
            )
            self._kaf_bytes = frozenset(view.encode(p) for p in _KAF_PREFIXES)
            # proclitics + key never holds ``?`` or a mark, so a word encoded with them matches nothing
            self._native_bytes = frozenset(map(view.encode, native))
        self._automaton: Any = None
        if keys:
            kind = ahocorasick_rs.MatchKind.LeftmostLongest
            dfa = ahocorasick_rs.Implementation.DFA
            if self._view is not None:
                self._automaton = ahocorasick_rs.BytesAhoCorasick(
                    [self._view.encode(k) for k in keys], matchkind=kind, implementation=dfa
                )
            else:
                self._automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=kind, implementation=dfa)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its arguments (the automaton and the charmap do not pickle): rebuilt on load. The
        sets go sorted, so that the pickle is the same bytes in every process (fingerprints)."""
        entities, style, native, generate, byte_view, learned, learned_native, given = self._args
        given_rows = tuple(sorted((k, tuple(sorted(v))) for k, v in (given or {}).items()))
        args = (entities, style, tuple(sorted(native)), generate, byte_view)
        return (_rebuild, (*args, learned, tuple(sorted(learned_native)), given_rows))

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping hits in ``text`` (spans in ``text``'s own coordinates)."""
        hits, marks_at = self._accepted(text)
        if hits and not self._guarded.isdisjoint(map(_KEY, hits)):
            hits = self._person_context(text, hits, marks_at)
        if marks_at and hits:
            hits = _remap(text, hits, marks_at)
        entity_of, replacement_of = self._entity_of, self._replacement_of
        return [Match(s, e, entity_of[i], replacement_of[i]) for i, s, e in hits]

    def scan(self, text: str) -> tuple[list[str], list[Match]]:
        """The entity ids found for ``entities`` (text order, repeated; `Entity.facet`, none for a learned
        name nobody listed) and the hits that need rewriting (as in `find`).

        Deliberately builds no `Match` for a hit already in its chosen spelling (only its entity id is
        kept), and maps back to ``text``'s coordinates only the hits that are rewritten.
        """
        hits, marks_at = self._accepted(text)
        if not hits:
            return [], []
        if not self._guarded.isdisjoint(map(_KEY, hits)):
            hits = self._person_context(text, hits, marks_at)
        if marks_at:
            hits = _without_tanween(text, hits, marks_at)
        keys = list(map(_KEY, hits))
        found = list(filter(None, map(self._facet_of.__getitem__, keys)))
        rewrites = list(itertools.compress(hits, map(self._rewrites.__getitem__, keys)))
        if not rewrites:
            return found, []
        if marks_at:
            rewrites = _remap(text, rewrites, marks_at)
        entity_of, replacement_of = self._entity_of, self._replacement_of
        return found, [Match(s, e, entity_of[i], replacement_of[i]) for i, s, e in rewrites]

    def _person_context(self, text: str, hits: list[Hit], marks_at: list[int]) -> list[Hit]:
        """``hits`` less the one-word person hits `PersonGuard` rejects (checked in ``text`` itself)."""
        guarded, guard, rewrites, entity_of = self._guarded, self._guard, self._rewrites, self._entity_index
        out = []
        for hit in hits:
            i, s, e = hit
            if i in guarded:
                before = bisect.bisect_right(marks_at, s) if marks_at else 0
                inside = bisect.bisect_left(marks_at, e) - before if marks_at else 0
                if guard.rejects(text, s + before, e + before + inside, entity_of[i], rewrites[i]):
                    continue
            out.append(hit)
        return out

    def _accepted(self, text: str) -> tuple[list[Hit], list[int]]:
        """The hits that pass the rules, in ``text`` without marks, and where the marks were (`_marks_at`).

        Deliberately does not map spans back to ``text`` nor look for tanween (see `_remap`).
        """
        view = self._view
        if view is None:
            if not self._size:
                return [], []
            stripped, removed = _MARKS_RE.subn("", text)
            hits = self._str_hits(stripped)
            return hits, _marks_at(text) if removed and hits else []
        encoded = view.encode(text)
        s = encoded.translate(_IDENTITY, view.marks)  # faster than a None table
        found: list[Hit] = self._automaton.find_matches_as_indexes(s)
        if not found:
            return found, []
        removed = len(s) != len(encoded)
        hits = self._byte_hits(text, s, removed, found)
        if hits and removed:
            # every mark as the first one's byte: the runs between them are the kept characters
            runs = encoded.translate(view.one_mark).split(view.marks[:1])
            return hits, list(itertools.accumulate(map(len, runs[:-1])))
        return hits, []

    def _byte_hits(self, text: str, s: bytes, removed: bool, found: list[Hit]) -> list[Hit]:
        """`_str_hits` on ``s``, the byte view of ``text`` without marks, for its automaton matches ``found``.

        The same decisions: a hit with neither a letter, a digit nor a ``?`` on either side is taken at once.
        """
        # the class of every byte, and a text edge (index n, or -1) counts as a space
        classes = s.translate(self._classes) + b"\0"
        out: list[Hit] = []
        plain: _Plain | None = None
        for hit in found:
            i, start, end = hit
            c = classes[end]
            if not (c | classes[start - 1]):
                out.append(hit)
                continue
            if c:
                if c != _UNKNOWN:
                    continue
                plain = plain or _Plain(text, removed)
                if plain.alnum_at(end):
                    continue
            c = classes[start - 1]
            if c == _PROCLITIC:
                # the word must start within MAX_PREFIX proclitic letters before the name
                ws = start - 1
                stop = max(start - MAX_PREFIX, 0)
                while ws > stop and classes[ws - 1] == _PROCLITIC:
                    ws -= 1
                c = classes[ws - 1]
                if c:
                    if c != _UNKNOWN:
                        continue
                    plain = plain or _Plain(text, removed)
                    if plain.alnum_at(ws - 1):
                        continue
                if s[ws:start] not in self._prefix_bytes[self._kinds[i]] or s[ws:end] in self._native_bytes:
                    continue
                if end - start < KAF_MIN and s[ws:start] in self._kaf_bytes:
                    continue
            elif c:
                if c != _UNKNOWN:
                    continue
                plain = plain or _Plain(text, removed)
                if plain.alnum_at(start - 1):
                    continue
            out.append(hit)
        return out

    def _str_hits(self, s: str) -> list[Hit]:
        """The hits in ``s`` (already without marks) that pass the boundary, proclitic and native rules."""
        out: list[Hit] = []
        native = self.native
        kinds = self._kinds
        prefix_re = _PREFIX_RE
        n = len(s)
        try:
            found: list[Hit] = self._automaton.find_matches_as_indexes(s)
        except UnicodeEncodeError:  # a lone surrogate: searched as U+FFFD, which is no letter either
            found = self._automaton.find_matches_as_indexes(_SURROGATES_RE.sub("\ufffd", s))
        for hit in found:
            i, start, end = hit
            if end < n and s[end].isalnum():
                continue
            if start and s[start - 1].isalnum():
                ws = start - 1
                while ws > 0 and s[ws - 1].isalnum():
                    ws -= 1
                    if start - ws > MAX_PREFIX:
                        break
                else:
                    if (
                        prefix_re[kinds[i]].fullmatch(s, ws, start)
                        and s[ws:end] not in native
                        and not (end - start < KAF_MIN and s[ws:start] in _KAF_PREFIXES)
                    ):
                        out.append(hit)
                continue
            out.append(hit)
        return out


def _rebuild(
    entities: tuple[Entity, ...],
    style: str,
    native: Iterable[str],
    generate: bool,
    byte_view: bool,
    learned: tuple[Entity, ...] = (),
    learned_native: Iterable[str] = (),
    given: Iterable[tuple[str, Iterable[str]]] = (),
) -> Matcher:
    return Matcher(
        entities,
        style,
        frozenset(native),
        generate,
        byte_view=byte_view,
        learned=learned,
        learned_native=frozenset(learned_native),
        given={k: frozenset(v) for k, v in given} or None,
    )


class _Plain:
    """The text without marks, made only if a ``?`` of the byte view next to a hit needs a look."""

    __slots__ = ("_removed", "_text")

    def __init__(self, text: str, removed: bool) -> None:
        self._text = text
        self._removed = removed

    def alnum_at(self, i: int) -> bool:
        """Whether character ``i`` of the text without marks is a letter or digit."""
        if self._removed:
            self._text, self._removed = strip_marks(self._text), False
        return self._text[i].isalnum()


def _marks_at(text: str) -> list[int]:
    """For each mark in ``text``, how many characters that are not marks precede it."""
    return [m.start() - i for i, m in enumerate(_MARKS_RE.finditer(text))]


def _remap(text: str, hits: list[Hit], marks_at: list[int]) -> list[Hit]:
    """Spans of hits in the stripped text, in ``text``; a span with tanween inside is not a name (dropped).

    ``marks_at`` is `_marks_at` of ``text``. A span gets the marks between its first and last character.
    """
    out = []
    for i, s, e in hits:
        before = bisect.bisect_right(marks_at, s)
        inside = bisect.bisect_left(marks_at, e) - before
        start, end = s + before, e + before + inside
        if not inside or _TANWEEN_RE.search(text, start, end) is None:
            out.append((i, start, end))
    return out


def _without_tanween(text: str, hits: list[Hit], marks_at: list[int]) -> list[Hit]:
    """``hits`` (stripped-text spans) less those whose span in ``text`` has tanween; spans unchanged."""
    before = list(map(functools.partial(bisect.bisect_right, marks_at), map(_START, hits)))
    through = list(map(functools.partial(bisect.bisect_left, marks_at), map(_END, hits)))
    if before == through:  # no marks inside any span
        return hits
    return [
        hit
        for hit, b, t in zip(hits, before, through, strict=True)
        if b == t or _TANWEEN_RE.search(text, hit[1] + b, hit[2] + t) is None
    ]


_SHARED = -1
"""A form that two entities list (or generate): no key."""


@functools.lru_cache(maxsize=4)
def _spellings_cached(
    entities: tuple[Entity, ...], style: str, native: frozenset[str], generate: bool
) -> tuple[Spelling, ...]:
    """`_spellings`, once per process for the same gazetteer: a run builds the matcher without a learned
    model (to check the tables) and then with it; the gazetteer's keys are the same."""
    return _spellings(entities, style, native, generate)


def _spellings(
    entities: tuple[Entity, ...], style: str, native: frozenset[str], generate: bool
) -> tuple[Spelling, ...]:
    """The automaton keys: output spellings, listed variants, then generated variants, conflicts removed."""
    written: dict[str, int] = {}
    listed: dict[str, int] = {}  # the one entity that lists / generates the form, or SHARED
    generated: dict[str, int] = {}
    for i, e in enumerate(entities):
        out = e.spelling(style)
        written.setdefault(out, i)
        # a listed variant that the native list names is withdrawn (review found it another word: ماتس
        # is Mats Hummels, not Mattis; ألمانا the accusative of ألمان, not Germany)
        forms = [f for f in e.forms() if f == e.canonical or f not in native]
        for form in forms:
            if listed.setdefault(form, i) != i:
                listed[form] = _SHARED
        if generate:
            for form in {*forms, out}:
                for g in variants(form, e.flags):
                    if generated.setdefault(g, i) != i:
                        generated[g] = _SHARED
    keys: dict[str, int] = dict(written)
    for form, owner in listed.items():
        if form not in keys and owner != _SHARED:
            keys[form] = owner
    for form, owner in generated.items():
        if form not in keys and form not in listed and owner != _SHARED and form not in native:
            keys[form] = owner
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


def _learned_spellings(
    base: tuple[Spelling, ...], offset: int, learned: tuple[Entity, ...], style: str, native: frozenset[str]
) -> tuple[Spelling, ...]:
    """Keys of learned rows (entity indexes from ``offset``): their spellings and generated variants that
    are not already a key of the gazetteer, not native, and not claimed by two learned rows. A learned
    row's chosen spelling (its canonical) is written as it is."""
    from arcorpus.text.names.learn import frequent_words

    taken = {sp.key for sp in base}
    native = native | frozenset(frequent_words())  # a generated spelling is never a frequent word
    owner: dict[str, int] = {}
    for i, e in enumerate(learned, offset):
        forms = set(e.forms())
        for form in forms | {g for f in forms for g in variants(f, e.flags)}:
            if form in taken or (form in native and form not in forms):
                continue
            if owner.setdefault(form, i) != i:
                owner[form] = _SHARED
    out: list[Spelling] = []
    for key, i in owner.items():
        if i == _SHARED:
            continue
        target = learned[i - offset].canonical
        replacement = None if key == target else target
        kind = DEFINITE_FORM if key.startswith(DEFINITE) and len(key) > 2 else PLAIN
        out.append(Spelling(key, i, replacement, kind))
    return tuple(out)


def _person_guard(
    entities: tuple[Entity, ...],
    by_key: Mapping[str, Spelling],
    native: frozenset[str],
    given: Mapping[str, frozenset[str]] | None = None,
) -> tuple[PersonGuard, frozenset[int]]:
    """The `PersonGuard` of these keys, and the indexes of the keys it checks (one-word person spellings)."""
    from arcorpus.text.names.learn import frequent_words

    mined = load_given()
    given = given or {}
    single = {key for key in by_key if " " not in key and "-" not in key}
    guarded = frozenset(
        n
        for n, (key, sp) in enumerate(by_key.items())
        if key in single and entities[sp.entity].type == "person"
    )
    names: dict[int, frozenset[str]] = {}
    for i, e in enumerate(entities):
        if e.type == "person":
            forms = e.forms()
            listed = given_names(forms, {f for f in forms if " " not in f})
            names[i] = listed | mined.get(e.id, frozenset()) | given.get(e.id, frozenset())
    compound = frozenset(key for key in single if entities[by_key[key].entity].type in COMPOUND_TYPES)
    plain = native | frozenset(frequent_words()) | frozenset(single)
    return PersonGuard(plain, compound, names), guarded
