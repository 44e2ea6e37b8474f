"""``search_fold`` (``search`` profile only): fold letters for matching and indexing with `arcorpus.fold`.

Rule ``search_fold.fold``: one Change per changed line (before/after of the changed words). This step folds
information away (hamza forms, alef maqsura/yeh, teh marbuta/heh, diacritics): it is never on in ``standard``.
It keeps the line structure and never touches spaces or punctuation.
"""

from __future__ import annotations

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.fold import fold
from arcorpus.steps import Models
from arcorpus.steps._textops import span_change

NAME = "search_fold"


class SearchFold:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        new = fold(text)
        if new == text:
            return doc
        old_lines = text.split("\n")
        new_lines = new.split("\n")
        changes: list[Change] = [
            span_change(NAME, "search_fold.fold", i, a, b, 1)
            for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True))
            if a != b
        ]
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> SearchFold | None:
    return SearchFold() if config.search_fold else None
