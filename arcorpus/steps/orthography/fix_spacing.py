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
  abbreviation, or after ``.`` between a digit and an Arabic letter (so numbers, times, URLs, e-mails and
  abbreviations with dots are never split).

Trimming spaces at line ends and dropping empty lines is the final ``whitespace`` step's job; this step
deliberately never adds, removes or moves a newline.
"""

from __future__ import annotations

import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_MARKS, CORE_LETTERS, PHRASE_LIGATURES, SPACES, TATWEEL, char_class
from arcorpus.text.edits import RARE_PUNCTUATION, apply_edits, carry, inventory, replace_literal

NAME = "fix_spacing"
NBSP = "\N{NO-BREAK SPACE}"
COMMA = "\N{ARABIC COMMA}"
SEMICOLON = "\N{ARABIC SEMICOLON}"
QUESTION = "\N{ARABIC QUESTION MARK}"
# Phrase ligatures (U+FDFA...) count as Arabic words: the search profile folds them into letters.
_AR = char_class(CORE_LETTERS | PHRASE_LIGATURES)
_SPACES_RE = re.compile(char_class(SPACES))
_RUN = re.compile("  +")  # two literal spaces: a faster search than " {2,}"
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
_AR_SET = CORE_LETTERS | PHRASE_LIGATURES
# Marks and tatweel are transparent: "letter + mark" counts as a letter (the search profile's folding
# removes them afterwards, and the result must not call for another space: idempotence).
_WORD_SET = _AR_SET | ARABIC_MARKS | {TATWEEL}
_MT = char_class(ARABIC_MARKS | {TATWEEL})
_ARABIC_PUNCT = (COMMA, SEMICOLON, QUESTION)
_LATIN_PUNCT = (".", ":", "!", ELLIPSIS)

# Every pattern starts with a literal punctuation character, so the regex engine jumps from one occurrence
# to the next; the context is checked behind/ahead of it (and, for the rare matches, in Python).
_SPACE_BEFORE = tuple(
    re.compile(re.escape(p) + "(?<= " + re.escape(p) + ")") for p in _ARABIC_PUNCT + _LATIN_PUNCT
)
_GLUED_AFTER_AR = tuple(re.compile(re.escape(p) + rf"(?={_MT}*[^\W\d_])") for p in _ARABIC_PUNCT)
_GLUED_AFTER_LAT = tuple(re.compile(re.escape(p) + f"(?={_MT}*{_AR})") for p in _LATIN_PUNCT)
_DIGITS = frozenset("0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")


def _tail(punct: str, pattern: re.Pattern[str]) -> str:
    return pattern.pattern[len(re.escape(punct)) :]


# One pattern per punctuation character for both rules (a space before it, or a letter glued after it):
# a text without a match needs neither rule for that character. Its matches are also the candidates of
# the space-before rule, so that rule does not scan the text again.
_PUNCT_RULES = tuple(
    (
        p,
        p in _LATIN_PUNCT,
        p in RARE_PUNCTUATION,
        re.compile(re.escape(p) + f"(?:{_tail(p, before)}|{_tail(p, after)})").finditer,
    )
    for p, before, after in zip(
        _ARABIC_PUNCT + _LATIN_PUNCT, _SPACE_BEFORE, _GLUED_AFTER_AR + _GLUED_AFTER_LAT, strict=True
    )
)
_GLUED_AFTER = dict(zip(_ARABIC_PUNCT + _LATIN_PUNCT, _GLUED_AFTER_AR + _GLUED_AFTER_LAT, strict=True))


def _space_before_edits(text: str, hits: list[tuple[str, bool, list[int]]]) -> list[tuple[int, int, str]]:
    """Spans of spaces to delete before punctuation: (start, end, "").

    ``hits`` holds, per punctuation character, the positions of its rule-pattern matches in ``text``; only
    those preceded by a space are looked at (the others can only need a space after).
    """
    edits: list[tuple[int, int, str]] = []
    size = len(text)
    for punct, latin, positions in hits:
        for end in positions:
            if end == 0 or text[end - 1] != " ":
                continue
            start = end - 1
            while start > 0 and text[start - 1] == " ":
                start -= 1
            if start == 0 or text[start - 1] == "\n":
                continue  # leading spaces: the final whitespace step trims them
            if latin:
                if text[start - 1] not in _WORD_SET:
                    continue
                after = end + 1
                if punct == ".":
                    while after < size and text[after] == ".":
                        after += 1
                if after < size and text[after] in _DIGITS:
                    continue  # ".5", ": 30": numbers and times are never touched
            edits.append((start, end, ""))
    return edits


def _number_before(text: str, end: int) -> bool:
    """``text[:end]`` ends in a number standing alone (not glued to a word: "دبليو3.أورغ" is a name)."""
    i = end
    while i > 0 and text[i - 1] in _DIGITS:
        i -= 1
    return i < end and (i == 0 or not text[i - 1].isalpha())


def _space_after_edits(text: str, puncts: list[str]) -> list[tuple[int, int, str]]:
    """Positions after punctuation where a space is inserted: (pos, pos, " ").

    Only ``puncts`` are looked at: removing spaces before punctuation never glues a letter to another
    punctuation character, so a character without a rule match before that removal has none after it.
    """
    edits: list[tuple[int, int, str]] = []
    for punct in puncts:
        pattern = _GLUED_AFTER[punct]
        if punct not in _LATIN_PUNCT:
            edits.extend((m.end(), m.end(), " ") for m in pattern.finditer(text))
            continue
        for m in pattern.finditer(text):
            j = m.start()
            while j > 0 and text[j - 1] in ".\u2026":
                j -= 1
            k = j
            while k > 0 and text[k - 1] in _WORD_SET:
                k -= 1
            letters = sum(2 if c in PHRASE_LIGATURES else 1 for c in text[k:j] if c in _AR_SET)
            if letters >= 2:  # one letter + dot is an abbreviation (Dr., BC, P.O. box)
                edits.append((m.end(), m.end(), " "))
            elif punct == "." and k == j and _number_before(text, j):
                # a number ends the sentence ("قتيلا 50.وقال"): a letter after the dot is no decimal
                edits.append((m.end(), m.end(), " "))
    return edits


def _punct_hits(text: str, found: frozenset[str]) -> list[tuple[str, bool, list[int]]]:
    """Per punctuation character with a rule-pattern match: (character, is Latin, match positions).

    ``found`` is the inventory of ``text`` (it holds the rare punctuation characters); the frequent ones
    get a plain ``in`` test, which stops at the first occurrence.
    """
    hits = []
    for punct, latin, rare, finditer in _PUNCT_RULES:
        if (punct in found) if rare else (punct in text):
            positions = [m.start() for m in finditer(text)]
            if positions:
                hits.append((punct, latin, positions))
    return hits


UNICODE_SPACE = f"{NAME}.unicode_space"
COLLAPSE = f"{NAME}.collapse"
BEFORE = f"{NAME}.space_before_punct"
AFTER = f"{NAME}.space_after_punct"
REMOVALS = frozenset((COLLAPSE, BEFORE))


class FixSpacing:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        changes: list[Change] = []
        new = text
        found = inventory(doc)
        # Rules apply in order, each on the previous rule's output (spans refer to the line it received).
        if not found.isdisjoint(SPACES):
            if found.isdisjoint(SPACES - {NBSP}):  # the common case: only NBSP
                new = replace_literal(new, NBSP, " ", NAME, UNICODE_SPACE, changes)
            else:
                edits = [(m.start(), m.end(), " ", UNICODE_SPACE) for m in _SPACES_RE.finditer(new)]
                new = apply_edits(new, edits, NAME, changes)
        if new.rfind("  ") >= 0:  # the same test as `"  " in new`, and a fifth faster (backward search)
            edits = [(m.start() + 1, m.end(), "", COLLAPSE) for m in _RUN.finditer(new)]
            new = apply_edits(new, edits, NAME, changes, REMOVALS)
        hits = _punct_hits(new, found)
        if hits:
            edits = [(s, e, r, BEFORE) for s, e, r in _space_before_edits(new, hits)]
            new = apply_edits(new, edits, NAME, changes, REMOVALS)
            edits = [(s, e, r, AFTER) for s, e, r in _space_after_edits(new, [h[0] for h in hits])]
            new = apply_edits(new, edits, NAME, changes)
        if not changes:
            return doc
        out = doc.evolve(text=new, changes=changes)
        carry(doc, out, found & SPACES)
        return out


def build(config: CleanConfig, models: Models) -> FixSpacing | None:
    return FixSpacing() if config.fix_spacing else None
