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

from arcorpus.chars import ARABIC_LETTERS, ARABIC_MARKS, TATWEEL
from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.steps._textops import carry, span_change

NAME = "remove_tatweel"
_WORD_CHARS = ARABIC_LETTERS | ARABIC_MARKS
_RUN = re.compile(TATWEEL + "+")  # starts with a literal: the regex engine jumps from tatweel to tatweel
KASHIDA = f"{NAME}.kashida"
STANDALONE = f"{NAME}.standalone"
COLLAPSE = f"{NAME}.collapse"


def _fix_line(line: str) -> tuple[str, dict[str, int]]:
    """The line without elongation and the count of tatweels per rule."""
    counts = {KASHIDA: 0, STANDALONE: 0, COLLAPSE: 0}
    end = len(line)

    def repl(m: re.Match[str]) -> str:
        s, e = m.span()
        left = s > 0 and line[s - 1] in _WORD_CHARS
        right = e < end and line[e] in _WORD_CHARS
        if left and right:
            counts[KASHIDA] += e - s
            return ""
        if not left and not right:
            counts[STANDALONE] += e - s
            return ""
        if e - s > 1:
            counts[COLLAPSE] += 1
            return TATWEEL
        return m.group()

    new = _RUN.sub(repl, line)
    return new, counts


class RemoveTatweel:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if TATWEEL not in text:
            return doc
        lines = text.split("\n")
        changes: list[Change] = []
        for i, line in enumerate(lines):
            if TATWEEL not in line:
                continue
            new, counts = _fix_line(line)
            if new == line:
                continue
            for rule in (KASHIDA, STANDALONE):
                n = counts[rule]
                if n:
                    changes.append(span_change(NAME, rule, i, line, new, n, "remove_span", TATWEEL * n))
            if counts[COLLAPSE]:
                changes.append(span_change(NAME, COLLAPSE, i, line, new, counts[COLLAPSE]))
            lines[i] = new
        if not changes:
            return doc
        new_text = "\n".join(lines)
        carry(text, new_text)
        return doc.evolve(text=new_text, changes=changes)


def build(config: CleanConfig, models: Models) -> RemoveTatweel | None:
    return RemoveTatweel() if config.remove_tatweel else None
