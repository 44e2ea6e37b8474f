"""The final layout step: one paragraph per line, no empty lines, no leading/trailing spaces.

It runs after every removal, so the gaps removed lines leave behind disappear here. It deliberately
does not touch spaces inside a line (that is `fix_spacing`'s job) and never joins or splits paragraphs.
"""

from __future__ import annotations

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
        kept = [s for s in (line.strip(_STRIP) for line in lines) if s]
        new = "\n".join(kept)
        if new == text:
            return doc
        changes: list[Change] = []
        empty = sum(1 for line in lines if not line.strip(_STRIP))
        if empty:
            changes.append(Change(NAME, "whitespace.empty_lines", "remove_line", count=empty))
        trimmed = sum(1 for line in lines if line.strip(_STRIP) and line != line.strip(_STRIP))
        if trimmed:
            changes.append(Change(NAME, "whitespace.trim", "rewrite", count=trimmed))
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> Whitespace | None:
    return Whitespace() if config.whitespace else None
