"""LSH banding: which documents to compare, and how strictly to verify them.

A signature of ``num_perm`` slots is cut into ``bands`` bands of ``rows`` slots; two documents become a
*candidate pair* when all rows of at least one band are equal, which happens with probability
``1 - (1 - s**rows)**bands`` for shingle-set Jaccard ``s`` (the S-curve, `candidate_probability`).
Candidates are then *verified*: kept only when their estimated Jaccard (fraction of equal slots over all
``num_perm`` slots) is at least `verify_cutoff`, which keeps precision whatever the band settings.

Choice of settings (`lsh_params`): the verification cutoff is ``threshold - 1.645 * sigma`` where
``sigma = sqrt(t * (1 - t) / num_perm)`` is the standard error of the estimate at the threshold ``t``, so a
pair whose true Jaccard is exactly ``t`` is verified 95 % of the time (not 50 %, as a cutoff at ``t``
would give). The bands/rows are the split whose S-curve puts at least 99 % candidate probability at the
cutoff while producing the fewest candidates below it (smallest area under the S-curve on [0, cutoff]).
For threshold 0.8 and 128 permutations this gives cutoff 0.742 and 25 bands x 5 rows.

This module deliberately does not cluster (see `clusters`) and holds no documents, only signatures.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from arcorpus.dedup.minhash import EMPTY

RECALL_Z = 1.645
"""Standard errors below the threshold at which verification cuts (95 % one-sided)."""
MIN_CANDIDATE_PROBABILITY = 0.99
"""Required S-curve value at the verification cutoff."""
ALL_PAIRS_WINDOW = 32
"""In a bucket, each document is paired with the next ``ALL_PAIRS_WINDOW - 1`` documents in key order:
every pair for buckets up to this size, a connected band of pairs for larger ones."""


def verify_cutoff(threshold: float, num_perm: int) -> float:
    """The estimated-Jaccard cutoff that verifies a pair of true Jaccard ``threshold`` 95 % of the time."""
    sigma = math.sqrt(threshold * (1.0 - threshold) / num_perm)
    return max(0.0, threshold - RECALL_Z * sigma)


def candidate_probability(s: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that documents of Jaccard ``s`` share at least one band (the S-curve)."""
    return 1.0 - (1.0 - np.power(s, rows)) ** bands


@functools.lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for ``threshold``: >= 99 % candidates at the cutoff, fewest candidates below it.

    Deterministic (a pure function of its arguments); ``bands * rows <= num_perm``.
    """
    cutoff = verify_cutoff(threshold, num_perm)
    grid = np.linspace(0.0, cutoff, 201)
    best: tuple[float, int, int] | None = None
    fallback: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        at_cutoff = float(candidate_probability(cutoff, bands, rows))
        below = float(np.mean(candidate_probability(grid, bands, rows))) * cutoff
        if at_cutoff >= MIN_CANDIDATE_PROBABILITY and (best is None or below < best[0]):
            best = (below, bands, rows)
        if fallback is None or 1.0 - at_cutoff < fallback[0]:
            fallback = (1.0 - at_cutoff, bands, rows)
    chosen = best or fallback
    assert chosen is not None
    return chosen[1], chosen[2]


def band_keys(sig: np.ndarray, bands: int, rows: int) -> list[bytes]:
    """The LSH bucket keys of one signature: band index (2 bytes, little-endian) + the band's slots.

    An empty signature (a document without words) has no keys: it is a candidate for nothing.
    """
    sig = np.ascontiguousarray(sig, dtype=np.uint32)
    if bool((sig == EMPTY).all()):
        return []
    return [
        band.to_bytes(2, "little") + sig[band * rows : (band + 1) * rows].tobytes() for band in range(bands)
    ]


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int, order: np.ndarray) -> np.ndarray:
    """Unique candidate pairs ``(i, j)``, ``i < j``, of the rows of ``sigs`` (an (n, num_perm) array).

    Inside a bucket, documents are sorted by ``order`` (a content-derived uint64 per row, e.g. the exact
    key) and each is paired with the next ``ALL_PAIRS_WINDOW - 1``: all pairs of small buckets, and a
    connected chain of pairs for big ones, chosen by content, never by input position.
    """
    n = len(sigs)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    usable = ~(sigs == EMPTY).all(axis=1)
    rng = np.random.Generator(np.random.PCG64(0xBA2D))
    multipliers = rng.integers(0, 2**63, rows, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    by_order = np.argsort(order, kind="stable")
    found: list[np.ndarray] = []
    for band in range(bands):
        # 64-bit multilinear hash of the band's slots: equal bands -> equal hash; a different band collides
        # with probability ~2**-32 at most, and such a false candidate is then rejected by verification.
        block = sigs[:, band * rows : (band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            block *= multipliers
            bucket = block.sum(axis=1, dtype=np.uint64)
        bucket[~usable] = np.arange(int((~usable).sum()), dtype=np.uint64)  # empty signatures: own buckets
        by_bucket = np.argsort(bucket[by_order], kind="stable")  # bucket-major, content order inside
        sorted_rows = by_order[by_bucket]
        sorted_bucket = bucket[sorted_rows]
        for k in range(1, ALL_PAIRS_WINDOW):
            same = sorted_bucket[k:] == sorted_bucket[:-k]
            if not same.any():
                break
            found.append(np.stack((sorted_rows[:-k][same], sorted_rows[k:][same]), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0)


def verified_pairs(sigs: np.ndarray, pairs: np.ndarray, cutoff: float, chunk: int = 65536) -> np.ndarray:
    """The pairs whose estimated Jaccard is at least ``cutoff``."""
    if len(pairs) == 0:
        return pairs
    keep = np.zeros(len(pairs), dtype=bool)
    need = math.ceil(cutoff * sigs.shape[1] - 1e-9)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        equal = np.count_nonzero(sigs[part[:, 0]] == sigs[part[:, 1]], axis=1)
        keep[start : start + chunk] = equal >= need
    return pairs[keep]
