"""Character classes and maps derived from the Unicode database, shared by the orthography steps and `fold`.

Everything here is computed from `unicodedata` at import time (a few thousand code points, ~ms): nothing
Unicode already defines is typed by hand. Knowledge a person might want to edit (Persian/Urdu look-alike
letters, words spelled with alef maqsura) lives in ``arcorpus/data/*.tsv``; `lookalike_letters` reads the
look-alike table for the ``lookalikes`` step and `fold`.

All tables are immutable (frozenset / MappingProxyType). This module deliberately does no text processing.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from arcorpus import data

TATWEEL = "\N{ARABIC TATWEEL}"
ALEF = "\N{ARABIC LETTER ALEF}"
FATHATAN = "\N{ARABIC FATHATAN}"

_ARABIC_RANGES = ((0x0600, 0x0700), (0x0750, 0x0780), (0x08A0, 0x0900))


def _cps(ranges: Iterable[tuple[int, int]]) -> Iterable[str]:
    for lo, hi in ranges:
        for cp in range(lo, hi):
            yield chr(cp)


ARABIC_MARKS: frozenset[str] = frozenset(c for c in _cps(_ARABIC_RANGES) if unicodedata.category(c) == "Mn")
"""Combining marks of the Arabic blocks: harakat, tanween, shadda, sukun, dagger alef, Quranic marks."""

ARABIC_LETTERS: frozenset[str] = frozenset(c for c in _cps(_ARABIC_RANGES) if unicodedata.category(c) == "Lo")
"""Letters of the Arabic blocks (Arabic, Persian, Urdu...). Tatweel (Lm) is not a letter."""

CORE_LETTERS: frozenset[str] = frozenset(chr(cp) for cp in range(0x0621, 0x064B) if chr(cp) != TATWEEL)
"""The 28 letters + hamza forms + ta marbuta + alef maqsura of standard Arabic (U+0621-U+064A)."""

# Arabic "prepended concatenation marks" and similar Cf characters that render visibly: never removed.
_VISIBLE_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")

SPACES: frozenset[str] = frozenset(
    c for c in _cps(((0x0000, 0x3001),)) if c.isspace() and c not in (" ", "\n")
) | frozenset("\u2028\u2029\u3000")
"""Whitespace other than the plain space and the newline: NBSP, thin/em/... spaces, tab, CR, VT, FF, NEL,
line/paragraph separators. `fix_spacing` turns them into a plain space (never into a newline)."""

INVISIBLE: frozenset[str] = (
    frozenset(
        c
        for c in _cps(((0x0000, 0x10000),))
        if unicodedata.category(c) in ("Cf", "Cc") and c not in SPACES and c != "\n"
    )
    - _VISIBLE_FORMAT
)
"""Format (Cf) and control (Cc) characters that `remove_invisible` deletes: zero-width characters, bidi
marks/embeddings/isolates, BOM, soft hyphen, NUL and other C0/C1 controls. Whitespace controls are left
to `fix_spacing`; the visible Arabic number signs (U+0600-U+0605, U+06DD) are kept."""

ZWJ = "\N{ZERO WIDTH JOINER}"


def _presentation_forms() -> tuple[Mapping[str, str], frozenset[str]]:
    table: dict[str, str] = {}
    phrases: set[str] = set()
    for c in _cps(((0xFB50, 0xFE00), (0xFE70, 0xFEFF))):
        decomposition = unicodedata.decomposition(c)
        if not decomposition.startswith("<") or unicodedata.category(c) != "Lo":
            continue  # ornate parentheses, the rial sign, bismillah (no decomposition): symbols, kept
        target = unicodedata.normalize("NFKC", c)
        if target.startswith(" "):  # spacing forms of harakat (U+FE70...): the mark itself
            target = target.lstrip(" ")
        if " " in target:
            phrases.add(c)  # multi-word ligatures such as U+FDFA: kept as written
            continue
        table[c] = target
    return MappingProxyType(table), frozenset(phrases)


PRESENTATION_FORMS, PHRASE_LIGATURES = _presentation_forms()
"""`PRESENTATION_FORMS`: presentation form / ligature -> base letters (derived from NFKC). `PHRASE_LIGATURES`:
multi-word ligatures (U+FDFA, U+FDFB ...) which the standard profile keeps and `fold` expands."""


def _digit_map(target_zero: int) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for lo in (0x30, 0x0660, 0x06F0):
        if lo == target_zero:
            continue
        for i in range(10):
            c = chr(lo + i)
            out[c] = chr(target_zero + unicodedata.digit(c))
    return MappingProxyType(out)


TO_ASCII_DIGITS = _digit_map(0x30)
"""Arabic-Indic and Persian (Extended Arabic-Indic) digits -> ASCII."""
TO_ARABIC_DIGITS = _digit_map(0x0660)
"""ASCII and Persian digits -> Arabic-Indic."""
PERSIAN_DIGITS: Mapping[str, str] = MappingProxyType(
    {chr(0x06F0 + i): chr(0x0660 + unicodedata.digit(chr(0x06F0 + i))) for i in range(10)}
)
"""Persian digits -> Arabic-Indic (what the look-alike step does in every digit mode)."""
ARABIC_INDIC_DIGITS = frozenset(chr(0x0660 + i) for i in range(10))


def char_class(chars: Iterable[str]) -> str:
    """A regex character class (``[...]``) matching exactly ``chars``, as escaped code point ranges."""
    cps = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def _esc(cp: int) -> str:
    return f"\\x{cp:02x}" if cp < 0x100 else (f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")


@functools.cache
def lookalike_letters() -> Mapping[str, tuple[str, str]]:
    """Each Persian/Urdu look-alike letter of ``arcorpus/data/lookalikes.tsv`` -> (its row id, its Arabic
    letter, or ``""`` where the position in the word decides: FARSI YEH)."""
    letters = {}
    for row in data.table("lookalikes.tsv").rows:
        target = "" if row["target"] == "by_position" else _codepoint(row["target"])
        letters[_codepoint(row["char"])] = (row["id"], target)
    return MappingProxyType(letters)


def _codepoint(value: str) -> str:
    return chr(int(value.removeprefix("U+"), 16))
