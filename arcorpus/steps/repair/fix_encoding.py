"""``fix_encoding``: repair mojibake, line by line, only where the evidence is strong.

Rules:
- ``fix_encoding.utf8_as_<codec>`` (ftfy): UTF-8 text that was decoded as cp1252, latin-1, cp1250, MacRoman...
  ftfy is configured so it cannot damage Arabic: no quote uncurling (it destroys cp1256 mojibake beyond
  repair), no HTML unescaping (``fix_markup`` does that), no C1-control fixing (those bytes may be cp1256
  text read as latin-1), no ligature/width/normalization changes, no lossy-sequence replacement.
- ``fix_encoding.utf8_as_cp1256``: UTF-8 text decoded as windows-1256, which ftfy does not cover (every Arabic
  letter becomes TAH or ZAH followed by a symbol). Spans are repaired inside a line, so a line that is
  half clean and half damaged keeps its clean half. A span is repaired only if it contains at least two
  character pairs whose second half never follows TAH/ZAH in real Arabic text (section sign, double low
  quote, TTEH...), and only if every pair decodes to an expected character.
- ``fix_encoding.cp1256_as_latin1``: windows-1256 bytes decoded as latin-1/cp1252 (Latin-1 letters such as
  C-cedilla a-acute ... standing for Arabic letters). A span is repaired only if the result contains a word of
  at least three Arabic letters; French/Spanish/German words stay as they are (the letters cp1256 shares
  with latin-1 decode to themselves).

Clean text pays one set-intersection (`inventory`): nothing is decoded unless a mojibake character is present.
Measured on the whole shared corpus by ``benchmarks/check_mojibake_corpus.py`` (see docs/orthography.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import ftfy

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import (
    ARABIC_INDIC_DIGITS,
    CORE_LETTERS,
    INVISIBLE,
    PHRASE_LIGATURES,
    PRESENTATION_FORMS,
    SPACES,
    char_class,
)
from arcorpus.text.edits import EXTENDED_ARABIC, MOJIBAKE_GATE, inventory, rewrite_lines, span_change

NAME = "fix_encoding"

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

_GATE_SEARCH = re.compile(char_class(MOJIBAKE_GATE)).search
_ASCII_GAP = r"[\x20-\x40\x5b-\x60\x7b-\x7e]"  # ASCII spaces, digits and punctuation (no letters)

# --- UTF-8 read as windows-1256 ------------------------------------------------------------------------
_EXPECTED = (
    CORE_LETTERS
    | frozenset(chr(c) for c in range(0x064B, 0x0653))
    | ARABIC_INDIC_DIGITS
    | frozenset("\u060c\u061b\u061f\u0640\u0670\u067e\u0686\u0698\u06a9\u06af\u06cc")
    | frozenset("\u00a0\u00ab\u00bb\u2013\u2014\u2018\u2019\u201c\u201d\u2026")
    # what the other repair/orthography steps fix once it is decoded: presentation forms, odd spaces,
    # zero-width and bidi characters (unrepaired, their mojibake was left in pieces that a second pass
    # repaired: not idempotent)
    | frozenset(PRESENTATION_FORMS)
    | PHRASE_LIGATURES
    | frozenset(c for c in SPACES | INVISIBLE if c >= "\u00a0")
    # the rest of the Arabic block: decimal and thousands separators, percent sign, Persian letters...
    | frozenset(chr(c) for c in range(0x0600, 0x0700) if unicodedata.category(chr(c)) != "Cn")
)
_WEAK = frozenset(
    "\u060c\u061b\u061f\u00ab\u00bb\u00a0\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u200c\u200d"
)


_FORMS_B = range(0xFE70, 0xFF00)
"""Arabic Presentation Forms-B: their mojibake starts ``ï»``/``ïº``/``ï¹``, which genuine text never
holds, so one such unit is evidence enough (``ï»»``, lam-alef, has only weak trail characters)."""


def _units() -> dict[str, int]:
    units: dict[str, int] = {}
    for c in _EXPECTED:
        try:
            moji = c.encode("utf-8").decode("cp1256")
        except UnicodeDecodeError:
            continue
        trail = moji[1:]
        strong = any(t not in _WEAK and t not in CORE_LETTERS for t in trail)
        units[moji] = 2 if ord(c) in _FORMS_B else int(strong)
    return units


UNITS = _units()
"""Mojibake unit (an expected character's UTF-8 bytes read as cp1256) -> its weight as evidence (a span is
decoded from 2): 1 when a trail character is strong, 2 for a presentation form B, else 0."""


def _factored(units: list[str]) -> str:
    """A regex matching exactly one of ``units``, factored by leading character (a UTF-8 lead byte fixes
    the length of its sequence, so no unit is a prefix of another): no long alternation to try."""
    by_lead: dict[str, list[str]] = {}
    for unit in units:
        by_lead.setdefault(unit[0], []).append(unit[1:])
    alternatives = []
    for lead, rests in sorted(by_lead.items()):
        ones = sorted(r for r in rests if len(r) == 1)
        longer = [r for r in rests if len(r) > 1]
        parts = ([char_class(ones)] if ones else []) + ([_factored(longer)] if longer else [])
        tail = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        alternatives.append(re.escape(lead) + tail)
    return "(?:" + "|".join(alternatives) + ")"


_UNIT = _factored(sorted(UNITS))
_UNIT_RE = re.compile(_UNIT)
CP1256_TRAILS: frozenset[str] = (
    frozenset(
        t for u, weight in UNITS.items() if weight for t in u[1:] if t not in _WEAK and t not in CORE_LETTERS
    )
    & EXTENDED_ARABIC
)
"""Persian/Urdu letters that stand for a UTF-8 continuation byte in utf8-as-cp1256 mojibake and are not in
`MOJIBAKE_GATE` (``"في"`` becomes ``"ظپظٹ"``: no Latin-1 character at all). They open this rule's gate."""
_CP1256_GATE_SEARCH = re.compile(char_class(MOJIBAKE_GATE | CP1256_TRAILS)).search
_CP1256_SPAN = re.compile(rf"{_UNIT}+(?:{_ASCII_GAP}+{_UNIT}+)*")


def _fix_cp1256(line: str) -> tuple[str, int]:
    n = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        span = m.group()
        strong = sum(UNITS[u] for u in _UNIT_RE.findall(span))
        if strong < 2:
            return span
        try:
            fixed = span.encode("cp1256").decode("utf-8")
        except UnicodeError:
            return span
        n += 1
        return fixed

    return _CP1256_SPAN.sub(repl, line), n


# --- windows-1256 read as latin-1 / cp1252 -------------------------------------------------------------
# Latin-1 high half plus the cp1252 characters of bytes 0x80-0x9F.
_HIGH = (
    r"[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    r"\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_LATIN1_SPAN = re.compile(rf"{_HIGH}+(?:{_ASCII_GAP}+{_HIGH}+)*")
_ARABIC_WORD3 = re.compile(rf"{char_class(CORE_LETTERS)}{{3,}}")


def _decode_1256(span: str) -> str | None:
    for codec in ("latin-1", "cp1252"):
        try:
            return span.encode(codec).decode("cp1256")
        except UnicodeError:
            continue
    return None


def _fix_latin1(line: str) -> tuple[str, int]:
    n = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        span = m.group()
        fixed = _decode_1256(span)
        if fixed is None or fixed == span or not _ARABIC_WORD3.search(fixed):
            return span
        n += 1
        return fixed

    return _LATIN1_SPAN.sub(repl, line), n


# --- ftfy ----------------------------------------------------------------------------------------------
def _ftfy_rule(explanation: Sequence[tuple[str, str]] | None) -> str:
    for action, arg in explanation or ():
        if action == "encode":
            return f"{NAME}.utf8_as_{arg.replace('sloppy-', '')}"
    if explanation:
        return f"{NAME}.{explanation[0][1]}"
    return f"{NAME}.ftfy"


_ROUNDS = 3
"""At most this many passes over a document: a repair can uncover another (ftfy's cp1252 mojibake left
between two cp1256 spans), and the step must be idempotent. A second pass runs only after a change."""


class FixEncoding:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        found = inventory(doc)
        if found.isdisjoint(MOJIBAKE_GATE) and found.isdisjoint(CP1256_TRAILS):
            return doc
        changes: list[Change] = []
        new = doc.text
        for _ in range(_ROUNDS):
            done = len(changes)
            new = _repair(new, changes)
            if len(changes) == done:
                break
        if not changes:
            return doc
        return doc.evolve(text=new, changes=changes)


def _repair(text: str, changes: list[Change]) -> str:
    """One pass of the three rules over ``text``, recording into ``changes``.

    ``cp1256_as_latin1`` is tried on a line before ftfy: ftfy reads two of its Latin-1 letters as a UTF-8
    sequence (``Ð»``, which is ``ذ»``, became Cyrillic ``л``), and once it did the line cannot be decoded.
    ``utf8_as_cp1256`` is tried before ftfy too: ftfy decodes the units of presentation forms that cp1252
    shares (``ï»£``) and leaves the others (``ï؛ژ``, with cp1256's ``؛``) alone and too short to be
    evidence. ftfy gets what is left in the next round."""
    done = len(changes)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _GATE_SEARCH(line):
            continue
        fixed, count = _fix_latin1(line)
        if count and fixed != line:
            changes.append(span_change(NAME, f"{NAME}.cp1256_as_latin1", i, line, fixed, count))
            lines[i] = fixed
            continue
        fixed, count = _fix_cp1256(line) if _CP1256_GATE_SEARCH(line) else (line, 0)
        if count and fixed != line:
            changes.append(span_change(NAME, f"{NAME}.utf8_as_cp1256", i, line, fixed, count))
            lines[i] = fixed
            continue
        fixed, explanation = ftfy.fix_and_explain(line, FTFY_CONFIG)
        if fixed != line and "\n" not in fixed:
            changes.append(span_change(NAME, _ftfy_rule(explanation), i, line, fixed, 1))
            lines[i] = fixed
    new = "\n".join(lines) if len(changes) > done else text
    new, _ = rewrite_lines(
        new, NAME, f"{NAME}.utf8_as_cp1256", _fix_cp1256, _CP1256_GATE_SEARCH, "rewrite", changes
    )
    return new


def build(config: CleanConfig, models: Models) -> FixEncoding | None:
    return FixEncoding() if config.fix_encoding else None
