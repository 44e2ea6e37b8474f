"""MinHash signatures, LSH banding and clustering: unbiased estimates, the S-curve, determinism."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus.dedup import (
    band_keys,
    candidate_probability,
    choose_kept,
    connected_components,
    estimated_jaccard,
    lsh_params,
    minhash,
    minhash_signature,
    minhash_signatures,
    verify_cutoff,
)
from arcorpus.dedup import keys as keys_module
from arcorpus.dedup.lsh import candidate_pairs, verified_pairs
from arcorpus.dedup.minhash import EMPTY


def shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_signature_shape_dtype_and_determinism() -> None:
    sig = minhash_signature("a b c d e f g h", 128, 5)
    assert sig.shape == (128,) and sig.dtype == np.uint32
    assert np.array_equal(sig, minhash_signature("a b c d e f g h", 128, 5))
    assert estimated_jaccard(sig, sig) == 1.0


def test_batch_signatures_equal_single_ones() -> None:
    keys = ["a b c d e f g h", "", "one two", "x y z w v u t s r q"]
    batch = minhash_signatures(keys, 128, 5)
    assert batch.shape == (4, 128)
    for key, row in zip(keys, batch, strict=True):
        assert np.array_equal(row, minhash_signature(key, 128, 5))


def test_long_documents_and_large_batches_are_hashed_in_chunks_with_the_same_result() -> None:
    """Documents longer than one numpy pass (`_ROWS` shingles) and batches that need several passes give
    the signature of the plain definition: for each permutation, the minimum over all shingles."""
    rnd = random.Random(5)
    vocab = [f"w{i}" for i in range(5000)]
    keys = [" ".join(rnd.choices(vocab, k=n)) for n in (3, 40_000, 900, 0, 20_000, 7000, 7000, 12)]
    a, b = minhash.permutations(128)
    batch = minhash_signatures(keys, 128, 5)
    for key, row in zip(keys, batch, strict=True):
        values = minhash.shingle_hashes(keys_module.key_word_hashes(key), 5).astype(np.uint32)
        if len(values):
            expected = (np.bitwise_xor.outer(values, b) * a).min(axis=0)
            assert np.array_equal(row, expected)
        assert np.array_equal(row, minhash_signature(key, 128, 5))


def test_raw_text_gives_the_signature_of_its_key() -> None:
    from arcorpus.dedup import exact_key, matching_key

    text = "Hello, WORLD!\nThis is - a test; of keys (2015)."
    assert np.array_equal(minhash_signature(text, 128, 5), minhash_signature(matching_key(text), 128, 5))
    assert exact_key(text) == exact_key(matching_key(text))


def test_short_and_empty_keys() -> None:
    short = minhash_signature("one two", 128, 5)
    assert not (short == EMPTY).all()
    assert estimated_jaccard(short, minhash_signature("one two", 128, 5)) == 1.0
    empty = minhash_signature("", 128, 5)
    assert (empty == EMPTY).all()
    assert estimated_jaccard(empty, empty) == 0.0
    assert band_keys(empty, 25, 5) == []


def test_estimates_are_unbiased_with_minhash_variance() -> None:
    """Against exact Jaccard of word 5-gram sets: mean error ~0, spread as sqrt(J(1-J)/k) predicts."""
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(3000)]
    errors, zscores = [], []
    for _ in range(300):
        a = [rng.choice(vocab) for _ in range(rng.randint(80, 300))]
        b = list(a)
        for _ in range(rng.randint(0, 40)):
            b[rng.randrange(len(b))] = rng.choice(vocab)
        sa, sb = shingles(a), shingles(b)
        j = len(sa & sb) / len(sa | sb)
        est = estimated_jaccard(
            minhash_signature(" ".join(a), 128, 5), minhash_signature(" ".join(b), 128, 5)
        )
        errors.append(est - j)
        if 0.05 < j < 0.95:
            zscores.append((est - j) / np.sqrt(j * (1 - j) / 128))
    assert abs(np.mean(errors)) < 0.01
    assert 0.7 < np.std(zscores) < 1.3


def test_lsh_params_for_the_default_threshold() -> None:
    bands, rows = lsh_params(0.8, 128)
    assert (bands, rows) == (25, 5)
    cutoff = verify_cutoff(0.8, 128)
    assert 0.73 < cutoff < 0.75
    assert candidate_probability(cutoff, bands, rows) >= 0.99
    assert candidate_probability(0.3, bands, rows) < 0.1


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 0.98), st.sampled_from([64, 128, 256]))
def test_lsh_params_always_fit_and_catch_the_cutoff(threshold: float, num_perm: int) -> None:
    bands, rows = lsh_params(threshold, num_perm)
    assert bands * rows <= num_perm
    assert candidate_probability(verify_cutoff(threshold, num_perm), bands, rows) >= 0.99


def test_band_keys_carry_the_band_index() -> None:
    sig = np.zeros(128, dtype=np.uint32)  # every band has the same slots...
    keys = band_keys(sig, 25, 5)
    assert len(keys) == 25 and len(set(keys)) == 25  # ...but distinct keys
    assert all(len(k) == 2 + 5 * 4 for k in keys)


def test_candidate_pairs_agree_with_band_keys() -> None:
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 4, size=(60, 20), dtype=np.uint32)  # small alphabet: many collisions
    order = np.arange(60, dtype=np.uint64)
    found = {tuple(p) for p in candidate_pairs(sigs, 4, 5, order).tolist()}
    expected = set()
    for i in range(60):
        for j in range(i + 1, 60):
            if set(band_keys(sigs[i], 4, 5)) & set(band_keys(sigs[j], 4, 5)):
                expected.add((i, j))
    assert found == expected


def test_verified_pairs_use_the_cutoff() -> None:
    a = np.arange(128, dtype=np.uint32)
    b = a.copy()
    b[:30] += 1000  # 98/128 = 0.766 equal
    c = a.copy()
    c[:40] += 1000  # 88/128 = 0.69 equal
    sigs = np.stack([a, b, c])
    pairs = np.array([[0, 1], [0, 2]])
    assert verified_pairs(sigs, pairs, verify_cutoff(0.8, 128)).tolist() == [[0, 1]]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40)
        )
    ),
    st.randoms(),
)
def test_components_ignore_edge_order(data: tuple[int, list[tuple[int, int]]], rnd: random.Random) -> None:
    n, edges = data
    labels = connected_components(n, edges)
    shuffled = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in edges]
    rnd.shuffle(shuffled)
    assert connected_components(n, shuffled) == labels
    for a, b in edges:
        assert labels[a] == labels[b]
    for i, label in enumerate(labels):
        assert label <= i and labels[label] == label  # label = smallest index in the component


def test_choose_kept_rule() -> None:
    assert choose_kept([(4, "d", 100), (2, "b", 120), (3, "c", 120)]) == 2  # most words, then earliest
    assert choose_kept([(9, "x", 10)]) == 9
