"""``presentation_forms``: Arabic presentation forms and ligatures to base letters (table derived from NFKC).

Rules:
- ``presentation_forms.letter``: a contextual form of one letter (U+FE8D ALEF ISOLATED FORM -> U+0627).
- ``presentation_forms.ligature``: a ligature of several letters (lam-alef U+FEFB -> lam + alef; the
  one-word ligatures such as U+FDF2 ALLAH -> its four letters).

Deliberately kept as written: multi-word ligatures (U+FDFA salla-llahu alayhi wa-sallam, U+FDFB ...), which
are honorific symbols the writer chose (the ``search`` profile's folding expands them), U+FDFD bismillah
(no decomposition), the rial sign U+FDFC and the ornate parentheses. Presentation forms found in the wild
are in logical order (checked on the shared corpus), so mapping them needs no reordering.
"""

from __future__ import annotations

import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import PRESENTATION_FORMS, char_class
from arcorpus.text.edits import inventory, rewrite_lines

NAME = "presentation_forms"
_LETTER = {c: t for c, t in PRESENTATION_FORMS.items() if len(t) == 1}
_LIGATURE = {c: t for c, t in PRESENTATION_FORMS.items() if len(t) > 1}
FORMS = frozenset(PRESENTATION_FORMS)


def _rule(table: dict[str, str]) -> tuple[re.Pattern[str], dict[int, str]]:
    return re.compile(char_class(table)), {ord(c): t for c, t in table.items()}


_RULES = (
    ("presentation_forms.ligature", *_rule(_LIGATURE)),
    ("presentation_forms.letter", *_rule(_LETTER)),
)


class PresentationForms:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        found = inventory(doc)
        if found.isdisjoint(FORMS):
            return doc
        changes: list[Change] = []
        new = text
        for rule, pattern, table in _RULES:

            def fix(
                line: str, pattern: re.Pattern[str] = pattern, table: dict[int, str] = table
            ) -> tuple[str, int]:
                n = len(pattern.findall(line))
                return (line.translate(table), n) if n else (line, 0)

            new, _ = rewrite_lines(new, NAME, rule, fix, pattern.search, "rewrite", changes)
        if not changes:
            return doc
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> PresentationForms | None:
    return PresentationForms() if config.presentation_forms else None
