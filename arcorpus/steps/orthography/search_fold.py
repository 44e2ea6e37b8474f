"""``search_fold`` (``search`` profile only): fold letters for matching and indexing with `arcorpus.fold`.

Rule ``search_fold.fold``: one Change per changed line (before/after of the changed words). This step folds
information away (hamza forms, alef maqsura/yeh, teh marbuta/heh, diacritics): it is never on in ``standard``.

Removing marks can leave what ``fix_spacing`` / ``split_glued`` would have fixed (a lone mark between two
spaces leaves a double space; a mark between a Latin and an Arabic letter hid a boundary), so when those
steps are on, they are re-applied to the folded text and their changes recorded as
``search_fold.<their rule>``: the profile stays idempotent. It keeps the line structure.
"""

from __future__ import annotations

from dataclasses import replace

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models, Step
from arcorpus.text.edits import span_change
from arcorpus.text.fold import fold

NAME = "search_fold"


class SearchFold:
    name = NAME

    def __init__(self, after: tuple[Step, ...] = ()) -> None:
        self.after = after

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
        folded = Document(id=doc.id, text=new)
        for step in self.after:
            folded = step(folded)
        changes.extend(replace(c, step=NAME, rule=f"{NAME}.{c.rule}") for c in folded.changes)
        return doc.evolve(text=folded.text, changes=changes)


def build(config: CleanConfig, models: Models) -> SearchFold | None:
    if not config.search_fold:
        return None
    from arcorpus.steps.orthography.fix_spacing import build as build_spacing
    from arcorpus.steps.orthography.split_glued import build as build_glued

    after = tuple(s for s in (build_spacing(config, models), build_glued(config, {})) if s is not None)
    return SearchFold(after)
