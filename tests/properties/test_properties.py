"""arcorpus' own property suite, on the realistic noisy text of `arcorpus.strategies`.

- idempotence of every profile;
- noisy -> reference: cleaning a noisy document gives what cleaning its clean reference gives, for each
  injector alone and for all of them together (the heart of the suite);
- no content loss: no Arabic letter disappears without a recorded change, every removed line is recorded;
- names: never applied to text without entities, always applied to injected variants;
- dedup: injected copies are found, distinct documents are not merged, deduplicating twice changes nothing,
  input order does not change the clusters;
- determinism: same input, same output and changes, whatever the number of worker processes.

Run with ``HYPOTHESIS_PROFILE=long`` for many more examples (see tests/conftest.py).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

import arcorpus
from arcorpus import strategies as ast
from arcorpus.api import run_outcomes
from arcorpus.config import CleanConfig
from arcorpus.strategies import _tables as T

PROFILES = ("minimal", "standard", "search")
_CI_EXAMPLES = 30


def examples(n: int) -> int:
    """``n`` examples under the ci profile, proportionally more under ``long``."""
    return max(1, round(n * settings.default.max_examples / _CI_EXAMPLES))


def clean(text: str, profile: str = "standard") -> str:
    return arcorpus.clean(text, profile=profile)


# --- idempotence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@given(doc=ast.noisy_documents())
def test_every_profile_is_idempotent(profile: str, doc: ast.NoisyDocument) -> None:
    once = clean(doc.noisy, profile)
    assert clean(once, profile) == once


# Was a known finding (fix_encoding repaired utf8-as-cp1256 mojibake of NBSP/ZWSP/presentation forms in
# pieces, so a second pass changed the text again): fixed, see tests/steps/test_mojibake_idempotence.py.
@given(doc=ast.noisy_documents(injectors=["mojibake"], min_injectors=1))
def test_standard_profile_is_idempotent_on_mojibake(doc: ast.NoisyDocument) -> None:
    once = clean(doc.noisy)
    assert clean(once) == once


# --- noisy -> reference ----------------------------------------------------------------------------------


_UNDECORATED = {"boilerplate": {"decorate": False}}
_FINDINGS: dict[str, tuple[dict[str, dict[str, object]], str, tuple[str, str]]] = {
    # Fixed findings left this table (their injectors are in the tests above): mojibake ('في في في.' as
    # utf8-as-cp1256 was not detected; tests/steps/test_mojibake_idempotence.py) and name_variants (a
    # short line with a hyphenated name, كيم جونغ-أون, taken for a byline: passes since the names/metadata
    # work).
    "boilerplate_decorated": (
        {"boilerplate": {"decorate": True}},
        "finding (boilerplate): a whole-line rule starting with a digit misses its line when symbols frame "
        "it ('// 0 مشاركة //' stays, '0 مشاركة' goes)",
        ("// 0 مشاركة //\nبشأن بعد التي.", "بشأن بعد التي."),
    ),
}
"""Known findings: injectors, reason, and a counterexample (noisy, reference) checked first, so the test
fails every time while the finding is open (``xfail(strict=True)``) and passes once it is fixed."""
_NO_SHRINK = settings(phases=(Phase.explicit, Phase.reuse, Phase.generate))
"""For tests expected to fail (known findings): report the first counterexample, do not spend minutes
shrinking it on every run."""


def _check_like_reference(injectors: dict[str, dict[str, object]], data: st.DataObject) -> None:
    doc = data.draw(ast.noisy_documents(injectors=injectors, min_injectors=1), label="doc")
    assert clean(doc.noisy) == clean(doc.clean_reference)


@pytest.mark.parametrize("injector", [n for n in ast.INJECTOR_NAMES if n not in _FINDINGS])
@given(data=st.data())
def test_noisy_cleans_like_its_reference(injector: str, data: st.DataObject) -> None:
    _check_like_reference({injector: _UNDECORATED.get(injector, {})}, data)


@pytest.mark.parametrize(
    "finding",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=r)) for n, (_, r, _) in _FINDINGS.items()],
)
@_NO_SHRINK
@given(data=st.data())
def test_noisy_cleans_like_its_reference_known_findings(finding: str, data: st.DataObject) -> None:
    injectors, _, (noisy, reference) = _FINDINGS[finding]
    assert clean(noisy) == clean(reference), "the finding's own counterexample"
    _check_like_reference(injectors, data)


_COMBINED = {n: _UNDECORATED.get(n, {}) for n in ast.INJECTOR_NAMES}


@given(doc=ast.noisy_documents(injectors=_COMBINED, min_injectors=2))
def test_noisy_cleans_like_its_reference_with_all_noise_combined(doc: ast.NoisyDocument) -> None:
    """Every injector, together."""
    assert clean(doc.noisy) == clean(doc.clean_reference)


# --- no content loss -------------------------------------------------------------------------------------

_LETTERS = frozenset(T.ARABIC_LETTERS)


def _letters(text: str) -> Counter[str]:
    return Counter(c for c in unicodedata.normalize("NFKC", text) if c in _LETTERS)


@given(doc=ast.noisy_documents())
def test_no_arabic_letter_is_lost_without_a_record(doc: ast.NoisyDocument) -> None:
    cleaned = arcorpus.clean_document(arcorpus.Document(id="d", text=doc.noisy))
    lost = _letters(doc.noisy) - _letters(cleaned.text)
    recorded = _letters("".join(c.before for c in cleaned.changes))
    assert not lost - recorded, f"lost without a record: {dict(lost - recorded)}"


@given(doc=ast.noisy_documents(injectors=["boilerplate", "repeated_lines"], min_injectors=1))
def test_every_removed_line_is_recorded_with_its_rule(doc: ast.NoisyDocument) -> None:
    cleaned = arcorpus.clean_document(arcorpus.Document(id="d", text=doc.noisy))

    def key(line: str) -> str:  # earlier steps may have respaced the line before it was removed
        return "".join(line.split())

    kept = Counter(key(line) for line in cleaned.text.split("\n"))
    removed = Counter(key(line) for line in doc.noisy.split("\n") if key(line)) - kept
    claimed = Counter(
        key(c.before)
        for c in cleaned.changes
        if c.action in ("remove_line", "to_metadata") and c.rule.startswith(c.step + ".")
    )
    unclaimed = removed - claimed
    assert not unclaimed, f"removed but not recorded: {list(unclaimed)}"


# --- names -----------------------------------------------------------------------------------------------


def _names_changes(text: str) -> tuple[list[arcorpus.Change], object]:
    doc = arcorpus.clean_document(arcorpus.Document(id="d", text=text))
    return [c for c in doc.changes if c.step == "names"], doc.added.get("entities")


@given(text=ast.documents(title=True))
def test_names_never_touch_text_without_entities(text: str) -> None:
    changes, entities = _names_changes(text)
    assert changes == []
    assert not entities


@given(doc=ast.noisy_documents(injectors=[n for n in ast.INJECTOR_NAMES if n != "name_variants"]))
def test_names_never_touch_noisy_text_without_entities(doc: ast.NoisyDocument) -> None:
    changes, entities = _names_changes(doc.noisy)
    assert changes == []
    assert not entities


@given(doc=ast.inject_name_variants())
def test_names_unify_every_injected_variant(doc: ast.NoisyDocument) -> None:
    changes, _ = _names_changes(doc.noisy)
    assert len(changes) >= len(doc.injections)
    cleaned = clean(doc.noisy)
    for inj in doc.injections:
        assert inj.before in cleaned


# --- dedup -------------------------------------------------------------------------------------------------

_DEDUP = CleanConfig(keep_duplicates=True)


def _clusters(texts: Sequence[str]) -> dict[str, set[int]]:
    """cluster id -> indexes of its members (documents in no cluster are left out)."""
    out: dict[str, set[int]] = {}
    for i, outcome in enumerate(run_outcomes(list(texts), _DEDUP)):
        assert outcome.kind != "rejected", outcome.reject
        assert outcome.document is not None
        cluster = outcome.document.added.get("cluster_id")
        if cluster is not None:
            out.setdefault(str(cluster), set()).add(i)
    return out


def _together(pair: ast.NearDuplicatePair) -> bool:
    return {0, 1} in _clusters([pair.original, pair.copy]).values()


@settings(max_examples=examples(15))
@given(pair=ast.near_duplicates(max_edit_fraction=0.0))
def test_dedup_finds_copies_with_spelling_variants_and_noise(pair: ast.NearDuplicatePair) -> None:
    assert _together(pair)


_LONG_DOCS = ast.documents(paragraphs=ast.paragraphs(min_sentences=2), min_paragraphs=4, max_paragraphs=5)


@settings(max_examples=examples(15))
@given(pair=ast.near_duplicates(text=_LONG_DOCS, max_edit_fraction=0.03))
def test_dedup_finds_lightly_edited_copies(pair: ast.NearDuplicatePair) -> None:
    assume(pair.jaccard >= 0.9)
    assert _together(pair)


@settings(max_examples=examples(15))
@given(a=ast.documents(min_paragraphs=2), b=ast.documents(min_paragraphs=2))
def test_dedup_keeps_distinct_documents_apart(a: str, b: str) -> None:
    assume(ast.jaccard(a, b) < 0.3)
    assert _clusters([a, b]) == {}


_CORPUS = st.tuples(
    st.lists(ast.near_duplicates(max_edit_fraction=0.0), min_size=1, max_size=3),
    st.lists(ast.documents(min_paragraphs=2), max_size=3),
).map(lambda t: [x for p in t[0] for x in (p.original, p.copy)] + t[1])


@settings(max_examples=examples(8))
@given(texts=_CORPUS)
def test_dedup_is_idempotent_and_order_independent(texts: list[str]) -> None:
    kept = [o.document.text for o in run_outcomes(texts, CleanConfig()) if o.kind == "kept" and o.document]
    again = list(run_outcomes(kept, CleanConfig()))
    assert [o.kind for o in again] == ["kept"] * len(kept)
    assert [o.document.text for o in again if o.document] == kept

    def partition(order: list[int]) -> set[frozenset[str]]:
        clusters = _clusters([texts[i] for i in order])
        return {frozenset(texts[order[i]] for i in members) for members in clusters.values()}

    forward = list(range(len(texts)))
    assert partition(forward) == partition(forward[::-1])


# --- determinism --------------------------------------------------------------------------------------------


@given(doc=ast.noisy_documents())
def test_cleaning_is_deterministic(doc: ast.NoisyDocument) -> None:
    first = arcorpus.clean_document(arcorpus.Document(id="d", text=doc.noisy))
    second = arcorpus.clean_document(arcorpus.Document(id="d", text=doc.noisy))
    assert first == second


@settings(max_examples=examples(2))
@given(docs=st.lists(ast.noisy_documents(), min_size=2, max_size=12))
def test_worker_count_does_not_change_the_outcome(docs: list[ast.NoisyDocument]) -> None:
    texts = [d.noisy for d in docs] + [docs[0].noisy]  # at least one exact duplicate
    one = list(run_outcomes(texts, CleanConfig(), workers=1))
    two = list(run_outcomes(texts, CleanConfig(), workers=2))
    assert one == two
