"""``tanween``: one canonical order for fathatan with alef: the mark on the letter before the alef.

Rule ``tanween.fathatan_before_alef``: ALEF + FATHATAN becomes FATHATAN + ALEF after a letter (or mark)
(the keyboard habit writes the mark on the alef; the orthographic rule puts it on the letter that ends the
word, which is also the form of the example in the issue). ALEF MAQSURA and TEH MARBUTA with fathatan are
left as written. This is lossless: only the order of two characters changes, and it never touches newlines.
"""

from __future__ import annotations

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_LETTERS, ARABIC_MARKS, FATHATAN
from arcorpus.text.edits import Edit, apply_edits, carry

NAME = "tanween"
RULE = "tanween.fathatan_before_alef"
ALEF_FATHATAN = "\N{ARABIC LETTER ALEF}\N{ARABIC FATHATAN}"
FATHATAN_ALEF = "\N{ARABIC FATHATAN}\N{ARABIC LETTER ALEF}"
ALEF = "\N{ARABIC LETTER ALEF}"
_WORD_CHARS = ARABIC_LETTERS | ARABIC_MARKS


def _edits(text: str) -> list[Edit]:
    """One swap per ALEF + FATHATAN after a letter or mark (ALEF + FATHATAN after anything else is left
    alone). Found from FATHATAN, a rare character (``str.find`` jumps to it at C speed), not from ALEF."""
    edits: list[Edit] = []
    find = text.find
    pos = find(FATHATAN)
    while pos >= 0:
        if pos >= 2 and text[pos - 1] == ALEF and text[pos - 2] in _WORD_CHARS:
            edits.append((pos - 1, pos + 1, FATHATAN_ALEF, RULE))
        pos = find(FATHATAN, pos + 1)
    return edits


class Tanween:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if FATHATAN not in text:
            return doc
        edits = _edits(text)
        if not edits:
            return doc
        changes: list[Change] = []
        new = apply_edits(text, edits, NAME, changes)
        out = doc.evolve(text=new, changes=changes)
        carry(doc, out)
        return out


def build(config: CleanConfig, models: Models) -> Tanween | None:
    return Tanween() if config.tanween else None
