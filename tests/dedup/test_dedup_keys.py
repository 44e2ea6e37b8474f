"""Matching keys: the fast numpy path equals the character-by-character definition, and case files."""

from __future__ import annotations

import gzip
import itertools
import json
import os
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus.config import CleanConfig
from arcorpus.dedup import Deduplicator, exact_key, matching_key
from arcorpus.dedup.keys import key_word_hashes, map_texts, reference_key, words_of
from arcorpus.document import Document

CASES = Path(__file__).resolve().parents[1] / "cases" / "dedup_keys.jsonl"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
if not SHARED.exists() and os.environ.get("ARCORPUS_SHARED"):
    SHARED = Path(os.environ["ARCORPUS_SHARED"])  # e.g. a git worktree that is not the repo's sibling
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"

# Arabic letters, hamza forms, diacritics, tatweel, Arabic punctuation and digits, Latin, spaces,
# controls, ZWNJ, presentation forms, an astral emoji: everything the table path must agree on.
ALPHABET = st.sampled_from(
    [chr(c) for c in range(0x0600, 0x0700)]
    + list("abcXYZ019 ,.;:!?\"'()-_/\n\t\r")
    + ["\u200c", "\u200f", "\u00a0", "\ufefb", "\ufe8e", "\U0001f600", "\u0130", "\ufb01"]
    + ["\U0001d400", "\U00020000", "\U0001d7ce"]  # astral letters and a mathematical digit
)


def load_cases() -> list[dict[str, object]]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_case_file_pairs() -> None:
    for case in load_cases():
        same = matching_key(str(case["a"])) == matching_key(str(case["b"]))
        assert same == case["same"], case["why"]


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=80))
def test_fast_path_equals_reference(text: str) -> None:
    assert matching_key(text) == reference_key(text)


@settings(max_examples=100, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_key_is_idempotent(text: str) -> None:
    key = matching_key(text)
    assert matching_key(key) == key


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=40), min_size=1, max_size=6))
def test_batch_equals_single(texts: list[str]) -> None:
    mapped, bounds = map_texts(texts)
    hashes, starts = words_of(mapped)
    doc_of_word = np.searchsorted(bounds, starts, side="right") - 1
    for i, text in enumerate(texts):
        assert np.array_equal(hashes[doc_of_word == i], key_word_hashes(matching_key(text)))


def test_exact_key_matches_deduplicator_signature() -> None:
    dedup = Deduplicator(CleanConfig())
    text = "قال الرئيس، إن الأمر مهم جدا.\nسطر ثان"
    sig = dedup.signature(Document("x", text))
    assert sig is not None
    assert sig.exact == exact_key(matching_key(text))
    assert sig.words == len(matching_key(text).split())


def test_no_words_means_no_signature() -> None:
    assert Deduplicator(CleanConfig()).signature(Document("x", " ... ،،، ")) is None


def test_corpus_sample_matches_reference() -> None:
    """The table path assumes `fold` is a per-character map; this notices if it stops being one."""
    if not CORPUS.exists():
        import pytest

        pytest.skip(f"shared corpus not found at {CORPUS}")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in itertools.islice(fh, 0, 75000, 500)]
    for text in texts:
        assert matching_key(text) == reference_key(text)


def test_long_texts_are_hashed_in_chunks_with_the_same_result(monkeypatch: object) -> None:
    import arcorpus.dedup.keys as keys

    text = "\n".join(" ".join(f"w{(i * 7 + k) % 997}" for k in range(13)) for i in range(400))
    mapped, _ = map_texts([text])
    whole = words_of(mapped)
    monkeypatch.setattr(keys, "_CHUNK", 101)  # type: ignore[attr-defined]
    chunked = words_of(mapped)
    assert np.array_equal(whole[0], chunked[0]) and np.array_equal(whole[1], chunked[1])


def test_distinct_paragraphs_are_the_unique_line_hashes() -> None:
    from arcorpus.dedup.paragraphs import distinct_paragraphs, line_paragraphs, text_paragraphs

    line = "one two three four five six seven eight nine"
    texts = [f"{line}\nshort line\n{line}\nother words here and there and everywhere again", "", line]
    mapped, bounds = map_texts(texts)
    hashes, starts = words_of(mapped)
    doc = np.searchsorted(bounds, starts, side="right") - 1
    per_line = line_paragraphs(mapped, bounds, hashes, starts, doc)
    distinct = distinct_paragraphs(mapped, bounds, hashes, starts, doc)
    assert per_line[0][0].tolist() == [0, 2, 3]  # line indexes; the short line is not a paragraph
    for (_, h), d, text in zip(per_line, distinct, texts, strict=True):
        assert np.array_equal(np.unique(h), d)
        assert np.array_equal(text_paragraphs(text)[1], h)
    assert distinct[0][0] in distinct[2] or distinct[0][1] in distinct[2]  # same paragraph, same hash
