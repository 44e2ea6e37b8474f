"""`fold(text)`: the search-folding matching key other steps use (dedup keys, site-line hashes).

Folds every alef form (hamza above/below, madda, wasla, wavy hamza) to bare alef, alef maqsura to yeh, teh
marbuta to heh; removes the Arabic combining marks (harakat, tanween, shadda, sukun, dagger alef, Quranic
marks: derived from Unicode as the Mn characters of the Arabic blocks), tatweel and invisible format
characters; maps presentation forms and ligatures (phrase ligatures included) to letters, the Persian/Urdu
look-alike letters of ``arcorpus/data/lookalikes.tsv`` to Arabic letters, and every digit to ASCII.

It is idempotent and keeps the number of lines. It deliberately does not normalise whitespace or
punctuation (callers decide that), does not fold hamza on waw/yeh (distinct spellings, not variants of one
letter), and does not lower-case Latin text.

Speed: the frequent folds are a short chain of `str.replace` calls (C speed, far faster than `str.translate`
with a dict); the rare characters are found with one regex search and their runs mapped with `str.translate`
(the whole text at once only when it has more than `_RUN_LIMIT` runs).
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType

from arcorpus.text.chars import (
    ARABIC_MARKS,
    CORE_LETTERS,
    INVISIBLE,
    PHRASE_LIGATURES,
    PRESENTATION_FORMS,
    TATWEEL,
    TO_ASCII_DIGITS,
    char_class,
    lookalike_letters,
)

ALEF = "\N{ARABIC LETTER ALEF}"
YEH = "\N{ARABIC LETTER YEH}"
HEH = "\N{ARABIC LETTER HEH}"


def _base_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cp in range(0x0621, 0x0700):
        c = chr(cp)
        name = unicodedata.name(c, "")
        if name.startswith("ARABIC LETTER ALEF") and "MAKSURA" not in name and c != ALEF:
            table[c] = ALEF
    table["\N{ARABIC LETTER ALEF MAKSURA}"] = YEH
    table["\N{ARABIC LETTER TEH MARBUTA}"] = HEH
    for c in ARABIC_MARKS | {TATWEEL} | INVISIBLE:
        table[c] = ""
    table.update(TO_ASCII_DIGITS)
    for c, (_, target) in lookalike_letters().items():
        table.setdefault(c, target or YEH)
    return table


def _fold_with(table: dict[str, str], s: str) -> str:
    while True:
        out = "".join(table.get(c, c) for c in s)
        if out == s:
            return out
        s = out


def _tables() -> tuple[tuple[tuple[str, str], ...], dict[int, str], re.Pattern[str]]:
    table = _base_table()
    for c in PRESENTATION_FORMS.keys() | PHRASE_LIGATURES:
        table[c] = unicodedata.normalize("NFKC", c).strip(" ")
    folded = {c: _fold_with(table, t) for c, t in table.items()}
    # Frequent characters: a replace chain. Everything else: one regex gate + one translate.
    frequent = (
        [c for c in CORE_LETTERS if c in folded]
        + sorted(c for c in ARABIC_MARKS if 0x064B <= ord(c) <= 0x0652 or c == "\u0670")
        + [TATWEEL]
    )
    chain = tuple((c, folded[c]) for c in frequent)
    rare = {c: t for c, t in folded.items() if c not in frequent}
    return chain, {ord(c): t for c, t in rare.items()}, re.compile(char_class(rare))


_CHAIN, _RARE_TABLE, _RARE = _tables()
FOLD_TABLE = MappingProxyType({**{ord(c): t for c, t in _CHAIN}, **_RARE_TABLE})
"""The whole fold as a `str.translate` table (for reference and tests; `fold` itself is faster)."""
_RARE_SEARCH = _RARE.search
_RARE_RUNS_SUBN = re.compile(_RARE.pattern + "+").subn
_RUN_LIMIT = 64
"""Runs of rare characters folded one by one before `fold` gives up and translates the whole text."""


def _fold_run(match: re.Match[str]) -> str:
    return match[0].translate(_RARE_TABLE)


def fold(text: str) -> str:
    """The search-folded form of ``text`` (see the module docstring for exactly what is folded).

    Rare characters: `str.translate` with a dict costs tens of nanoseconds per character of the whole
    text, so a text with a few of them has just its runs of rare characters translated (one regex pass);
    a text with more than `_RUN_LIMIT` runs is translated whole. Both give the same text: the table is a
    per-character map whose values contain no character it maps."""
    if _RARE_SEARCH(text):
        text, runs = _RARE_RUNS_SUBN(_fold_run, text, _RUN_LIMIT)
        if runs == _RUN_LIMIT:
            text = text.translate(_RARE_TABLE)
    for c, t in _CHAIN:
        if c in text:
            text = text.replace(c, t)
    return text
