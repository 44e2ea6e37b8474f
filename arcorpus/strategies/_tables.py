"""Tables behind `arcorpus.strategies`: derived from Unicode, or read from the package's data files.

Nothing here imports hypothesis; everything is computed once and kept immutable. What Unicode defines
(letters, harakat, digits, presentation forms and their joining behaviour, space characters) is derived
with `unicodedata`; what is knowledge (frequent words, boilerplate lines, name spellings) is read from
``arcorpus/data/``. This module deliberately does not generate anything: that is the strategies' job.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from arcorpus import data

# --- characters derived from Unicode ----------------------------------------------------------------

ARABIC_LETTERS: tuple[str, ...] = tuple(
    chr(cp)
    for cp in (*range(0x0621, 0x063B), *range(0x0641, 0x064B))
    if unicodedata.category(chr(cp)) == "Lo"
)
"""The 36 letters of Arabic proper: U+0621..U+063A and U+0641..U+064A (tatweel, a modifier letter, and
the later Persian/African additions U+063B..U+063F excluded)."""

HAMZA_FORMS: tuple[str, ...] = tuple(
    ch for ch in ARABIC_LETTERS if "HAMZA" in unicodedata.name(ch) or "MADDA" in unicodedata.name(ch)
)
"""Hamza, alef with madda/hamza above/below, waw and yeh with hamza: the letters whose Unicode name
carries a hamza or madda."""

HARAKAT: tuple[str, ...] = tuple(chr(cp) for cp in range(0x064B, 0x0653))
"""The eight classic diacritics: fathatan, dammatan, kasratan, fatha, damma, kasra, shadda, sukun."""

TANWEEN: frozenset[str] = frozenset(HARAKAT[:3])
SHADDA = "\N{ARABIC SHADDA}"
SUKUN = "\N{ARABIC SUKUN}"
SHORT_VOWELS: tuple[str, ...] = HARAKAT[3:6]
DAGGER_ALEF = "\N{ARABIC LETTER SUPERSCRIPT ALEF}"
TATWEEL = "\N{ARABIC TATWEEL}"

DIGITS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        system: tuple(chr(first + d) for d in range(10))
        for system, first in (("ascii", 0x30), ("arabic_indic", 0x0660), ("persian", 0x06F0))
    }
)
"""The ten digits of each system, in value order (checked against `unicodedata.digit` in the tests)."""

ARABIC_PUNCTUATION: tuple[str, ...] = tuple(
    chr(cp) for cp in range(0x0600, 0x0700) if unicodedata.category(chr(cp)) == "Po"
)
"""Every Po (other punctuation) character of the Arabic block (comma, semicolon, question mark,
percent, decimal separator...)."""

UNICODE_SPACES: tuple[str, ...] = tuple(
    chr(cp) for cp in range(0x80, 0x3001) if unicodedata.category(chr(cp)) == "Zs"
)
"""Every space separator other than the ASCII space (NBSP, en/em/thin spaces, narrow NBSP, ideographic)."""

INVISIBLES: tuple[str, ...] = (
    "\N{ZERO WIDTH SPACE}",
    "\N{ZERO WIDTH NON-JOINER}",
    "\N{ZERO WIDTH JOINER}",
    "\N{WORD JOINER}",
    "\N{LEFT-TO-RIGHT MARK}",
    "\N{RIGHT-TO-LEFT MARK}",
    "\N{ARABIC LETTER MARK}",
    "\N{LEFT-TO-RIGHT EMBEDDING}",
    "\N{RIGHT-TO-LEFT EMBEDDING}",
    "\N{POP DIRECTIONAL FORMATTING}",
    "\N{LEFT-TO-RIGHT OVERRIDE}",
    "\N{RIGHT-TO-LEFT OVERRIDE}",
    "\N{LEFT-TO-RIGHT ISOLATE}",
    "\N{RIGHT-TO-LEFT ISOLATE}",
    "\N{FIRST STRONG ISOLATE}",
    "\N{POP DIRECTIONAL ISOLATE}",
    "\N{ZERO WIDTH NO-BREAK SPACE}",
    "\N{SOFT HYPHEN}",
)
"""The invisible characters the ``remove_invisible`` step promises to remove (issue 3's list)."""

CONTROLS: tuple[str, ...] = ("\x00", "\x01", "\x07", "\x1b", "\x7f")
"""C0 controls (and DEL) that scraped text carries. Deliberately not \\x1c-\\x1e or \\x85, which Python's
`str.splitlines` treats as line breaks, nor C1 controls, which mojibake repair may read as cp1252 bytes."""

PERSIAN_LOOKALIKES: Mapping[str, str] = MappingProxyType(
    {
        "\N{ARABIC LETTER KAF}": "\N{ARABIC LETTER KEHEH}",
        "\N{ARABIC LETTER YEH}": "\N{ARABIC LETTER FARSI YEH}",
    }
)
"""Arabic letter -> the look-alike a Persian/Urdu keyboard types for it. Yeh is replaced only inside a
word (a final Persian yeh may stand for yeh or alef maqsura, which only evidence can decide)."""


def _presentation_forms() -> tuple[Mapping[tuple[str, str], str], frozenset[str]]:
    """(base letters, positional form) -> presentation-form character, from the decompositions.

    Arabic Presentation Forms-B (U+FE70..U+FEFF) win over -A (U+FB50..U+FDFF) when both have a form.
    A letter with an initial or medial form joins on both sides ("dual-joining").
    """
    table: dict[tuple[str, str], str] = {}
    for block in (range(0xFE70, 0xFF00), range(0xFB50, 0xFE00)):
        for cp in block:
            decomposition = unicodedata.decomposition(chr(cp)).split()
            if len(decomposition) < 2 or decomposition[0] not in (
                "<isolated>",
                "<initial>",
                "<medial>",
                "<final>",
            ):
                continue
            base = "".join(chr(int(h, 16)) for h in decomposition[1:])
            if not all(0x0621 <= ord(ch) <= 0x064A for ch in base) or len(base) > 2:
                continue
            table.setdefault((base, decomposition[0][1:-1]), chr(cp))
    dual = frozenset(base for base, form in table if form in ("initial", "medial") and len(base) == 1)
    return MappingProxyType(table), dual


PRESENTATION_FORMS, DUAL_JOINING = _presentation_forms()

# --- data files -------------------------------------------------------------------------------------


def _rows(name: str) -> tuple[Mapping[str, str], ...]:
    """The rows of the shipped table ``name`` (`arcorpus.data`); () when it is not installed."""
    try:
        return tuple(row.cells for row in data.table(name).rows)
    except OSError:
        return ()


@functools.cache
def wordlist() -> tuple[tuple[str, int], ...]:
    """(word, corpus count) from ``arcorpus/data/wordlist.tsv``, most frequent first."""
    return tuple((row["word"], int(row["count"])) for row in data.table("wordlist.tsv").rows)


@functools.cache
def letter_weights() -> tuple[tuple[str, int], ...]:
    """Each Arabic letter with its frequency in running text (word counts x occurrences), most frequent
    first."""
    counts: Counter[str] = Counter()
    for word, n in wordlist():
        for ch in word:
            counts[ch] += n
    return tuple(sorted(((ch, counts.get(ch, 0)) for ch in ARABIC_LETTERS), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class NameEntry:
    """One entity: its canonical spelling (default house style) and variant spellings seen in the press."""

    id: str
    canonical: str
    variants: tuple[str, ...]
    source: str  # "names.tsv" or "fallback"


@dataclass(frozen=True)
class BoilerplateLine:
    """One literal boilerplate line and the catalogue rule (or fallback row) it exemplifies."""

    id: str
    text: str
    source: str


@functools.cache
def _fallback_rows() -> tuple[Mapping[str, str], ...]:
    return _rows("strategies_fallback.tsv")


def _split_cell(cell: str) -> tuple[str, ...]:
    for sep in ("|", ";"):
        if sep in cell:
            return tuple(p.strip() for p in cell.split(sep) if p.strip())
    return (cell.strip(),) if cell.strip() else ()


def _first(row: Mapping[str, str], *keys: str) -> str:
    for key in keys:
        if row.get(key):
            return row[key]
    return ""


@functools.cache
def name_entries() -> tuple[NameEntry, ...]:
    """Entities with at least one variant spelling: from ``names.tsv`` when it is installed, else the
    fallback rows of ``strategies_fallback.tsv``."""
    entries: list[NameEntry] = []
    for row in _rows("names.tsv"):
        ident = _first(row, "id", "entity", "entity_id")
        canonical = _first(row, "canonical", "canonical_spelling", "spelling")
        variants = _split_cell(_first(row, "variants", "known_variants"))
        variants = tuple(v for v in variants if v != canonical)
        if ident and canonical and variants:
            entries.append(NameEntry(ident, canonical, variants, "names.tsv"))
    if entries:
        return tuple(entries)
    return tuple(
        NameEntry(row["id"], row["text"], _split_cell(row["variants"]), "fallback")
        for row in _fallback_rows()
        if row.get("kind") == "name"
    )


@dataclass(frozen=True)
class BoilerplateRule:
    """A whole-line removal rule of ``boilerplate.tsv``: its id, pattern and word limit (0 = none)."""

    id: str
    pattern: str
    max_words: int


@functools.cache
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The whole-line removal rules of ``boilerplate.tsv`` (scope ``line``, no metadata field); () when
    the catalogue is not installed."""
    return tuple(
        BoilerplateRule(row["id"], row["pattern"], int(row.get("max_words") or 0))
        for row in _rows("boilerplate.tsv")
        if row.get("scope") == "line" and not row.get("field") and row.get("pattern")
    )


_REGEX_META = frozenset("\\.^$*+?{}[]()|")


def literal_alternatives(pattern: str) -> tuple[str, ...]:
    """The alternatives of a pattern that is a plain alternation of literal strings (``a|b c|d``), else ().

    Deliberately conservative: a pattern with any group, class, quantifier or escape yields nothing, so
    every string returned is exactly something the rule was written to match.
    """
    alternatives = pattern.split("|")
    if any(not alt.strip() or _REGEX_META & set(alt) for alt in alternatives):
        return ()
    return tuple(alt.strip() for alt in alternatives)


@functools.cache
def boilerplate_lines() -> tuple[BoilerplateLine, ...]:
    """Literal boilerplate lines from ``boilerplate.tsv``: the literal alternatives of its whole-line removal
    rules (scope ``line``, no metadata field), e.g. the ad, breaking-news, UI-word, end-marker rules; else
    (catalogue absent) the fallback rows of ``strategies_fallback.tsv``."""
    lines: list[BoilerplateLine] = []
    for row in _rows("boilerplate.tsv"):
        if row.get("scope") != "line" or row.get("field"):
            continue
        lines.extend(
            BoilerplateLine(row.get("id", ""), alt, "boilerplate.tsv")
            for alt in literal_alternatives(row.get("pattern", ""))
        )
    if lines:
        return tuple(lines)
    return tuple(
        BoilerplateLine(row["id"], row["text"], "fallback")
        for row in _fallback_rows()
        if row.get("kind") == "boilerplate"
    )
