"""``digits``: convert every digit to one system (option ``digits = arabic | ascii``; ``keep`` = step off).

Rules: ``digits.to_ascii`` / ``digits.to_arabic`` (tables derived from Unicode digit values, Persian digits
included) and ``digits.separator``: with ``ascii``, the Arabic decimal and thousands separators (U+066B,
U+066C) *between two digits* become ``.`` and ``,``. With ``arabic``, ``.`` and ``,`` are left alone: they
are also used with Arabic-Indic digits and a comma between digits may be a list separator.

This step deliberately never reads a digit as anything but a digit (tnkeeh turns Arabic-Indic zero into a
full stop: 2020 in Arabic-Indic digits becomes "2.2.") and never touches the digit order.
"""

from __future__ import annotations

import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import TO_ARABIC_DIGITS, TO_ASCII_DIGITS, char_class
from arcorpus.text.edits import rewrite_lines

NAME = "digits"
_SEP = re.compile(r"(?<=\d)[\u066b\u066c](?=\d)")


class Digits:
    name = NAME

    def __init__(self, mode: str) -> None:
        self.mode = mode
        table = TO_ASCII_DIGITS if mode == "ascii" else TO_ARABIC_DIGITS
        self.rule = f"{NAME}.to_{mode}"
        self.sources = tuple(table)
        self.table = {ord(c): d for c, d in table.items()}
        self.pattern = re.compile(char_class(table))

    def _fix(self, line: str) -> tuple[str, int]:
        n = len(self.pattern.findall(line))
        return (line.translate(self.table), n) if n else (line, 0)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if not any(c in text for c in self.sources):
            return doc
        changes: list[Change] = []
        new = text
        if self.mode == "ascii" and ("\u066b" in new or "\u066c" in new):
            table = {0x066B: ".", 0x066C: ","}
            new, _ = rewrite_lines(
                new,
                NAME,
                f"{NAME}.separator",
                lambda line: (_SEP.sub(lambda m: m.group().translate(table), line), len(_SEP.findall(line))),
                _SEP.search,
                "rewrite",
                changes,
            )
        new, _ = rewrite_lines(new, NAME, self.rule, self._fix, self.pattern.search, "rewrite", changes)
        if not changes:
            return doc
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> Digits | None:
    return None if config.digits == "keep" else Digits(config.digits)
