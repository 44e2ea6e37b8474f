"""``lookalikes``: Persian/Urdu look-alike letters and Persian digits to their Arabic counterparts.

Rules: ``lookalikes.<id>`` for each row of ``arcorpus/data/lookalikes.tsv``, and ``lookalikes.persian_digit``:
- fixed maps, e.g. KEHEH -> KAF, HEH DOACHASHMEE -> HEH, HEH WITH YEH ABOVE -> TEH MARBUTA;
- FARSI YEH is decided by position and evidence: inside a word it is YEH; at the end of a word it is
  ALEF MAQSURA when the same word is written with ALEF MAQSURA elsewhere in the document, or (failing that)
  when it is in ``arcorpus/data/alef_maqsura_words.tsv`` (looked up without proclitics); otherwise YEH;
- Persian digits (derived from Unicode) -> Arabic-Indic digits, whatever the ``digits`` option says.

Deliberately kept: GAF, VEH, PEH, TCHEH, JEH and QAF WITH THREE DOTS (used in Arabic loanwords and names;
the names step may canonicalize them per entity), and whole words that contain one of them, which are
Persian/Urdu words quoted in the text (their letters stay Persian).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from arcorpus import data
from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_LETTERS, ARABIC_MARKS, PERSIAN_DIGITS, char_class, lookalike_letters
from arcorpus.text.edits import inventory, span_change

NAME = "lookalikes"
FARSI_YEH = "\N{ARABIC LETTER FARSI YEH}"
YEH = "\N{ARABIC LETTER YEH}"
ALEF_MAQSURA = "\N{ARABIC LETTER ALEF MAKSURA}"
LOANWORD_LETTERS = frozenset(
    "\N{ARABIC LETTER GAF}\N{ARABIC LETTER VEH}\N{ARABIC LETTER PEH}\N{ARABIC LETTER TCHEH}"
    "\N{ARABIC LETTER JEH}\N{ARABIC LETTER QAF WITH THREE DOTS ABOVE}"
)


def _load() -> tuple[Mapping[str, tuple[str, str]], frozenset[str]]:
    table: dict[str, tuple[str, str]] = {}
    for c, (rule, target) in lookalike_letters().items():
        table[c] = (f"{NAME}.{rule}", target)
    for c, d in PERSIAN_DIGITS.items():
        table[c] = (f"{NAME}.persian_digit", d)
    words = frozenset(row["word"] for row in data.table("alef_maqsura_words.tsv").rows)
    return MappingProxyType(table), words


TABLE, MAQSURA_WORDS = _load()
CHARS = frozenset(TABLE)
_W = char_class(ARABIC_LETTERS | ARABIC_MARKS)
# Linear: find the look-alike letters, then widen to the word in Python (no backtracking over long words).
_LETTER = re.compile(char_class(CHARS - frozenset(PERSIAN_DIGITS)))
_W_SET = ARABIC_LETTERS | ARABIC_MARKS
_DIGIT = re.compile(char_class(PERSIAN_DIGITS))
_ANY = re.compile(char_class(CHARS)).search
_MAQSURA_FINAL = re.compile(rf"{ALEF_MAQSURA}(?!{_W})")


def _word_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the Arabic word around ``text[start:end]``."""
    while start > 0 and text[start - 1] in _W_SET:
        start -= 1
    while end < len(text) and text[end] in _W_SET:
        end += 1
    return start, end


def _sub_words(line: str, fix: Callable[[str], str]) -> str:
    """Apply ``fix`` to every word that contains a look-alike letter."""
    out: list[str] = []
    pos = 0
    for m in _LETTER.finditer(line):
        if m.start() < pos:
            continue
        s, e = _word_at(line, m.start(), m.end())
        out.append(line[pos:s])
        out.append(fix(line[s:e]))
        pos = e
    out.append(line[pos:])
    return "".join(out)


_MARKS = "".join(sorted(ARABIC_MARKS))
_PROCLITICS = (
    "\u0648\u0627\u0644",
    "\u0641\u0627\u0644",
    "\u0628\u0627\u0644",
    "\u0643\u0627\u0644",
    "\u0644\u0644",
    "\u0627\u0644",
    "\u0648",
    "\u0641",
    "\u0628",
    "\u0644",
    "\u0643",
)


def _is_maqsura_word(word: str) -> bool:
    if word in MAQSURA_WORDS:
        return True
    return any(word.startswith(p) and word[len(p) :] in MAQSURA_WORDS for p in _PROCLITICS)


class Lookalikes:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if inventory(doc).isdisjoint(CHARS):
            return doc
        in_doc: frozenset[str] | None = None
        if FARSI_YEH in text:
            in_doc = frozenset(
                text.__getitem__(slice(*_word_at(text, m.start(), m.end())))
                for m in _MAQSURA_FINAL.finditer(text)
            )
        lines = text.split("\n")
        changes: list[Change] = []
        for i, line in enumerate(lines):
            if not _ANY(line):
                continue
            counts: dict[str, int] = {}

            def word(w: str, counts: dict[str, int] = counts) -> str:
                if not LOANWORD_LETTERS.isdisjoint(w):
                    return w
                bare = w.rstrip(_MARKS)
                out = []
                for k, c in enumerate(w):
                    hit = TABLE.get(c)
                    if hit is None:
                        out.append(c)
                        continue
                    rule, target = hit
                    if not target:  # FARSI YEH
                        target = YEH
                        if k == len(bare) - 1:
                            candidate = bare[:-1] + ALEF_MAQSURA
                            if (in_doc and candidate in in_doc) or _is_maqsura_word(candidate):
                                target = ALEF_MAQSURA
                    counts[rule] = counts.get(rule, 0) + 1
                    out.append(target)
                return "".join(out)

            new = _sub_words(line, word)
            if _DIGIT.search(new):
                n = len(_DIGIT.findall(new))
                new = new.translate({ord(c): d for c, d in PERSIAN_DIGITS.items()})
                counts[f"{NAME}.persian_digit"] = n
            if new != line:
                for rule, n in sorted(counts.items()):
                    changes.append(span_change(NAME, rule, i, line, new, n))
                lines[i] = new
        if not changes:
            return doc
        return doc.evolve(text="\n".join(lines), changes=changes)


def build(config: CleanConfig, models: Models) -> Lookalikes | None:
    return Lookalikes() if config.lookalikes else None
