"""The matching key: the text as dedup compares it, and fast numpy word hashes over it.

Definition (`reference_key` is the executable form of it)::

    fold(text)                      search folding (alef/hamza forms, ya/ta marbuta, diacritics, tatweel)
    -> lower-case                   Latin capitals
    -> decimal digits to ASCII      "٢٠١٥" and "2015" match
    -> marks (M*) and format (Cf)   deleted (combining marks, ZWNJ/ZWJ, bidi controls): a vocalized word
                                    stays one word, it is never split at its diacritics
    -> everything that is not a     (punctuation, symbols, spaces, controls) becomes a word separator
       letter or digit
    -> words joined by one space

Canonical names come from the ``names`` step, which runs before dedup in the pipeline; this module does
not know about names.

`map_codepoints` is the fast implementation: the same character map, derived once from `fold` and
`unicodedata` into a 65 536-entry table and applied with numpy to the UTF-32 code points of a whole
document (no per-character Python loop). Documents with a character the table cannot express (astral
plane characters, a character whose folded/lower-cased form is several characters) take the reference
path. The derivation assumes `fold` is a per-character map; `tests/dedup/test_dedup_keys.py` checks the fast
path against `reference_key` on corpus text so a context-sensitive `fold` would be noticed.

This module deliberately does not hash documents or shingles (see `minhash`): it only produces keys,
word hashes and paragraph hashes.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

import numpy as np
import xxhash

from arcorpus.text.fold import fold

SEP = 32
"""Code point of the word separator in mapped arrays."""
NEWLINE = 10
"""Code point kept in mapped arrays so paragraph (line) boundaries survive the mapping."""
_DELETE = 0
_SPECIAL = 0xFFFFFFFF
_TABLE_SIZE = 0x10000

_U64 = np.uint64
_CHUNK = 1 << 22
"""Characters hashed per numpy pass in `words_of` (bounds worker memory on huge documents)."""


def _map_char(c: str) -> str:
    """The reference map of one already folded character (may return "", " " or one or more chars)."""
    out: list[str] = []
    for ch in c.lower():
        cat = unicodedata.category(ch)
        if cat[0] in "LN":
            digit = unicodedata.decimal(ch, None)
            out.append(str(digit) if digit is not None else ch)
        elif cat[0] == "M" or cat == "Cf":
            continue
        else:
            out.append(" ")
    return "".join(out)


def reference_key(text: str) -> str:
    """The matching key, computed character by character (slow; the definition of `matching_key`)."""
    return " ".join("".join(_map_char(ch) for ch in fold(text)).split())


def _folded_chars() -> list[str]:
    """``fold(chr(cp))`` for every BMP code point, from one `fold` call when fold keeps lines."""
    chars = [
        "" if 0xD800 <= cp < 0xE000 or chr(cp) in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else chr(cp)
        for cp in range(_TABLE_SIZE)
    ]
    folded = fold("\n".join(chars)).split("\n")
    if len(folded) != _TABLE_SIZE:  # fold changed the number of lines: one call per character
        folded = [fold(c) if c else "" for c in chars]
    for cp, c in enumerate(chars):
        if not c and not 0xD800 <= cp < 0xE000:
            folded[cp] = fold(chr(cp))
    return folded


@functools.lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The 65 537-entry map (see the module docstring). Read-only.

    Same entries as mapping every folded character with `_map_char` (``tests/steps/test_learn_fast_paths.py``
    compares the two), but a character that folds and lower-cases to one character (nearly all) is
    classified inline, and the entries are collected in a list that numpy converts once: about a third of
    the time. It deliberately does not cache anything on disk."""
    category, decimal = unicodedata.category, unicodedata.decimal
    entries: list[int] = []
    append = entries.append
    for folded in _folded_chars():
        lower = folded.lower() if len(folded) == 1 else ""
        if len(lower) == 1:
            cat = category(lower)
            if cat[0] in "LN":
                digit = decimal(lower, None)
                append(ord(lower) if digit is None else 48 + digit)
            elif cat[0] == "M" or cat == "Cf":
                append(_DELETE)
            else:
                append(SEP)
            continue
        mapped = "".join(_map_char(ch) for ch in folded)
        if mapped == "":
            append(_DELETE)
        elif len(mapped) == 1:
            append(SEP if mapped == " " else ord(mapped))
        else:
            append(_SPECIAL)
    table = np.array([*entries, _SPECIAL], dtype=np.uint32)  # last entry: astral plane (reference path)
    table[0xD800:0xE000] = _SPECIAL
    table[NEWLINE] = NEWLINE
    table.setflags(write=False)
    return table


def warm_up() -> None:
    """Build the character table now (a driver does it before forking its workers, which inherit it)."""
    _table()


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as a uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _key_form(text: str) -> str:
    """``text`` with every line replaced by its reference key (for texts the table cannot map)."""
    return "\n".join(reference_key(line) for line in text.split("\n"))


def map_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Map a batch of texts to matching-key code points in one set of numpy operations.

    Returns ``(mapped, bounds)``: the texts mapped and concatenated with a `NEWLINE` between them (so
    no word or line spans two texts); text ``i`` is ``mapped[bounds[i]:bounds[i + 1]]``. Separators are
    `SEP`, line breaks `NEWLINE`, runs are not collapsed. Same words, in the same order, per line, as
    `reference_key` of that line.
    """
    texts = list(texts)
    if not texts:
        return np.empty(0, dtype=np.uint32), np.zeros(1, dtype=np.int64)
    table = _table()
    mapped = table.take(codepoints("\n".join(texts)), mode="clip")  # astral -> last entry (_SPECIAL)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths) - lengths
    special = np.flatnonzero(mapped == _SPECIAL)
    if len(special):
        # rare: a text the table cannot map takes the reference path; its key form is used as is
        bad = set(np.searchsorted(starts, special, side="right") - 1)
        parts: list[np.ndarray] = []
        for i, text in enumerate(texts):
            if i:
                parts.append(np.array([NEWLINE], dtype=np.uint32))
            if i in bad:
                texts[i] = text = _key_form(text)
                parts.append(codepoints(text))
            else:
                parts.append(table.take(codepoints(text), mode="clip"))
        mapped = np.concatenate(parts)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        starts = np.cumsum(lengths) - lengths
    bounds = np.empty(len(texts) + 1, dtype=np.int64)
    bounds[:-1] = starts
    bounds[-1] = len(mapped)
    deleted = np.flatnonzero(mapped == _DELETE)
    if len(deleted):
        bounds -= np.searchsorted(deleted, bounds)
        mapped = np.delete(mapped, deleted)
    return mapped, bounds


def matching_key(text: str) -> str:
    """Folded, lower-cased words of ``text`` joined by single spaces: equal keys mean exact duplicates.

    Spelling variants that `fold` folds, diacritics, tatweel, punctuation, digit systems and layout
    make no difference. It deliberately does not remove boilerplate or canonicalize names (steps do).
    """
    mapped, bounds = map_texts([text])
    return keys_of(mapped, bounds)[0]


def exact_key(key: str) -> bytes:
    """The 128-bit exact-duplicate key of a matching key: xxh3-128 of its sequence of word hashes.

    Defined over word hashes so the batch path (`exact_keys`) never has to build the key string. Raw text
    gives the same value as its matching key.
    """
    return xxhash.xxh3_128_digest(key_word_hashes(key).tobytes())


_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 2**64)
_POWERS: list[tuple[np.ndarray, np.ndarray]] = []
"""Grow-only cache of (BASE**i, BASE**-i) mod 2**64: derived constants, never configuration."""


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    if not _POWERS or len(_POWERS[0][0]) < n:
        size = 1 << max(16, (n - 1).bit_length())
        with np.errstate(over="ignore"):
            powers = np.full(size, _BASE, dtype=np.uint64)
            powers[0] = 1
            np.cumprod(powers, out=powers)
            inverses = np.full(size, _BASE_INV, dtype=np.uint64)
            inverses[0] = 1
            np.cumprod(inverses, out=inverses)
        powers.setflags(write=False)
        inverses.setflags(write=False)
        _POWERS[:] = [(powers, inverses)]
    return _POWERS[0]


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64/murmur3 finaliser, in place."""
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


def range_hashes(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Polynomial hash mod 2**64 of each range ``values[starts[i]:ends[i]]``, mixed; vectorized.

    ``sum(values[j] * BASE**(j - start))`` from one prefix sum of ``values * BASE**j``: the hash of a range
    depends only on its contents, not on where it is. Not collision-resistant against adversaries
    (polynomial hashing mod 2**64 is not); fine for text that is not crafted to collide.
    """
    n = len(values)
    powers, inverses = _powers(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(values.astype(np.uint64) * powers[:n], out=prefix[1:])
        hashes = prefix[ends] - prefix[starts]
        hashes *= inverses[starts]
        hashes += (ends - starts).astype(np.uint64)
        return _mix64(hashes)


def _words(mapped: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mask of word characters, word start positions, word end positions) of a mapped array."""
    is_word = (mapped != SEP) & (mapped != NEWLINE)
    edges = np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return is_word, np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def words_of(mapped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hash of every word, start position of every word) of a mapped array, in text order.

    A word's hash depends only on its code points, so it is the same whichever document it is in. Long
    arrays are processed in chunks cut at separators, which bounds the power tables (and the temporary
    arrays) to `_CHUNK` characters whatever the document size.
    """
    n = len(mapped)
    if n <= _CHUNK:
        return _words_of(mapped)
    hashes: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    begin = 0
    while begin < n:
        end = min(begin + _CHUNK, n)
        if end < n:
            segment = mapped[begin:end]
            separators = np.flatnonzero((segment == SEP) | (segment == NEWLINE))
            if len(separators):  # else one word longer than a chunk: cut it (pathological input)
                end = begin + int(separators[-1]) + 1
        h, st = _words_of(mapped[begin:end])
        hashes.append(h)
        starts.append(st + begin)
        begin = end
    return np.concatenate(hashes), np.concatenate(starts)


def _words_of(mapped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, starts, ends = _words(mapped)
    if len(starts) == 0:
        return np.empty(0, dtype=np.uint64), starts
    return range_hashes(mapped, starts, ends), starts


def word_hashes(mapped: np.ndarray) -> np.ndarray:
    """The 64-bit hash of every word of a mapped array (see `words_of`)."""
    return words_of(mapped)[0]


def key_word_hashes(key: str) -> np.ndarray:
    """Word hashes of a matching key. Any text is accepted: it is mapped first (mapping is idempotent),
    so ``key_word_hashes(text) == key_word_hashes(matching_key(text))``."""
    return word_hashes(map_texts([key])[0])


def exact_keys(hashes: np.ndarray, word_offsets: np.ndarray) -> list[bytes]:
    """`exact_key` of every document of a batch from its word hashes (document ``i`` owns words
    ``word_offsets[i]:word_offsets[i + 1]``)."""
    digest = xxhash.xxh3_128_digest
    return [
        digest(hashes[word_offsets[i] : word_offsets[i + 1]].tobytes()) for i in range(len(word_offsets) - 1)
    ]


def key_segments(mapped: np.ndarray, bounds: np.ndarray) -> list[np.ndarray]:
    """The matching key of every text of a `map_texts` batch, as uint32 code point arrays.

    Words joined by one `SEP`; ``segment.tobytes()`` is the key's UTF-32-LE encoding.
    """
    is_word = (mapped != SEP) & (mapped != NEWLINE)
    keep = is_word.copy()
    keep[1:] |= is_word[:-1]  # the first separator after a word
    collapsed = np.where(is_word, mapped, np.uint32(SEP))[keep]
    kept_before = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
    new_bounds = kept_before[bounds]
    out = []
    for i in range(len(bounds) - 1):
        segment = collapsed[new_bounds[i] : new_bounds[i + 1]]
        if len(segment) and segment[-1] == SEP:
            segment = segment[:-1]
        out.append(segment)
    return out


def keys_of(mapped: np.ndarray, bounds: np.ndarray) -> list[str]:
    """The matching key of every text of a `map_texts` batch."""
    return [seg.tobytes().decode("utf-32-le", "surrogatepass") for seg in key_segments(mapped, bounds)]
