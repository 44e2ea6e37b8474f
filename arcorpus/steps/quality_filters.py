"""Document filters for pretraining sets: drop a document (with its reason) instead of cleaning it.

Off in every profile but ``pretraining``. Each filter is the kind datatrove's Gopher and FineWeb-2
filters apply, with a threshold that is a `CleanConfig` option:

- ``too_few_words`` (``quality_min_words``, 50): a page with a few words left after cleaning is a stub,
  a caption or a menu, not prose to learn from;
- ``not_arabic`` (``quality_min_arabic``, 0.5): the share of letters that are Arabic script; below it the
  page is mostly another language (an English page with an Arabic menu, a transliterated list);
- ``repeated_lines`` (``quality_max_repeated_lines``, 0.3, and ``quality_max_repeated_chars``, 0.2): the
  share of lines (and of characters) in lines that repeat an earlier line of the same document, as
  Gopher's ``dup_line_frac``/``dup_line_char_frac``: tables of scores, lists, spam.

A filtered document becomes a reject whose reason is the filter (``too_few_words`` ...), with its
original text and every change the steps made; the changes that filtered it name the rule
``quality_filters.<reason>``: one removes the text (and holds it), a note says why. Runs last, on
the cleaned text (so boilerplate does not count as words), before dedup.
"""

from __future__ import annotations

import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models

STEP = "quality_filters"
REASONS = ("too_few_words", "not_arabic", "repeated_lines")
_LETTERS = re.compile(r"[^\W\d_]+")
_ARABIC_LETTERS = re.compile(
    "[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9]+"
)
"""Letters of the Arabic script (not its marks, digits or punctuation)."""


class QualityFilters:
    """The document filters (see the module docstring)."""

    name = STEP

    def __init__(
        self, min_words: int, min_arabic: float, max_repeated_lines: float, max_repeated_chars: float
    ) -> None:
        self.min_words = min_words
        self.min_arabic = min_arabic
        self.max_repeated_lines = max_repeated_lines
        self.max_repeated_chars = max_repeated_chars

    def verdict(self, text: str) -> tuple[str, str] | None:
        """``(reason, why)`` when ``text`` fails a filter, else None."""
        words = len(text.split(None, self.min_words))  # exact up to min_words
        if words < self.min_words:
            return "too_few_words", f"{words} words, fewer than {self.min_words}"
        letters = sum(map(len, _LETTERS.findall(text)))
        arabic = sum(map(len, _ARABIC_LETTERS.findall(text)))
        if letters and arabic / letters < self.min_arabic:
            return "not_arabic", f"{arabic / letters:.0%} of letters are Arabic, under {self.min_arabic:.0%}"
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) > 1:
            seen: set[str] = set()
            repeated = repeated_chars = 0
            for line in lines:
                if line in seen:
                    repeated += 1
                    repeated_chars += len(line)
                else:
                    seen.add(line)
            if repeated / len(lines) > self.max_repeated_lines:
                return "repeated_lines", f"{repeated} of {len(lines)} lines repeat an earlier line"
            total = sum(map(len, lines))
            if total and repeated_chars / total > self.max_repeated_chars:
                return "repeated_lines", f"{repeated_chars / total:.0%} of characters are in repeated lines"
        return None

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if not text:
            return doc
        found = self.verdict(text)
        if found is None:
            return doc
        reason, why = found
        rule = f"{STEP}.{reason}"
        removed = Change(STEP, rule, "remove_line", before=text)
        return doc.evolve(text="", changes=(removed, Change(STEP, rule, "note", after=why)))


def filter_reason(doc: Document) -> tuple[str, str] | None:
    """``(reason, why)`` when the last change of ``doc`` is a filter's note (the document was filtered)."""
    if doc.changes and doc.changes[-1].step == STEP and doc.changes[-1].action == "note":
        change = doc.changes[-1]
        return change.rule.split(".", 1)[1], change.after
    return None


def build(config: CleanConfig, models: Models) -> QualityFilters | None:
    if not config.quality_filters:
        return None
    return QualityFilters(
        config.quality_min_words,
        config.quality_min_arabic,
        config.quality_max_repeated_lines,
        config.quality_max_repeated_chars,
    )
