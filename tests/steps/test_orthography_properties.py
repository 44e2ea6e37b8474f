"""Hypothesis properties of the repair + orthography steps and of `arcorpus.fold`."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.text.chars import CORE_LETTERS

OTHERS_OFF = {
    "boilerplate": False,
    "repetition": False,
    "site_lines": False,
    "extract_metadata": False,
    "names": False,
}
PROFILES = {p: CleanConfig.from_profile(p, **OTHERS_OFF) for p in ("minimal", "standard", "search")}
SETTINGS: dict[str, Any] = {"max_examples": 150, "deadline": None}

TEH_MARBUTA = "\N{ARABIC LETTER TEH MARBUTA}"
ALEF_MAKSURA = "\N{ARABIC LETTER ALEF MAKSURA}"
HAMZA_BELOW = "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}"
# Letters that may appear inside a clean word (the word-final-only and word-initial-only letters excluded).
INNER = sorted(CORE_LETTERS - {TEH_MARBUTA, ALEF_MAKSURA, HAMZA_BELOW})
FINAL = sorted(CORE_LETTERS - {HAMZA_BELOW})
MARKS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]

clean_word = st.builds(
    lambda first, inner, last: first + "".join(inner) + last,
    st.sampled_from([*INNER, HAMZA_BELOW]),
    st.lists(st.sampled_from(INNER), max_size=6),
    st.sampled_from(FINAL),
)
clean_text = st.lists(clean_word, min_size=1, max_size=12).map(" ".join)

# Noisy Arabic: letters, marks, tatweel, presentation forms, look-alikes, invisible characters, odd spaces,
# punctuation, digits, Latin letters and newlines. (Mojibake and markup have their own case files.)
NOISE = (
    sorted(CORE_LETTERS) * 3
    + MARKS
    + [
        "\u0640",
        "\u0640\u0640",
        "\ufefb",
        "\ufe8d",
        "\ufedf",
        "\ufdf2",
        "\ufdfa",
        "\u06a9",
        "\u06cc",
        "\u06be",
        "\u06c0",
        "\u06f4",
        "\u0667",
        "\u06af",
    ]
    + ["\u200b", "\u200c", "\u200f", "\ufeff", "\x00", "\x1a", "\u00ad"]
    + [" ", " ", " ", "  ", "\u00a0", "\t", "\n", "\u2009"]
    + [
        "\u060c",
        "\u061b",
        "\u061f",
        ".",
        ":",
        "!",
        "\u2026",
        "(",
        "\u00ab",
        "\u00bb",
        "3",
        "5",
        "G",
        "x",
        "@",
    ]
)
noisy_text = st.lists(st.sampled_from(NOISE), max_size=60).map("".join)


def clean(text: str, profile: str) -> arcorpus.Document:
    return arcorpus.clean_document(text, PROFILES[profile])


@settings(**SETTINGS)
@given(noisy_text, st.sampled_from(sorted(PROFILES)))
def test_every_profile_is_idempotent(text: str, profile: str) -> None:
    once = clean(text, profile).text
    twice = clean(once, profile)
    assert twice.text == once
    assert not twice.changes


@settings(**SETTINGS)
@given(clean_text)
def test_standard_never_changes_clean_arabic(text: str) -> None:
    doc = clean(text, "standard")
    assert doc.text == text
    assert not doc.changes


@settings(**SETTINGS)
@given(noisy_text)
def test_no_arabic_letter_lost_without_a_recorded_step(text: str) -> None:
    doc = clean(text, "standard")
    before, after = Counter(c for c in text if c in CORE_LETTERS), Counter(doc.text)
    lost = {c: n - after[c] for c, n in before.items() if after[c] < n}
    if lost:  # only encoding repair and tag removal may consume letters, and they say so
        assert {c.step for c in doc.changes} & {"fix_encoding", "fix_markup"}, lost


_WS = re.compile(r"\s+")


@settings(**SETTINGS)
@given(noisy_text)
def test_search_folding_equals_folding_after_standard_cleaning(text: str) -> None:
    """Folding commutes with standard cleaning up to whitespace (cleaning may add/remove spaces only)."""
    folded = arcorpus.fold(clean(text, "standard").text)
    assert _WS.sub("", folded) == _WS.sub("", arcorpus.fold(text))


@settings(**SETTINGS)
@given(clean_text)
def test_fold_of_clean_arabic_is_unchanged_by_standard(text: str) -> None:
    assert arcorpus.fold(clean(text, "standard").text) == arcorpus.fold(text)


@settings(**SETTINGS)
@given(noisy_text)
def test_fold_is_idempotent_and_keeps_lines(text: str) -> None:
    folded = arcorpus.fold(text)
    assert arcorpus.fold(folded) == folded
    assert folded.count("\n") == text.count("\n")


@settings(**SETTINGS)
@given(noisy_text)
def test_search_profile_output_is_folded(text: str) -> None:
    out = clean(text, "search").text
    assert arcorpus.fold(out) == out
