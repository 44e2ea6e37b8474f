"""Hypothesis strategies for realistic, noisy Arabic news text — for arcorpus' own tests and for yours.

Teams building Arabic tokenizers, search indexes or cleaning pipelines can test them on the messy text
they will really meet. Every function returns a `hypothesis.strategies.SearchStrategy`, takes its sizes
and options as keyword arguments, and is built from ``sampled_from``/``lists``/``composite`` with the
simplest choice first, so failing examples shrink to short, plain, frequent words and a single injection::

    from hypothesis import given
    from arcorpus import strategies as ast

    @given(ast.noisy_documents())
    def test_my_cleaner(doc):
        noisy, reference, injections = doc
        assert my_clean(noisy) == my_clean(reference)

Clean text: `arabic_letters`, `hamza_forms`, `diacritics`, `tatweel`, `digits`, `numbers`,
`arabic_punctuation`, `words`, `sentences`, `paragraphs`, `titles`, `captions`, `documents`.
Noise (each returns a `NoisyDocument` ``(noisy, clean_reference, injections)``): `inject_name_variants`,
`inject_repeated_lines`, `inject_boilerplate`, `inject_glued_words`, `inject_spacing`, `inject_lookalikes`,
`inject_tatweel`, `inject_presentation_forms`, `inject_invisible`, `inject_mojibake`, and all of them at once
in `noisy_documents`. Pairs for deduplication: `near_duplicates`. See docs/strategies.md.

Requires the ``hypothesis`` extra (``pip install 'arcorpus[hypothesis]'``); ``import arcorpus`` alone does
not import hypothesis. This package deliberately does not clean anything and does not call arcorpus'
cleaning steps, so it can test them.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "arcorpus.strategies needs the 'hypothesis' package: install it with "
        "pip install 'arcorpus[hypothesis]'"
    ) from exc

from arcorpus.strategies._inject_spelling import SPACING_KINDS, shape
from arcorpus.strategies._model import ENCODINGS, Injection, NearDuplicatePair, NoisyDocument
from arcorpus.strategies._near_duplicates import jaccard, near_duplicates
from arcorpus.strategies._noise import (
    INJECTOR_NAMES,
    inject_boilerplate,
    inject_glued_words,
    inject_invisible,
    inject_lookalikes,
    inject_mojibake,
    inject_name_variants,
    inject_presentation_forms,
    inject_repeated_lines,
    inject_spacing,
    inject_tatweel,
    noisy_documents,
)
from arcorpus.strategies._text import (
    arabic_letters,
    arabic_punctuation,
    captions,
    diacritics,
    digits,
    documents,
    hamza_forms,
    numbers,
    paragraphs,
    sentences,
    tatweel,
    titles,
    words,
)

__all__ = [
    "ENCODINGS",
    "INJECTOR_NAMES",
    "SPACING_KINDS",
    "Injection",
    "NearDuplicatePair",
    "NoisyDocument",
    "arabic_letters",
    "arabic_punctuation",
    "captions",
    "diacritics",
    "digits",
    "documents",
    "hamza_forms",
    "inject_boilerplate",
    "inject_glued_words",
    "inject_invisible",
    "inject_lookalikes",
    "inject_mojibake",
    "inject_name_variants",
    "inject_presentation_forms",
    "inject_repeated_lines",
    "inject_spacing",
    "inject_tatweel",
    "jaccard",
    "near_duplicates",
    "noisy_documents",
    "numbers",
    "paragraphs",
    "sentences",
    "shape",
    "tatweel",
    "titles",
    "words",
]
