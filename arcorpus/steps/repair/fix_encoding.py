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
from collections.abc import Sequence

import ftfy

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_INDIC_DIGITS, CORE_LETTERS, char_class
from arcorpus.text.edits import MOJIBAKE_GATE, inventory, rewrite_lines, span_change

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
)
_WEAK = frozenset(
    "\u060c\u061b\u061f\u00ab\u00bb\u00a0\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u200c\u200d"
)


def _units() -> dict[str, bool]:
    units: dict[str, bool] = {}
    for c in _EXPECTED:
        try:
            moji = c.encode("utf-8").decode("cp1256")
        except UnicodeDecodeError:
            continue
        trail = moji[1:]
        units[moji] = any(t not in _WEAK and t not in CORE_LETTERS for t in trail)
    return units


UNITS = _units()
"""Mojibake unit (an expected character's UTF-8 bytes read as cp1256) -> is it strong evidence."""
_UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")"
_UNIT_RE = re.compile(_UNIT)
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


class FixEncoding:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if inventory(doc).isdisjoint(MOJIBAKE_GATE):
            return doc
        changes: list[Change] = []
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if not _GATE_SEARCH(line):
                continue
            fixed, explanation = ftfy.fix_and_explain(line, FTFY_CONFIG)
            if fixed != line and "\n" not in fixed:
                changes.append(span_change(NAME, _ftfy_rule(explanation), i, line, fixed, 1))
                lines[i] = fixed
        new = "\n".join(lines) if changes else text
        new, _ = rewrite_lines(
            new, NAME, f"{NAME}.utf8_as_cp1256", _fix_cp1256, _GATE_SEARCH, "rewrite", changes
        )
        new, _ = rewrite_lines(
            new, NAME, f"{NAME}.cp1256_as_latin1", _fix_latin1, _GATE_SEARCH, "rewrite", changes
        )
        if not changes:
            return doc
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> FixEncoding | None:
    return FixEncoding() if config.fix_encoding else None
