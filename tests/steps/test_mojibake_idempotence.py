# ruff: noqa: RUF001, RUF002, RUF003 -- Arabic test text (letters ruff takes for Latin look-alikes)
"""``clean`` is idempotent on every output of `arcorpus.strategies`, mojibake included, and repairs the
utf8-as-cp1256 mojibake an outside property suite found (issue 14).

Findings fixed here (``fix_encoding``):
- ``"في في في."`` read as cp1256 (``ظپظٹ ظپظٹ ظپظٹ.``) has no Latin-1 character: the step's gate never
  opened. The Persian/Urdu letters that stand for UTF-8 continuation bytes (پ ٹ ھ ...) open it now.
- mojibake of NBSP, EM SPACE, ZWSP, isolates, presentation forms, ٫ was outside the characters the
  cp1256 rule decodes: it was left in pieces, and a second pass (ftfy, on the rest) changed the text again.
- cp1256-as-latin1 text read by ftfy first: ``Ð»`` (``ذ»``) became Cyrillic ``л``; the rule is tried first.
- presentation forms as utf8-as-cp1256: ftfy decoded the units cp1252 shares and left a lone ``ï؛ژ``; the
  cp1256 rule is tried before ftfy too.
The step also repeats (at most 3 passes, only after a change) until nothing changes.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arcorpus
from arcorpus import strategies as ast


def cp1256_mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1256")


def cp1252_mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


def latin1_mojibake(text: str) -> str:
    return text.encode("cp1256").decode("latin-1")


REPAIRED = [
    ("في في في.", cp1256_mojibake),
    ("فيفي", cp1256_mojibake),
    ("أسابيع إلى\u2003في ذلك الوقت", cp1256_mojibake),
    ("كلمة\u00a0أخرى في المدينة", cp1256_mojibake),
    ("\ufed3\ufef2 البيت", cp1256_mojibake),
    ("نسبة ٧٧٫٤ في المئة", cp1256_mojibake),
    ("يعملون «منذ» هو لم", latin1_mojibake),
    ("يعد واحدة؛ ما بهدف", latin1_mojibake),
    # found by the combined-noise property (long profile): ftfy decoded the cp1252-shared unit of ﻣ and
    # left ﺎ's (with cp1256's ؛) alone, one unit, too short to be evidence: "مï؛ ژ"
    ("\ufee3\ufe8e", cp1256_mojibake),
    ("\ufed3\ufef2 \ufed3\ufef2. \ufee3\ufe8e.", cp1256_mojibake),
    # lam-alef's mojibake "ï»»" has only weak trail characters: one presentation form B is evidence enough
    ("\ufefb في البيت", cp1256_mojibake),
    ("\ufed3\ufef2\u00a0\ufed3\ufef2 \ufefb \ufe87\ufedf\ufef0 \ufed3\ufef2.", cp1252_mojibake),
]


@pytest.mark.parametrize(("text", "damage"), REPAIRED, ids=lambda v: getattr(v, "__name__", repr(v)))
def test_mojibake_is_repaired_in_one_pass(text: str, damage: object) -> None:
    noisy = damage(text)  # type: ignore[operator]
    assert noisy != text
    once = arcorpus.clean(noisy)
    assert once == arcorpus.clean(text)
    assert arcorpus.clean(once) == once


NEGATIVES = [
    "پیک گل و ژاله در باغ",  # Persian: its letters now open the gate, nothing may change
    "کراچی میں بارش ہوئی",  # Urdu
    "ظل ظليل ظهر ظبي ظفر",  # words of ظ (the lead of the mojibake pairs), genuine
    "طه طالب طبيب طلب",
    "Café à Paris — naïve façade, ½ €",
    "ظپ alone",  # one pair: not enough evidence
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_genuine_text_is_not_repaired(text: str) -> None:
    doc = arcorpus.clean_document(arcorpus.Document("d", text))
    assert not [c for c in doc.changes if c.step == "fix_encoding"]


def test_the_readme_property_example_passes_on_mojibake() -> None:
    """README: ``my_tokenize(my_clean(doc.noisy)) == my_tokenize(my_clean(doc.clean_reference))``, with
    arcorpus as the cleaner and whitespace tokens, on noisy documents with mojibake."""

    @given(doc=ast.noisy_documents(injectors=["mojibake"], min_injectors=1))
    def readme_example(doc: ast.NoisyDocument) -> None:
        assert arcorpus.clean(doc.noisy).split() == arcorpus.clean(doc.clean_reference).split()

    readme_example()


STRATEGY_TEXTS = {
    "noisy_documents": ast.noisy_documents().map(lambda d: d.noisy),
    "noisy_documents_all_injectors": ast.noisy_documents(min_injectors=3).map(lambda d: d.noisy),
    "inject_mojibake": ast.inject_mojibake().map(lambda d: d.noisy),
    "inject_mojibake_document": ast.inject_mojibake(scope=("document",)).map(lambda d: d.noisy),
    "inject_invisible": ast.inject_invisible().map(lambda d: d.noisy),
    "inject_presentation_forms": ast.inject_presentation_forms().map(lambda d: d.noisy),
    "inject_spacing": ast.inject_spacing().map(lambda d: d.noisy),
    "near_duplicates": ast.near_duplicates().map(lambda p: p.copy),
    "documents": ast.documents(),
    "titles_captions": st.one_of(ast.titles(), ast.captions()),
}


@pytest.mark.parametrize("profile", ["minimal", "standard", "search"])
@pytest.mark.parametrize("name", sorted(STRATEGY_TEXTS))
def test_clean_is_idempotent_on_every_strategy(name: str, profile: str) -> None:
    @settings(max_examples=max(1, settings.default.max_examples // 3))
    @given(text=STRATEGY_TEXTS[name])
    def idempotent(text: str) -> None:
        once = arcorpus.clean(text, profile=profile)
        assert arcorpus.clean(once, profile=profile) == once

    idempotent()
