"""MinHash signatures over word n-gram shingles, vectorized with numpy.

Word hashes (`keys.word_hashes`, one 64-bit hash per word) are combined into one hash per shingle of
``ngram`` consecutive words by a multilinear combination of the shifted word-hash arrays (n numpy ops,
no per-shingle Python loop), mixed with a 64-bit finaliser; the top 32 bits are the shingle value ``x``.
Because ``x`` is already a well-mixed hash, the ``num_perm`` "permutations" only need to be cheap,
distinct bijections of 32-bit values: ``h_i(x) = ((x XOR b_i) * a_i) mod 2**32`` with random ``b_i`` and
odd ``a_i`` (xor then multiply: the high bits, which decide the minimum, depend on every bit of ``x``).
They are applied as one (shingles x num_perm) uint32 array (SIMD-friendly, half the memory traffic of
uint64) and reduced with ``min`` over shingles. `tests/dedup/test_dedup_minhash.py` checks that the estimates
are unbiased against exact Jaccard with the variance MinHash theory predicts.

Parameters come from a fixed seed, so every process (and every run) computes identical signatures.
A document shorter than ``ngram`` words has one shingle (all its words); a document with no words has
the empty signature (every slot ``EMPTY``), which `estimated_jaccard` treats as similar to nothing.

This module deliberately knows nothing about documents, keys or LSH.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from arcorpus.dedup.keys import _mix64, key_word_hashes, map_texts, words_of

EMPTY = np.uint32(0xFFFFFFFF)
_SEED = 0xA12C_0125
_U64 = np.uint64


@functools.lru_cache(maxsize=8)
def permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) uint32 parameters of the ``num_perm`` hash functions (fixed seed, read-only)."""
    rng = np.random.Generator(np.random.PCG64(_SEED))
    a = (rng.integers(0, 2**31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)).astype(np.uint32)
    b = rng.integers(0, 2**32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


@functools.lru_cache(maxsize=8)
def _shingle_multipliers(ngram: int) -> np.ndarray:
    rng = np.random.Generator(np.random.PCG64(_SEED + ngram))
    values = rng.integers(0, 2**63, ngram, dtype=np.uint64) * _U64(2) + _U64(1)
    values.setflags(write=False)
    return values


def shingle_hashes(word_hashes: np.ndarray, ngram: int) -> np.ndarray:
    """32-bit shingle values (as uint64) of the word n-grams of ``word_hashes``, in text order."""
    m = len(word_hashes)
    if m == 0:
        return np.empty(0, dtype=np.uint64)
    return _window_hashes(word_hashes, min(ngram, m), _shingle_multipliers(ngram))


def _window_hashes(word_hashes: np.ndarray, width: int, q: np.ndarray) -> np.ndarray:
    """32-bit values (as uint64) of every window of ``width`` consecutive word hashes, in order."""
    count = len(word_hashes) - width + 1
    with np.errstate(over="ignore"):
        shingles = word_hashes[:count] * q[0]
        for i in range(1, width):
            shingles += word_hashes[i : i + count] * q[i]
        shingles += _U64(width)
        _mix64(shingles)
    shingles >>= _U64(32)
    return shingles


_ROWS = 1 << 14
"""Shingles per numpy pass (x num_perm uint32): bounds the temporary array to 8 MB at 128 permutations,
whatever the document size."""


def signature_from_shingles(shingles: np.ndarray, num_perm: int) -> np.ndarray:
    """The uint32 MinHash signature, shape (num_perm,), of a set of 32-bit shingle values."""
    out = np.full(num_perm, EMPTY, dtype=np.uint32)
    a, b = _columns(num_perm)
    values = shingles.astype(np.uint32)
    for start in range(0, len(values), _ROWS):
        hashed = np.bitwise_xor.outer(b, values[start : start + _ROWS])  # num_perm x shingles
        hashed *= a
        np.minimum(out, hashed.min(axis=1), out=out)
    return out


@functools.lru_cache(maxsize=8)
def _columns(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """`permutations` as (num_perm, 1) columns: hashing is laid out permutation-major, so each minimum
    runs over contiguous memory."""
    a, b = permutations(num_perm)
    return a[:, None], b


def batch_signatures(
    word_hashes: np.ndarray, word_doc: np.ndarray, n_docs: int, num_perm: int, ngram: int
) -> np.ndarray:
    """Signatures (n_docs x num_perm, uint32) of many documents whose words are concatenated.

    ``word_doc[i]`` is the document of word ``i`` (non-decreasing). A shingle never spans two
    documents. Row ``d`` equals ``signature_from_word_hashes(word_hashes[word_doc == d], ...)``.
    Consecutive documents are hashed together, up to `_ROWS` shingles per numpy pass, and each one's
    minimum taken with ``minimum.reduceat``; a longer document is hashed alone, in chunks.
    """
    out = np.full((n_docs, num_perm), EMPTY, dtype=np.uint32)
    counts = np.bincount(word_doc, minlength=n_docs) if len(word_doc) else np.zeros(n_docs, dtype=np.int64)
    word_offsets = np.cumsum(counts) - counts
    count = len(word_hashes) - ngram + 1
    if count > 0:
        shingles = _window_hashes(word_hashes, ngram, _shingle_multipliers(ngram))
        valid = word_doc[:count] == word_doc[ngram - 1 :]
        shingle_doc = word_doc[:count][valid]
        shingles = shingles[valid].astype(np.uint32)
        per_doc = np.bincount(shingle_doc, minlength=n_docs)
    else:
        shingles = np.empty(0, dtype=np.uint32)
        per_doc = np.zeros(n_docs, dtype=np.int64)
    offsets = np.cumsum(per_doc) - per_doc
    a, b = _columns(num_perm)
    group: list[int] = []
    rows = 0

    def flush() -> None:
        if not group:
            return
        first, last = offsets[group[0]], offsets[group[-1]] + per_doc[group[-1]]
        hashed = np.bitwise_xor.outer(b, shingles[first:last])
        hashed *= a
        out[group] = np.minimum.reduceat(hashed, offsets[group] - first, axis=1).T
        group.clear()

    for d in range(n_docs):
        n = int(per_doc[d])
        if n > _ROWS:
            flush()  # a group is a contiguous run of shingles
            rows = 0
            out[d] = signature_from_shingles(shingles[offsets[d] : offsets[d] + n], num_perm)
        elif n:
            if rows + n > _ROWS:
                flush()
                rows = 0
            group.append(d)
            rows += n
        elif counts[d]:  # fewer words than ngram: one shingle of all of them
            start = word_offsets[d]
            out[d] = signature_from_word_hashes(word_hashes[start : start + counts[d]], num_perm, ngram)
    flush()
    return out


def signature_from_word_hashes(word_hashes: np.ndarray, num_perm: int, ngram: int) -> np.ndarray:
    return signature_from_shingles(shingle_hashes(word_hashes, ngram), num_perm)


def minhash_signature(key: str, num_perm: int, ngram: int) -> np.ndarray:
    """MinHash signature (uint32, shape (num_perm,)) of the word ``ngram``-grams of a matching key.

    Raw text gives the same signature as its `matching_key` (it is mapped first). For many documents
    `minhash_signatures` is several times faster.
    """
    return signature_from_word_hashes(key_word_hashes(key), num_perm, ngram)


def minhash_signatures(keys: Sequence[str], num_perm: int, ngram: int) -> np.ndarray:
    """`minhash_signature` of many keys (or raw texts: they are mapped to keys first), one row each.

    The batch form: one set of numpy operations for all of them, several times faster than a loop.
    """
    mapped, bounds = map_texts(keys)
    hashes, starts = words_of(mapped)
    word_doc = np.searchsorted(bounds, starts, side="right") - 1
    return batch_signatures(hashes, word_doc, len(keys), num_perm, ngram)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of equal slots of two signatures: an unbiased estimate of the shingle-set Jaccard.

    An empty signature (a document without words) is similar to nothing, not even another empty one.
    """
    if bool((a == EMPTY).all()) or bool((b == EMPTY).all()):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)
