"""Strategies for clean Arabic text: characters, words, sentences, paragraphs, documents.

Everything here is built from `st.sampled_from`, `st.lists`, `st.integers` and `st.composite`, with the
most common choice first, so failing examples shrink toward short, plain, frequent words. The clean text
they generate is what arcorpus' standard profile publishes: single spaces, no space before Arabic
comma, semicolon, question mark, . : !
and one after, one paragraph per line, no empty lines, no invisible characters, tatweel or presentation
forms. Generators here deliberately do not add noise: see `arcorpus.strategies` injectors for that.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from typing import Literal

from hypothesis import strategies as st

from arcorpus.strategies import _tables as T

DigitSystem = Literal["ascii", "arabic_indic", "persian"]
WordSource = Literal["corpus", "patterns"]

_CHECK_DENSITY = "density must be a number in [0, 1]"


def _weighted(items: Sequence[tuple[str, int]], slots: int) -> st.SearchStrategy[str]:
    """sampled_from a tuple where each item appears in proportion to its weight (at least once), most
    frequent first so shrinking goes toward the most frequent item."""
    total = sum(w for _, w in items) or 1
    pool: list[str] = []
    for item, weight in items:
        pool.extend([item] * max(1, round(slots * weight / total)))
    return st.sampled_from(tuple(pool))


def _biased(density: float, slots: int = 20) -> st.SearchStrategy[bool]:
    """A boolean that is True with probability ``density``; shrinks to False."""
    if not 0.0 <= density <= 1.0:
        raise ValueError(_CHECK_DENSITY)
    hits = round(density * slots)
    return (
        st.sampled_from((False,) * (slots - hits) + (True,) * hits) if 0 < hits < slots else st.just(hits > 0)
    )


# --- characters -------------------------------------------------------------------------------------


def arabic_letters(*, weighted: bool = True) -> st.SearchStrategy[str]:
    """One letter of the basic Arabic alphabet (U+0621..U+064A).

    With ``weighted`` (default) letters come with their frequency in running news text (mined word list),
    so alef and lam are common and zah rare; shrinks toward alef. With ``weighted=False`` every letter
    is equally likely.
    """
    if weighted:
        return _weighted(T.letter_weights(), 400)
    return st.sampled_from(T.ARABIC_LETTERS)


def hamza_forms() -> st.SearchStrategy[str]:
    """One letter carrying a hamza or madda (hamza, alef/waw/yeh seats; derived from Unicode names)."""
    return st.sampled_from(T.HAMZA_FORMS)


def diacritics(
    *, tanween: bool = True, shadda: bool = True, dagger_alef: bool = False
) -> st.SearchStrategy[str]:
    """One Arabic diacritic (haraka): fatha, damma, kasra, sukun, optionally tanween, shadda, dagger alef."""
    marks = [m for m in T.HARAKAT if (tanween or m not in T.TANWEEN) and (shadda or m != T.SHADDA)]
    if dagger_alef:
        marks.append(T.DAGGER_ALEF)
    return st.sampled_from(tuple(sorted(marks, key=lambda m: m not in T.SHORT_VOWELS)))


def tatweel(*, min_size: int = 1, max_size: int = 3) -> st.SearchStrategy[str]:
    """A run of tatweel (kashida, U+0640) characters."""
    return st.integers(min_size, max_size).map(lambda n: T.TATWEEL * n)


def digits(*, system: DigitSystem | None = None) -> st.SearchStrategy[str]:
    """One decimal digit: ASCII, Arabic-Indic (U+0660..) or Persian (U+06F0..); any system when
    ``system`` is None."""
    systems = (system,) if system else ("ascii", "arabic_indic", "persian")
    return st.sampled_from(tuple(d for s in systems for d in T.DIGITS[s]))


def arabic_punctuation() -> st.SearchStrategy[str]:
    """One punctuation character of the Arabic block (every Po of U+0600..U+06FF)."""
    first = ("\N{ARABIC COMMA}", "\N{ARABIC SEMICOLON}", "\N{ARABIC QUESTION MARK}")
    return st.sampled_from(first + tuple(p for p in T.ARABIC_PUNCTUATION if p not in first))


@st.composite
def numbers(
    draw: st.DrawFn,
    *,
    system: Literal["ascii", "arabic_indic"] | None = None,
    kinds: Sequence[Literal["integer", "year", "decimal", "time", "year_suffix"]] = (
        "integer",
        "year",
        "decimal",
        "time",
        "year_suffix",
    ),
) -> str:
    """A number as news text writes it: ``12``, ``2015``, ``3.5`` (or in Arabic-Indic digits),
    ``10:30``, a year followed by meem (2015 + meem, 'AD').

    All digits of one number share one system (ASCII or Arabic-Indic; Persian digits are noise, see
    `inject_lookalikes`). Decimals use ``.`` with ASCII digits and the Arabic decimal separator with
    Arabic-Indic ones.
    """
    sys_: str = system or draw(st.sampled_from(("ascii", "arabic_indic")))
    table = T.DIGITS[sys_]
    kind = draw(st.sampled_from(tuple(kinds)))

    def render(value: int, width: int = 1) -> str:
        return "".join(table[int(d)] for d in str(value).zfill(width))

    if kind == "integer":
        return render(draw(st.integers(0, 999)))
    if kind == "year":
        return render(draw(st.integers(1950, 2030)))
    if kind == "year_suffix":
        return render(draw(st.integers(1950, 2030))) + "\N{ARABIC LETTER MEEM}"
    if kind == "decimal":
        sep = "." if sys_ == "ascii" else "\N{ARABIC DECIMAL SEPARATOR}"
        return render(draw(st.integers(0, 99))) + sep + render(draw(st.integers(1, 9)))
    return render(draw(st.integers(0, 23)), 2) + ":" + render(draw(st.integers(0, 59)), 2)


# --- words ------------------------------------------------------------------------------------------

_PREFIXES = (
    "",
    "\N{ARABIC LETTER WAW}",
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER WAW}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER BEH}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER BEH}",
    "\N{ARABIC LETTER FEH}",
    "\N{ARABIC LETTER LAM}\N{ARABIC LETTER LAM}",
)
_SUFFIXES = (
    "",
    "\N{ARABIC LETTER TEH MARBUTA}",
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER TEH}",
    "\N{ARABIC LETTER WAW}\N{ARABIC LETTER NOON}",
    "\N{ARABIC LETTER YEH}\N{ARABIC LETTER NOON}",
    "\N{ARABIC LETTER YEH}\N{ARABIC LETTER TEH MARBUTA}",
    "\N{ARABIC LETTER HEH}\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER HEH}\N{ARABIC LETTER MEEM}",
)
# Templates: 1, 2, 3 stand for the root consonants (fa'ala, fa'il, maf'ul, taf'il, istif'al, fa'al, fa'il).
_TEMPLATES = (
    "123",
    "1\N{ARABIC LETTER ALEF}23",
    "\N{ARABIC LETTER MEEM}12\N{ARABIC LETTER WAW}3",
    "\N{ARABIC LETTER TEH}12\N{ARABIC LETTER YEH}3",
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER SEEN}\N{ARABIC LETTER TEH}12\N{ARABIC LETTER ALEF}3",
    "12\N{ARABIC LETTER ALEF}3",
    "12\N{ARABIC LETTER YEH}3",
    "\N{ARABIC LETTER MEEM}123",
)
_NOT_ROOT = frozenset(T.HAMZA_FORMS) | {
    "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER TEH MARBUTA}",
    "\N{ARABIC LETTER ALEF MAKSURA}",
}


@functools.cache
def _root_letter() -> st.SearchStrategy[str]:
    return _weighted(tuple((ch, w) for ch, w in T.letter_weights() if ch not in _NOT_ROOT), 300)


@st.composite
def _pattern_word(draw: st.DrawFn) -> str:
    root = draw(st.lists(_root_letter(), min_size=3, max_size=3))
    stem = "".join(root[int(c) - 1] if c in "123" else c for c in draw(st.sampled_from(_TEMPLATES)))
    prefix = draw(st.sampled_from(_PREFIXES))
    suffix = draw(st.sampled_from(_SUFFIXES))
    return prefix + stem + suffix


_PATTERN_WORD = _pattern_word()


@functools.cache
def _corpus_word(max_rank: int | None) -> st.SearchStrategy[str]:
    """A mined word, drawn so that frequent words are frequent: each of the 50 most frequent words has 20
    tickets, the next 450 two, the rest one. One `sampled_from`, so it shrinks straight to the most
    frequent word (fi, 'in')."""
    ranked = tuple(w for w, _ in T.wordlist()[:max_rank])
    pool = ranked[:50] * 20 + ranked[50:500] * 2 + ranked[500:]
    rank = {w: i for i, w in enumerate(ranked)}
    return st.sampled_from(tuple(sorted(pool, key=rank.__getitem__)))


_UNMARKED = frozenset(
    ("\N{ARABIC LETTER ALEF}", "\N{ARABIC LETTER ALEF MAKSURA}", "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}")
)


def _vocalize(draw: st.DrawFn, word: str, density: float) -> str:
    """Put diacritics on ``word``'s consonants with probability ``density`` each, in NFC order.

    Deliberately never: a mark on an alef or alef maqsura, tanween except on a final teh marbuta (fathatan
    before a final alef is the ``tanween`` step's business), a mark on a letter that a mark already follows.
    """
    if density <= 0:
        return word
    coin = _biased(density)
    out: list[str] = []
    last = len(word) - 1
    for i, ch in enumerate(word):
        out.append(ch)
        if ch in _UNMARKED:
            continue
        if not draw(coin):
            continue
        if i == last and ch == "\N{ARABIC LETTER TEH MARBUTA}":
            out.append(draw(st.sampled_from(tuple(sorted(T.TANWEEN)))))
        elif i > 0 and draw(_biased(0.15)):
            out.append(T.SHADDA + draw(st.sampled_from(T.SHORT_VOWELS)))
        else:
            out.append(draw(st.sampled_from((*T.SHORT_VOWELS, T.SUKUN))))
    return unicodedata.normalize("NFC", "".join(out))


def words(
    *,
    source: WordSource = "corpus",
    diacritics: float = 0.0,
    max_rank: int | None = None,
) -> st.SearchStrategy[str]:
    """One Arabic word without spaces.

    Parameters
    ----------
    source
        ``"corpus"`` (default): a word of the mined list of frequent, already-clean news words
        (``arcorpus/data/wordlist.tsv``), drawn so that frequent words are frequent; these never spell a
        gazetteer name or a boilerplate line. ``"patterns"``: a word built from a prefix (wa-, al-, bil-...),
        a random three-consonant root in a derivation template (fa'il, maf'ul, taf'il, istif'al...) and a
        suffix (-a, -at, -un...); such a word may, rarely, be a real name.
    diacritics
        Probability that each consonant gets a diacritic (0 = none, the default; news text is mostly
        unvocalized). Marks are placed the way vocalized text writes them, in Unicode canonical order.
    max_rank
        Draw corpus words only from the ``max_rank`` most frequent ones.
    """
    if source not in ("corpus", "patterns"):
        raise ValueError(f"source must be 'corpus' or 'patterns', not {source!r}")
    if not 0.0 <= diacritics <= 1.0:
        raise ValueError(_CHECK_DENSITY)
    base = _corpus_word(max_rank) if source == "corpus" else _PATTERN_WORD
    if diacritics <= 0:
        return base
    return _vocalized(base, diacritics)


@st.composite
def _vocalized(draw: st.DrawFn, base: st.SearchStrategy[str], density: float) -> str:
    return _vocalize(draw, draw(base), density)


_words = words
_numbers = numbers

# --- sentences, paragraphs, documents ---------------------------------------------------------------

_END_MARKS = (".", ".", ".", "\N{ARABIC QUESTION MARK}", "!")
_INNER_MARKS = ("\N{ARABIC COMMA}", "\N{ARABIC COMMA}", "\N{ARABIC SEMICOLON}", ":")


@st.composite
def sentences(
    draw: st.DrawFn,
    *,
    words: st.SearchStrategy[str] | None = None,
    min_words: int = 3,
    max_words: int = 12,
    numbers: bool = True,
    quotes: bool = True,
    end: bool = True,
) -> str:
    """One sentence: words separated by single spaces, maybe a comma or colon, a number, a «quoted» span,
    ending with ``.`` (mostly), the Arabic question mark or ``!`` (no end mark with ``end=False``, e.g.
    for titles)."""
    word_st = words if words is not None else _words()
    toks = draw(st.lists(word_st, min_size=min_words, max_size=max_words))
    n = len(toks)
    if numbers and n > 1 and draw(_biased(0.3)):
        toks[draw(st.integers(1, n - 1))] = draw(_numbers())
    if quotes and n > 2 and draw(_biased(0.15)):
        i = draw(st.integers(1, n - 2))
        j = draw(st.integers(i, n - 2))
        toks[i] = "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}" + toks[i]
        toks[j] = toks[j] + "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}"
    if n > 3 and draw(_biased(0.3)):
        i = draw(st.integers(1, n - 2))
        if toks[i][-1:].isalpha() and toks[i + 1][:1].isalpha():
            toks[i] += draw(st.sampled_from(_INNER_MARKS))
    text = " ".join(toks)
    return text + draw(st.sampled_from(_END_MARKS)) if end else text


_sentences = sentences


def paragraphs(
    *,
    sentences: st.SearchStrategy[str] | None = None,
    min_sentences: int = 1,
    max_sentences: int = 3,
) -> st.SearchStrategy[str]:
    """One paragraph (one line): sentences separated by single spaces, the last one closed by a full stop.

    A paragraph deliberately never ends with a question or exclamation mark: a short line ending so reads
    as a headline (arcorpus' metadata step moves such a first line to the ``title`` field).
    """
    sent = sentences if sentences is not None else _sentences()
    return st.lists(sent, min_size=min_sentences, max_size=max_sentences).map(_close)


def _close(sentences: list[str]) -> str:
    text = " ".join(sentences)
    if text[-1:] in ("\N{ARABIC QUESTION MARK}", "!"):
        return text[:-1] + "."
    return text


_paragraphs = paragraphs


def titles(*, min_words: int = 3, max_words: int = 10) -> st.SearchStrategy[str]:
    """A headline: a short line of words without a final full stop."""
    return sentences(min_words=min_words, max_words=max_words, numbers=False, quotes=False, end=False)


def captions(*, min_words: int = 2, max_words: int = 8) -> st.SearchStrategy[str]:
    """A photo caption: a short line of words without a final full stop."""
    return sentences(min_words=min_words, max_words=max_words, numbers=False, quotes=False, end=False)


@st.composite
def documents(
    draw: st.DrawFn,
    *,
    paragraphs: st.SearchStrategy[str] | None = None,
    min_paragraphs: int = 1,
    max_paragraphs: int = 4,
    title: bool = False,
) -> str:
    """A clean news-like document: paragraphs joined by single newlines, optionally a headline first.

    Paragraphs are distinct (an article does not print a paragraph twice; a repeat is noise, see
    `inject_repeated_lines`). The result is a fixed point of arcorpus' standard profile (see the
    strategies' tests): no empty lines, no leading/trailing spaces, nothing for any step to change.
    """
    para = paragraphs if paragraphs is not None else _paragraphs()
    body = draw(st.lists(para, min_size=min_paragraphs, max_size=max_paragraphs, unique=True))
    if title:
        body.insert(0, draw(titles()))
    return "\n".join(body)
