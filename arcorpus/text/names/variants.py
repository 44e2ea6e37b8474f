"""Systematic spelling variants of a foreign name written in Arabic script, and a skeleton key for discovery.

What varies in the Arabic press, and what this module generates from one spelling:

- the /g/ sound (``flags`` contains ``g``): every GHAIN (and GAF) of the form may also be JEEM, QAF,
  KAF or GAF;
- long vowels (``flags`` contains ``v``): an ALEF, WAW or YEH inside a word (not its first or last letter)
  may be left out (one per word, and only in words that keep at least four letters);
- inserted long vowels (``flags`` contains ``i``, rows learned from a corpus that shows the name's vowels
  are optional): one ALEF, WAW or YEH may be inserted between two letters of a word that are not long
  vowels, and one inner long vowel dropped, also after the article (كمبردج → كيمبردج, الفلبيني → الفليبيني);
- hamza on the first alef of every word (or the first after the article): bare alef, alef with hamza
  above/below, alef with madda;
- a final YEH may be written ALEF MAKSURA (and the reverse), as Egyptian outlets do, and a final
  TEH MARBUTA may be written HEH;
- the words of a multi-word name may be written apart, joined, or hyphenated.

It deliberately does NOT decide whether a generated spelling is safe to rewrite (a variant may be a native
word); `arcorpus.text.names.matcher` filters generated spellings against the native-word list and other
entities.
Arabic letters are spelled with ``\\N{...}`` escapes so the source stays ASCII-readable.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

ALEF = "\N{ARABIC LETTER ALEF}"
ALEF_HAMZA_ABOVE = "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}"
ALEF_HAMZA_BELOW = "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}"
ALEF_MADDA = "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}"
WAW = "\N{ARABIC LETTER WAW}"
YEH = "\N{ARABIC LETTER YEH}"
ALEF_MAKSURA = "\N{ARABIC LETTER ALEF MAKSURA}"
TEH_MARBUTA = "\N{ARABIC LETTER TEH MARBUTA}"
HEH = "\N{ARABIC LETTER HEH}"
GHAIN = "\N{ARABIC LETTER GHAIN}"
JEEM = "\N{ARABIC LETTER JEEM}"
QAF = "\N{ARABIC LETTER QAF}"
KAF = "\N{ARABIC LETTER KAF}"
GAF = "\N{ARABIC LETTER GAF}"
LAM = "\N{ARABIC LETTER LAM}"
BEH = "\N{ARABIC LETTER BEH}"
FEH = "\N{ARABIC LETTER FEH}"
DEFINITE = ALEF + LAM

ALEFS: frozenset[str] = frozenset((ALEF, ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW, ALEF_MADDA))
G_SOURCES: frozenset[str] = frozenset((GHAIN, GAF))
G_LETTERS: tuple[str, ...] = (GHAIN, JEEM, QAF, KAF, GAF)
LONG_VOWELS: frozenset[str] = frozenset((ALEF, WAW, YEH))
MAX_VOWEL_DROPS = 1
MIN_WORD_LETTERS = 4
MIN_INSERTED_LETTERS = 6
"""A spelling generated with flag ``i`` (learned rows) keeps this many letters (the article aside): shorter
ones are too often another word or a fragment of one (ايتين of a split ولايتين is not إيتيان)."""

JOINERS: tuple[str, ...] = (" ", "", "-")


def word_variants(word: str, flags: str) -> frozenset[str]:
    """Every systematic spelling of one word (the word itself included)."""
    out: set[str] = {word}
    if word[:1] in ALEFS:
        out |= {a + w[1:] for w in out for a in ALEFS}
    if word.startswith(DEFINITE) and word[2:3] in ALEFS:
        out |= {DEFINITE + a + w[3:] for w in out for a in ALEFS}
    if word.endswith(YEH):
        out |= {w[:-1] + ALEF_MAKSURA for w in out}
    elif word.endswith(ALEF_MAKSURA):
        out |= {w[:-1] + YEH for w in out}
    elif word.endswith(TEH_MARBUTA):
        out |= {w[:-1] + HEH for w in out}
    if "g" in flags:
        out |= {g for w in out for g in _g_variants(w)}
    if "i" in flags:
        start = 3 if word.startswith(DEFINITE) else 1
        out |= {
            d
            for w in out
            for d in (*_vowel_inserts(w, start), *_vowel_drops(w, start))
            if len(d) - start + 1 >= MIN_INSERTED_LETTERS
        }
    elif "v" in flags and not word.startswith(DEFINITE):
        out |= {d for w in out for d in _vowel_drops(w)}
    return frozenset(out)


def _vowel_inserts(word: str, start: int = 1) -> Iterable[str]:
    """``word`` with one long vowel inserted before letter ``i`` (``start`` <= i < len), between two
    letters that are not long vowels."""
    return [
        word[:i] + v + word[i:]
        for i in range(start, len(word))
        if word[i - 1] not in LONG_VOWELS and word[i] not in LONG_VOWELS
        for v in (ALEF, WAW, YEH)
    ]


def _g_variants(word: str) -> Iterable[str]:
    slots = [i for i, ch in enumerate(word) if ch in G_SOURCES]
    if not slots or len(slots) > 3:
        return (word,)
    chars = list(word)
    found = []
    for combo in itertools.product(G_LETTERS, repeat=len(slots)):
        for i, ch in zip(slots, combo, strict=True):
            chars[i] = ch
        found.append("".join(chars))
    return found


def _vowel_drops(word: str, start: int = 1) -> Iterable[str]:
    slots = [i for i in range(start, len(word) - 1) if word[i] in LONG_VOWELS]
    found = []
    for k in range(1, MAX_VOWEL_DROPS + 1):
        for drop in itertools.combinations(slots, k):
            cut = "".join(ch for i, ch in enumerate(word) if i not in drop)
            if len(cut) >= MIN_WORD_LETTERS:
                found.append(cut)
    return found


def variants(form: str, flags: str = "") -> frozenset[str]:
    """Every systematic spelling of ``form`` (words separated by spaces or hyphens), ``form`` included.

    ``flags``: ``g`` when the GHAIN/GAF letters of the form stand for /g/, ``v`` when the name is foreign
    enough that its inner long vowels are optional, ``s`` when its words are only ever written spaced
    (long official names: no joined or hyphenated spellings). Hamza and final yeh are always generated.
    """
    words = form.replace("-", " ").split()
    if len(words) > 1:
        flags = flags.replace("i", "")  # inserted vowels only in one-word names (not عبيد for عبد)
    per_word = [sorted(word_variants(w, flags)) for w in words]
    out: set[str] = set()
    gaps = len(words) - 1
    joined = gaps <= 3 and "s" not in flags
    joins = list(itertools.product(JOINERS, repeat=gaps)) if joined else [(" ",) * gaps]
    for spelled in itertools.product(*per_word):
        for join in joins:
            parts = [spelled[0]]
            for sep, word in zip(join, spelled[1:], strict=True):
                parts.append(sep)
                parts.append(word)
            out.add("".join(parts))
    return frozenset(out)


_SKELETON_TABLE = str.maketrans(
    {
        ALEF_HAMZA_ABOVE: ALEF,
        ALEF_HAMZA_BELOW: ALEF,
        ALEF_MADDA: ALEF,
        ALEF_MAKSURA: YEH,
        JEEM: GHAIN,
        QAF: GHAIN,
        KAF: GHAIN,
        GAF: GHAIN,
        " ": None,
        "-": None,
    }
)


def skeleton(form: str) -> str:
    """A key shared by spellings that differ only by the alternations above (used by discovery).

    Joins dropped, alef forms and g-letters merged, every long vowel after the first letter removed.
    Deliberately coarse: native words collide too, so discovery filters and ranks what shares a key.
    """
    joined = form.replace("-", "").replace(" ", "").translate(_SKELETON_TABLE)
    return joined[:1] + "".join(ch for ch in joined[1:] if ch not in LONG_VOWELS)
