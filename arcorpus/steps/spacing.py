"""``fix_spacing``: spaces inside a line, and spacing around Arabic punctuation.

Rules:
- ``fix_spacing.unicode_space``: NBSP, thin/em/ideographic spaces, tab, CR, VT, FF, NEL and the Unicode
  line/paragraph separators become one plain space (never a newline: the line structure is kept).
- ``fix_spacing.collapse``: a run of spaces inside a line becomes one space.
- ``fix_spacing.space_before_punct``: no space before the Arabic comma, semicolon and question mark (after
  any non-space), nor before ``.`` ``:`` ``!`` and the ellipsis when an Arabic letter precedes and no digit
  follows (``... 3 .5`` and times such as ``10 : 30`` are left alone).
- ``fix_spacing.space_after_punct``: one space after the Arabic comma, semicolon and question mark when a
  letter follows; after ``.`` ``:`` ``!`` only between two Arabic letters and not after a one-letter
  abbreviation (so numbers, times, URLs, e-mails and abbreviations with dots are never split).

Trimming spaces at line ends and dropping empty lines is the final ``whitespace`` step's job; this step
deliberately never adds, removes or moves a newline.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from arcorpus.chars import CORE_LETTERS, SPACES, char_class
from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.steps._textops import carry, inventory, rewrite_lines

NAME = "fix_spacing"
NBSP = "\N{NO-BREAK SPACE}"
COMMA = "\N{ARABIC COMMA}"
SEMICOLON = "\N{ARABIC SEMICOLON}"
QUESTION = "\N{ARABIC QUESTION MARK}"
_AR = char_class(CORE_LETTERS)
_ARP = f"[{COMMA}{SEMICOLON}{QUESTION}]"
_SPACES_RE = re.compile(char_class(SPACES))
_RUN = re.compile(" {2,}")
# Both start with a literal space (fast search); at a line start the space is trimmed later anyway.
_BEFORE_AR = re.compile(rf" +(?={_ARP})")
_BEFORE_LAT = re.compile(rf" (?<={_AR} ) *(?=(?:[:!]|\.+|\u2026)(?!\d))")
_AFTER_AR = re.compile(rf"({_ARP})(?=[^\W\d_])")
# After . : ! or an ellipsis between two Arabic letters, unless the left word is one letter (abbreviation).
_AFTER_LAT = re.compile(rf"(?<={_AR})([.:!]+|\u2026)(?={_AR})")
_ABBREV_LEFT = re.compile(rf"(?:^|(?<=[\s(«\"])){_AR}$")
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


def _literal_gate(char: str, pattern: str) -> Callable[[str], object]:
    """A search for ``pattern``, which starts with the literal ``char``: fast (the regex engine jumps to the
    literal), and for a rare ``char`` a plain ``in`` test first."""
    search = re.compile(pattern).search
    if char in ".:" + COMMA:
        return search
    return lambda text: char in text and search(text)


_BEFORE_GATES = tuple(
    _literal_gate(c, p)
    for c, p in (
        (COMMA, rf"{COMMA}(?<=\S {COMMA})"),
        (SEMICOLON, rf"{SEMICOLON}(?<=\S {SEMICOLON})"),
        (QUESTION, rf"{QUESTION}(?<=\S {QUESTION})"),
        (".", rf"\.(?<={_AR} \.)"),
        (":", rf":(?<={_AR} :)"),
        ("!", rf"!(?<={_AR} !)"),
        (ELLIPSIS, rf"{ELLIPSIS}(?<={_AR} {ELLIPSIS})"),
    )
)
_AFTER_GATES = tuple(
    _literal_gate(c, p)
    for c, p in (
        (COMMA, rf"{COMMA}(?=[^\W\d_])"),
        (SEMICOLON, rf"{SEMICOLON}(?=[^\W\d_])"),
        (QUESTION, rf"{QUESTION}(?=[^\W\d_])"),
        (".", rf"\.(?={_AR})(?<={_AR}\.)"),
        (":", rf":(?={_AR})(?<={_AR}:)"),
        ("!", rf"!(?={_AR})(?<={_AR}!)"),
        (ELLIPSIS, rf"{ELLIPSIS}(?={_AR})(?<={_AR}{ELLIPSIS})"),
    )
)


def _needs_before(text: str) -> bool:
    return any(g(text) for g in _BEFORE_GATES)


def _needs_after(text: str) -> bool:
    return any(g(text) for g in _AFTER_GATES)


def _collapsed(line: str) -> str:
    return "".join(run[1:] for run in _RUN.findall(line))


def _spaces_before(line: str) -> str:
    return "".join(_BEFORE_AR.findall(line)) + "".join(_BEFORE_LAT.findall(line))


def _unicode_space(line: str) -> tuple[str, int]:
    return _SPACES_RE.subn(" ", line)


def _collapse(line: str) -> tuple[str, int]:
    return _RUN.subn(" ", line)


def _before(line: str) -> tuple[str, int]:
    line, n1 = _BEFORE_AR.subn("", line)
    line, n2 = _BEFORE_LAT.subn("", line)
    return line, n1 + n2


def _after(line: str) -> tuple[str, int]:
    line, n = _AFTER_AR.subn(r"\1 ", line)
    if not _AFTER_LAT.search(line):
        return line, n

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        if _ABBREV_LEFT.search(line, 0, m.start()):
            return m.group()
        n += 1
        return m.group() + " "

    return _AFTER_LAT.sub(repl, line), n


def _has_run(line: str) -> bool:
    return "  " in line


class FixSpacing:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        changes: list[Change] = []
        new = text
        found = inventory(text)
        if not found.isdisjoint(SPACES):
            new, _ = rewrite_lines(
                new, NAME, "fix_spacing.unicode_space", _unicode_space, _SPACES_RE.search, "rewrite", changes
            )
        if "  " in new:
            new, _ = rewrite_lines(
                new, NAME, "fix_spacing.collapse", _collapse, _has_run, "remove_span", changes, _collapsed
            )
        if _needs_before(new):
            new, _ = rewrite_lines(
                new,
                NAME,
                "fix_spacing.space_before_punct",
                _before,
                _needs_before,
                "remove_span",
                changes,
                _spaces_before,
            )
        if _needs_after(new):
            new, _ = rewrite_lines(
                new, NAME, "fix_spacing.space_after_punct", _after, _needs_after, "rewrite", changes
            )
        if not changes:
            return doc
        carry(text, new, found & SPACES)
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> FixSpacing | None:
    return FixSpacing() if config.fix_spacing else None
