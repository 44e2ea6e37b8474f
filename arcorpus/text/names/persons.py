"""Person names only in person contexts: when a one-word surname hit is not the listed person.

A gazetteer person is usually listed by the surname alone (زيلينسكي), and surnames are shared: "فريدريك
زلينسكي" is a Swisslog manager, "ميسي فرانكفورت" (Messe Frankfurt) a trade-fair company. For a hit of a
person's one-word spelling, `PersonGuard.rejects` says no when

- the word right after it is a place or company name (``ميسي فرانكفورت``): the surname is part of a
  compound name — the hit is neither rewritten nor counted in ``entities``;
- the hit would be *rewritten* (a variant spelling) and the word right before it looks like a given name
  that is not this person's (not a native word, a title or another entity; no article; not one of the
  person's given names, which come from the gazetteer's full-name spellings and from the corpus learner):
  the given name does not match, so the spelling is left alone.

A surname after a title (الرئيس زيلينسكي), after a verb (قال زيلينسكي), after a proclitic (وزيلينسكي), at
the start of a sentence, or after the person's own given name is the person. This module deliberately
decides from the words around the hit only; `arcorpus.text.names.matcher` calls it for those hits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from arcorpus import data
from arcorpus.text.names.variants import ALEF, LAM

_ARABIC_WORD = "[\u0621-\u065f\u066e-\u06d3]+"
"""Arabic letters, marks and tatweel (a Latin or digit neighbour is no given name)."""
_ARABIC_CHAR = re.compile("[\u0621-\u065f\u066e-\u06d3]")
_WORD_AFTER = re.compile(f"[ \u00a0]+({_ARABIC_WORD})")
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_WINDOW = 48
_ARTICLE = ALEF + LAM
_CONJUNCTIONS = ("\N{ARABIC LETTER WAW}", "\N{ARABIC LETTER FEH}")
COMPOUND_TYPES = frozenset(("city", "company", "country", "place"))
"""Entity types whose name right after a surname makes a compound name (ميسي فرانكفورت)."""


@dataclass(frozen=True)
class PersonGuard:
    """What the decision needs: the words that are not given names, and each person's given names."""

    plain: frozenset[str]
    """Native words, titles, and every spelling of an entity: none of them is a given name."""
    compound: frozenset[str]
    """One-word spellings of places and companies (a surname followed by one is a compound name)."""
    given: Mapping[int, frozenset[str]]
    """Entity index -> given names (first words of the person's listed full names, learned ones)."""

    def rejects(self, text: str, start: int, end: int, entity: int, rewrite: bool) -> bool:
        """Whether ``text[start:end]``, a one-word spelling of person ``entity``, is not that person."""
        after = _WORD_AFTER.match(text, end, end + _WINDOW)
        if after is not None and _bare(after.group(1)) in self.compound:
            return True
        if not rewrite or (start and text[start - 1].isalnum()):  # a proclitic: no given name before it
            return False
        word = word_before(text, start)
        return bool(word) and self.given_name_like(word) and word not in self.given.get(entity, frozenset())

    def given_name_like(self, word: str) -> bool:
        if len(word) < 3 or word.startswith(_ARTICLE) or word in self.plain:
            return False
        return not (word[0] in _CONJUNCTIONS and word[1:] in self.plain)


def _bare(word: str) -> str:
    return _MARKS.sub("", word)


def word_before(text: str, start: int) -> str:
    """The Arabic word (without marks) separated from ``text[start:]`` by spaces only, or ``""``.

    Scanned backwards by hand (at most `_WINDOW` characters): a regex anchored at the end would be
    searched from every position."""
    i = start - 1
    stop = max(0, start - _WINDOW)
    while i >= stop and text[i] in " \u00a0":
        i -= 1
    if i == start - 1:
        return ""
    end = i + 1
    while i >= stop and _ARABIC_CHAR.match(text, i):
        i -= 1
    return _bare(text[i + 1 : end])


@functools.lru_cache(maxsize=1)
def load_given() -> Mapping[str, frozenset[str]]:
    """Person id -> given names, from ``arcorpus/data/names_given.tsv`` (mined from the shared corpus)."""
    out: dict[str, set[str]] = {}
    for row in data.table("names_given.tsv").rows:
        out.setdefault(row["person"], set()).add(row["given"])
    return MappingProxyType({k: frozenset(v) for k, v in out.items()})


def given_names(forms: Iterable[str], surnames: Iterable[str]) -> frozenset[str]:
    """The words before a surname in a person's full-name spellings (بوريس in بوريس جونسون)."""
    last = frozenset(surnames)
    out = set()
    for form in forms:
        words = form.replace("-", " ").split()
        if len(words) > 1 and words[-1] in last:
            out.update(words[:-1])
        elif len(words) > 1:
            out.add(words[0])
    return frozenset(out)
