"""The final layout step: one paragraph per line, no empty lines, no leading/trailing spaces.

It runs after every removal, so the gaps removed lines leave behind disappear here. It deliberately
does not touch spaces inside a line (that is `fix_spacing`'s job) and never joins or splits paragraphs.
"""

from __future__ import annotations

from itertools import repeat

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models

NAME = "whitespace"
_STRIP = " \t\r\f\v"


class Whitespace:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        lines = text.split("\n")
        # ``str.strip`` returns the line itself when there is nothing to strip: the common case (a
        # document that is already laid out) costs one split, one strip per line and a list comparison.
        stripped = list(map(str.strip, lines, repeat(_STRIP, len(lines))))
        if stripped == lines and "" not in lines:
            return doc
        kept = [s for s in stripped if s]
        new = "\n".join(kept)
        if new == text:
            return doc
        changes: list[Change] = []
        empty = len(lines) - len(kept)
        if empty:
            changes.append(Change(NAME, "whitespace.empty_lines", "remove_line", count=empty))
        trimmed = sum(1 for line, s in zip(lines, stripped, strict=True) if s and line != s)
        if trimmed:
            changes.append(Change(NAME, "whitespace.trim", "rewrite", count=trimmed))
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> Whitespace | None:
    return Whitespace() if config.whitespace else None
