"""``remove_tatweel``: remove kashida elongation, keep tatweel where it is a written sign.

Rules:
- ``remove_tatweel.kashida``: tatweel between two Arabic letters (or marks) is elongation: removed
  (jeem + tatweel x3 + meem-yeh-lam -> jameel).
- ``remove_tatweel.standalone``: tatweel with no Arabic letter on either side (decorative rules ``ـــــ``):
  removed.
- ``remove_tatweel.collapse``: tatweel attached to a letter on one side only is a sign, not decoration:
  the definite article before a number or a Latin word (al + tatweel + ``20`` / ``CNN``, li + tatweel +
  guillemet) and abbreviations (``1436`` + heh + tatweel for the hijri year). It is kept, and a run of
  them becomes one.

`search_fold` / `arcorpus.fold` remove every tatweel for matching. This step never touches newlines.
"""

from __future__ import annotations

import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_LETTERS, ARABIC_MARKS, TATWEEL
from arcorpus.text.edits import apply_edits, carry

NAME = "remove_tatweel"
_WORD_CHARS = ARABIC_LETTERS | ARABIC_MARKS
_RUN = re.compile(TATWEEL + "+")  # starts with a literal: the regex engine jumps from tatweel to tatweel
_W = "[" + "".join(sorted(_WORD_CHARS)) + "]"
# Is there anything to do? A run between two letters, a run with no letter on either side, or a run of two
# or more. Most tatweels in news text are signs (al- + tatweel + number): this one search skips those texts.
_ACTIONABLE = re.compile(
    rf"{TATWEEL}(?:(?<={_W}{TATWEEL}){TATWEEL}*(?={_W})|(?<!{_W}{TATWEEL}){TATWEEL}*(?!{_W}|{TATWEEL})|{TATWEEL})"
).search
KASHIDA = f"{NAME}.kashida"
STANDALONE = f"{NAME}.standalone"
COLLAPSE = f"{NAME}.collapse"
REMOVALS = frozenset((KASHIDA, STANDALONE, COLLAPSE))


class RemoveTatweel:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if TATWEEL not in text or not _ACTIONABLE(text):
            return doc
        end = len(text)
        edits = []
        for m in _RUN.finditer(text):
            s, e = m.span()
            left = s > 0 and text[s - 1] in _WORD_CHARS
            right = e < end and text[e] in _WORD_CHARS
            if left and right:
                edits.append((s, e, "", KASHIDA))
            elif not left and not right:
                edits.append((s, e, "", STANDALONE))
            elif e - s > 1:
                edits.append((s + 1, e, "", COLLAPSE))
        if not edits:
            return doc
        changes: list[Change] = []
        new = apply_edits(text, edits, NAME, changes, REMOVALS)
        out = doc.evolve(text=new, changes=changes)
        carry(doc, out)
        return out


def build(config: CleanConfig, models: Models) -> RemoveTatweel | None:
    return RemoveTatweel() if config.remove_tatweel else None
