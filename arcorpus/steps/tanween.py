"""``tanween``: one canonical order for fathatan with alef: the mark on the letter before the alef.

Rule ``tanween.fathatan_before_alef``: ALEF + FATHATAN becomes FATHATAN + ALEF after a letter (or mark)
(the keyboard habit writes the mark on the alef; the orthographic rule puts it on the letter that ends the
word, which is also the form of the example in the issue). ALEF MAQSURA and TEH MARBUTA with fathatan are
left as written. This is lossless: only the order of two characters changes, and it never touches newlines.
"""

from __future__ import annotations

import re

from arcorpus.chars import ARABIC_LETTERS, ARABIC_MARKS, char_class
from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.steps._textops import apply_edits, carry, replace_literal

NAME = "tanween"
RULE = "tanween.fathatan_before_alef"
ALEF_FATHATAN = "\N{ARABIC LETTER ALEF}\N{ARABIC FATHATAN}"
FATHATAN_ALEF = "\N{ARABIC FATHATAN}\N{ARABIC LETTER ALEF}"
_UNGUARDED = re.compile(
    ALEF_FATHATAN + rf"(?<!{char_class(ARABIC_LETTERS | ARABIC_MARKS)}{ALEF_FATHATAN})"
).search
_SWAP = re.compile(ALEF_FATHATAN + rf"(?<={char_class(ARABIC_LETTERS | ARABIC_MARKS)}{ALEF_FATHATAN})")


class Tanween:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if ALEF_FATHATAN not in text:
            return doc
        changes: list[Change] = []
        if _UNGUARDED(text):  # rare: ALEF + FATHATAN after a non-letter, which is left alone
            edits = [(m.start(), m.end(), FATHATAN_ALEF, RULE) for m in _SWAP.finditer(text)]
            new = apply_edits(text, edits, NAME, changes)
        else:
            new = replace_literal(text, ALEF_FATHATAN, FATHATAN_ALEF, NAME, RULE, changes)
        if not changes:
            return doc
        carry(text, new)
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> Tanween | None:
    return Tanween() if config.tanween else None
