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
from arcorpus.steps._textops import carry, rewrite_lines

NAME = "tanween"
ALEF_FATHATAN = "\N{ARABIC LETTER ALEF}\N{ARABIC FATHATAN}"
FATHATAN_ALEF = "\N{ARABIC FATHATAN}\N{ARABIC LETTER ALEF}"
_SWAP = re.compile(ALEF_FATHATAN + rf"(?<={char_class(ARABIC_LETTERS | ARABIC_MARKS)}{ALEF_FATHATAN})")


def _has(line: str) -> bool:
    return ALEF_FATHATAN in line


def _swap(line: str) -> tuple[str, int]:
    return _SWAP.subn(FATHATAN_ALEF, line)


class Tanween:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if ALEF_FATHATAN not in text:
            return doc
        changes: list[Change] = []
        new, _ = rewrite_lines(text, NAME, "tanween.fathatan_before_alef", _swap, _has, "rewrite", changes)
        if not changes:
            return doc
        carry(text, new)
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> Tanween | None:
    return Tanween() if config.tanween else None
