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

from arcorpus.chars import ARABIC_LETTERS, ARABIC_MARKS, TATWEEL, char_class
from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.steps._textops import carry, rewrite_lines

NAME = "remove_tatweel"
_W = char_class(ARABIC_LETTERS | ARABIC_MARKS)
_KASHIDA = re.compile(rf"(?<={_W}){TATWEEL}+(?={_W})")
_STANDALONE = re.compile(rf"(?<!{_W}){TATWEEL}+(?!{_W})")
_RUN = re.compile(rf"{TATWEEL}{{2,}}")


def _has_tatweel(line: str) -> bool:
    return TATWEEL in line


def _kashida(line: str) -> tuple[str, int]:
    new = _KASHIDA.sub("", line)
    return new, len(line) - len(new)


def _standalone(line: str) -> tuple[str, int]:
    new = _STANDALONE.sub("", line)
    return new, len(line) - len(new)


def _collapse(line: str) -> tuple[str, int]:
    return _RUN.subn(TATWEEL, line)


class RemoveTatweel:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if TATWEEL not in text:
            return doc
        changes: list[Change] = []
        new, _ = rewrite_lines(
            text, NAME, "remove_tatweel.kashida", _kashida, _has_tatweel, "remove_span", changes
        )
        new, _ = rewrite_lines(
            new, NAME, "remove_tatweel.standalone", _standalone, _has_tatweel, "remove_span", changes
        )
        if TATWEEL + TATWEEL in new:
            new, _ = rewrite_lines(
                new, NAME, "remove_tatweel.collapse", _collapse, _has_tatweel, "rewrite", changes
            )
        if not changes:
            return doc
        carry(text, new)
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> RemoveTatweel | None:
    return RemoveTatweel() if config.remove_tatweel else None
