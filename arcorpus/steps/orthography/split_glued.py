"""``split_glued``: split words glued together where Arabic orthography proves a word boundary.

Rules:
- ``split_glued.final_letter``: TEH MARBUTA or ALEF MAQSURA (letters that only end a word) followed by a
  letter: a space is inserted (``...ةإلى`` -> ``...ة إلى``). Not when what follows is a pronoun/plural suffix
  (a typo such as ALEF MAQSURA written for a medial YEH, e.g. ``...ىات``), a single letter, or a HAMZA after
  ALEF MAQSURA (the Egyptian spelling of shay').
- ``split_glued.hamza``: ALEF WITH HAMZA BELOW only starts a word (after the proclitics wa-, fa-, bi-, ka-,
  li-/al-); after any other letter it starts a new word (``laja'a`` + ``ila``).
- ``split_glued.script``: a Latin token (at least one Latin letter, e.g. ``G8``, an e-mail or URL) followed
  by an Arabic letter, or an Arabic word of two letters or more followed by a Latin letter. Digits + Arabic
  letters (``2015`` + meem, ``1436`` + heh + tatweel), tatweel-joined prefixes (al + tatweel + ``20``) and a
  lone proclitic before a Latin word (wa + ``CNN``) are left alone.
- ``split_glued.corpus`` (option ``split_glued_corpus``, needs the corpus pass of `learner`): an Arabic token
  that (almost) never occurs in the corpus but splits into two frequent words is split there.

This step only inserts spaces: it never removes a character and never touches newlines.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import xxhash

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import ARABIC_MARKS, CORE_LETTERS, PHRASE_LIGATURES, TATWEEL, char_class
from arcorpus.text.edits import LATIN_LETTERS, carry, inventory, rewrite_lines

NAME = "split_glued"
LEARNER = "split_glued_corpus"
TEH_MARBUTA = "\N{ARABIC LETTER TEH MARBUTA}"
ALEF_MAQSURA = "\N{ARABIC LETTER ALEF MAKSURA}"
HAMZA = "\N{ARABIC LETTER HAMZA}"
ALEF_HAMZA_BELOW = "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}"
_AR = char_class(CORE_LETTERS)
_FINAL = re.compile(rf"(?<={_AR})[{TEH_MARBUTA}{ALEF_MAQSURA}](?={_AR})")
_FINAL_GATES = (
    re.compile(rf"{TEH_MARBUTA}(?={_AR})").search,
    re.compile(rf"{ALEF_MAQSURA}(?={_AR})").search,
)
_LETTERS_AT = re.compile(rf"{_AR}+")
_RIGHT_WORD_MAX = 4
"""`_final` looks at most this many letters after a final letter: enough to tell a suffix (3 letters at
most) or a single letter from a word, and it keeps the rule linear (reading the whole rest of the word at
every match made ``"ةا" * n`` quadratic)."""
_LETTERS_NEAR = re.compile(rf"{_AR}{{1,{_RIGHT_WORD_MAX}}}")
# Suffixes that follow a stem (so a "final" letter before them is a typo, not a boundary).
SUFFIXES = frozenset(
    s.translate(
        {
            ord("h"): "\u0647",
            ord("a"): "\u0627",
            ord("k"): "\u0643",
            ord("m"): "\u0645",
            ord("n"): "\u0646",
            ord("y"): "\u064a",
            ord("t"): "\u062a",
            ord("w"): "\u0648",
            ord("p"): TEH_MARBUTA,
        }
    )
    for s in (
        "h",
        "ha",
        "hm",
        "hma",
        "hn",
        "k",
        "km",
        "kma",
        "kn",
        "na",
        "y",
        "a",
        "at",
        "p",
        "an",
        "yn",
        "wn",
        "tm",
        "tan",
        "tyn",
        "ya",
        "yp",
        "yat",
        "yn",
    )
)
_PROCLITICS_BEFORE_HAMZA = frozenset("\u0648\u0641\u0628\u0643\u0644")
# Starts with the literal ALEF WITH HAMZA BELOW (fast search); the letter before it is checked behind.
_HAMZA_SPLIT = re.compile(
    ALEF_HAMZA_BELOW
    + rf"(?<={char_class(CORE_LETTERS - _PROCLITICS_BEFORE_HAMZA - {TEH_MARBUTA, ALEF_MAQSURA})}"
    + ALEF_HAMZA_BELOW
    + ")"
)
_HAMZA_GATE = _HAMZA_SPLIT.search
# Marks and tatweel are transparent (folding removes them later: the split must not depend on them).
_MT = char_class(ARABIC_MARKS | {TATWEEL})
# Phrase ligatures (U+FDFA...) count as Arabic words: the search profile folds them into letters. Marks,
# tatweel and every decimal digit are transparent/part of tokens (folding removes or converts them later).
_ARL_SET = CORE_LETTERS | PHRASE_LIGATURES
_ARL = char_class(_ARL_SET)
_MT_SET = ARABIC_MARKS | {TATWEEL}
_ARW_SET = _ARL_SET | _MT_SET
# Script boundaries, checked in Python for the rare matches (no backtracking over long words). Each pattern
# consumes the one character on the rarer side of the boundary (so the regex engine stops only there instead
# of trying a lookbehind at every position): the boundary is m.end() / m.start().
# (Tatweel is not transparent here: before an Arabic letter it belongs to the Arabic word.)
_LATIN_THEN_AR = re.compile(rf"(?:[A-Za-z\d]|{char_class(ARABIC_MARKS)})(?={_ARL})")
_AR_THEN_LATIN = re.compile(rf"[A-Za-z](?<={char_class(_ARW_SET)}[A-Za-z])")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_ARTICLES = ("\u0627\u0644", "\u0644\u0644")
_MT_CHARS = "".join(sorted(ARABIC_MARKS | {TATWEEL}))


def _has_final(text: str) -> bool:
    teh_marbuta, alef_maqsura = _FINAL_GATES
    return bool(teh_marbuta(text) or alef_maqsura(text))


def _has_latin(text: str) -> bool:
    return bool(text.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))


def _final(line: str) -> tuple[str, int]:
    n = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        end = m.end()
        right = _LETTERS_NEAR.match(line, end)
        word = right.group() if right else ""
        if len(word) < 2 or word in SUFFIXES or (m.group() == ALEF_MAQSURA and word[0] == HAMZA):
            return m.group()
        n += 1
        return m.group() + " "

    return _FINAL.sub(repl, line), n


def _hamza(line: str) -> tuple[str, int]:
    return _HAMZA_SPLIT.subn(" " + ALEF_HAMZA_BELOW, line)


def _script_points(line: str) -> list[int]:
    points = []
    for m in _LATIN_THEN_AR.finditer(line):
        p = k = m.end()
        while k > 0 and (
            line[k - 1] in ARABIC_MARKS or line[k - 1].isdigit() or line[k - 1] in LATIN_LETTERS
        ):
            k -= 1
        if not LATIN_LETTERS.isdisjoint(line[k:p]):
            points.append(p)
    for m in _AR_THEN_LATIN.finditer(line):
        p = k = m.start()
        while k > 0 and line[k - 1] in _ARW_SET:
            k -= 1
        word = line[k:p]
        letters = sum(2 if c in PHRASE_LIGATURES else 1 for c in word if c in _ARL_SET)
        if letters >= 2 and not word.endswith(TATWEEL) and not word.rstrip(_MT_CHARS).endswith(_ARTICLES):
            points.append(p)
    return points


def _script(line: str) -> tuple[str, int]:
    points = sorted(set(_script_points(line)))
    if not points:
        return line, 0
    out = []
    pos = 0
    for p in points:
        out.append(line[pos:p])
        out.append(" ")
        pos = p
    out.append(line[pos:])
    return "".join(out), len(points)


CORPUS_WORD_MAX = 30
"""``split_glued.corpus`` only tries tokens up to this many letters (two long words glued): trying every
split point of a longer run of letters costs its length squared (a 24,000-letter token took 0.7 s)."""


class SplitGlued:
    name = NAME

    def __init__(self, counts: CountMin | None = None, rare_max: int = 1, part_min: int = 200) -> None:
        self.counts = counts
        self.rare_max = rare_max
        self.part_min = part_min

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        changes: list[Change] = []
        new = text
        if _has_final(new):
            new, _ = rewrite_lines(
                new, NAME, "split_glued.final_letter", _final, _has_final, "rewrite", changes
            )
        if _HAMZA_GATE(new):
            new, _ = rewrite_lines(new, NAME, "split_glued.hamza", _hamza, _HAMZA_GATE, "rewrite", changes)
        # the inventory of the input: the rules above only insert spaces, so the Latin letters are the same
        if not inventory(doc).isdisjoint(LATIN_LETTERS):
            new, _ = rewrite_lines(new, NAME, "split_glued.script", _script, _has_latin, "rewrite", changes)
        if self.counts is not None:
            new, _ = rewrite_lines(new, NAME, "split_glued.corpus", self._corpus, None, "rewrite", changes)
        if not changes:
            return doc
        out = doc.evolve(text=new, changes=changes)
        carry(doc, out)
        return out

    def _corpus(self, line: str) -> tuple[str, int]:
        counts = self.counts
        assert counts is not None
        n = 0

        def repl(m: re.Match[str]) -> str:
            nonlocal n
            word = m.group()
            if not 5 <= len(word) <= CORPUS_WORD_MAX or counts.get(word) > self.rare_max:
                return word
            best, best_score = 0, 0
            for i in range(2, len(word) - 1):
                left, right = word[:i], word[i:]
                if left in _ARTICLES or right in SUFFIXES:
                    continue
                score = min(counts.get(left), counts.get(right))
                if score >= self.part_min and score > best_score:
                    best, best_score = i, score
            if not best:
                return word
            n += 1
            return word[:best] + " " + word[best:]

        return _LETTERS_AT.sub(repl, line), n


class CountMin:
    """A count-min sketch of word frequencies: bounded memory, mergeable, independent of document order.

    It over-estimates, never under-estimates: a glued token can look less rare than it is (no split, the
    safe side); a part word's estimate exceeds its count by at most about ``e * N / width`` with high
    probability, which is why ``part_min`` is large.
    """

    def __init__(self, width: int = 1 << 21, depth: int = 4) -> None:
        self.width = width
        self.depth = depth
        self.table = np.zeros((depth, width), dtype=np.uint32)

    def _cells(self, word: str) -> list[int]:
        h = xxhash.xxh3_128_intdigest(word.encode("utf-8"))
        return [((h >> (32 * k)) & 0xFFFFFFFF) % self.width for k in range(self.depth)]

    def add_many(self, words: list[str]) -> None:
        if not words:
            return
        cells = np.array([self._cells(w) for w in words], dtype=np.int64)
        for k in range(self.depth):
            np.add.at(self.table[k], cells[:, k], 1)

    def get(self, word: str) -> int:
        return int(min(self.table[k, c] for k, c in enumerate(self._cells(word))))

    def merge(self, other: CountMin) -> None:
        self.table += other.table


class WordCounter:
    """The learner for ``split_glued_corpus``: Arabic-letter tokens of every document into a `CountMin`."""

    name = LEARNER

    def __init__(self) -> None:
        self.sketch = CountMin()

    def observe(self, doc: Document) -> None:
        self.sketch.add_many(_LETTERS_AT.findall(doc.text))

    def merge(self, other: Any) -> None:
        self.sketch.merge(other.sketch if isinstance(other, WordCounter) else other)

    def finish(self) -> CountMin:
        return self.sketch


def learner(config: CleanConfig) -> WordCounter | None:
    return WordCounter() if config.split_glued and config.split_glued_corpus else None


def build(config: CleanConfig, models: Models) -> SplitGlued | None:
    if not config.split_glued:
        return None
    counts = models.get(LEARNER) if config.split_glued_corpus else None
    return SplitGlued(counts if isinstance(counts, CountMin) else None)
