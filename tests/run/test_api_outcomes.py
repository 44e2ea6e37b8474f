"""The Python API accounts for every input: kept, duplicate or rejected, never silently dropped or fatal.

`run_outcomes` gives exactly one `Outcome` per input, in input order; `clean_documents` yields the kept
documents and hands the others to ``on_reject`` / ``on_duplicate`` (or warns how many it did not return).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import arcorpus
from arcorpus import strategies as ast
from arcorpus.api import UnreturnedDocumentsWarning, clean_documents, run_outcomes

TEXT = "مرحبا بكم في الموقع الجديد للأخبار اليوم"
CONFIG = arcorpus.CleanConfig(dedup="exact")

RECORDS: list[Any] = [
    {"id": "a", "text": TEXT},
    {"id": "b", "text": TEXT},  # exact duplicate of a
    {"id": "c", "text": None},  # aborted the whole batch with TypeError
    {"id": "d"},
    {"id": "e", "text": 7},
    42,
    "",
    "[ad_1]\n[ad_2]",  # every line is boilerplate: empty after cleaning (a one-line input stays content)
    {"id": "f", "text": "نص آخر مختلف تماما عن الأول"},
]


@pytest.mark.parametrize("one_shot", [False, True], ids=["list", "iterator"])
def test_every_input_is_one_outcome_in_order(one_shot: bool) -> None:
    docs = iter(RECORDS) if one_shot else RECORDS
    outcomes = list(run_outcomes(docs, CONFIG))
    assert [o.kind for o in outcomes] == [
        "kept",
        "duplicate",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "kept",
    ]
    reasons = [o.reject.reason for o in outcomes if o.reject is not None]
    assert reasons == [
        "text_not_string",
        "missing_text",
        "text_not_string",
        "not_a_document",
        "empty_text",
        "empty_after_cleaning",
    ]
    lines = [o.reject.line for o in outcomes if o.reject is not None]
    assert lines == [3, 4, 5, 6, 7, 8]  # 1-based position of the input


def test_clean_documents_hands_every_input_to_the_caller() -> None:
    rejected: list[arcorpus.Reject] = []
    duplicates: list[arcorpus.Document] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: every input reached a callback
        kept = list(
            clean_documents(RECORDS, CONFIG, on_reject=rejected.append, on_duplicate=duplicates.append)
        )
    assert [d.id for d in kept] == ["a", "f"]
    assert [d.id for d in duplicates] == ["b"]
    assert duplicates[0].added["duplicate_of"] == "a"
    assert len(rejected) == 6
    assert len(kept) + len(duplicates) + len(rejected) == len(RECORDS)


def test_clean_documents_without_callbacks_says_what_it_did_not_return() -> None:
    with pytest.warns(UnreturnedDocumentsWarning, match="6 rejected and 1 duplicate"):
        kept = list(clean_documents(RECORDS, CONFIG))
    assert [d.id for d in kept] == ["a", "f"]


def test_kept_duplicates_are_yielded_not_called_back() -> None:
    duplicates: list[arcorpus.Document] = []
    kept = list(
        clean_documents(
            RECORDS[:2], CONFIG.with_options(keep_duplicates=True), on_duplicate=duplicates.append
        )
    )
    assert [d.id for d in kept] == ["a", "b"] and not duplicates


_RECORD = st.one_of(
    ast.documents(),
    st.builds(lambda t: {"text": t}, ast.documents()),
    st.sampled_from([None, 0, {"text": None}, {"id": "x"}, {"text": ["a"]}, "", "  \n"]),
    st.builds(lambda t: {"text": t}, st.sampled_from([TEXT, "إعلان", "اقرأ أيضا"])),
)


@given(records=st.lists(_RECORD, max_size=8))
def test_outcomes_account_for_any_batch(records: list[Any]) -> None:
    outcomes = list(run_outcomes(records, CONFIG))
    assert len(outcomes) == len(records)
    calls: list[object] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = list(clean_documents(records, CONFIG, on_reject=calls.append, on_duplicate=calls.append))
    assert len(kept) + len(calls) == len(records)
    assert len(kept) == sum(o.kind == "kept" for o in outcomes)


@pytest.mark.parametrize("fields", [{}, {"text_field": "content", "id_field": "url"}])
def test_ids_keep_their_json_type(fields: dict[str, str]) -> None:
    """An integer id stays an integer in the API, as in the CLI's output (issue 17), whatever the
    field names; a record without an id gets its index (as text)."""
    text, ident = fields.get("text_field", "text"), fields.get("id_field", "id")
    records = [
        {ident: 1, text: "خبر أول عن الاقتصاد والأسواق"},
        {ident: 2.5, text: "خبر ثان عن الرياضة والملاعب"},
        {ident: "c", text: "خبر ثالث عن الطقس والأمطار"},
        {ident: True, text: "خبر رابع عن السفر والمطارات"},
    ]
    kept = list(clean_documents(records, dedup="none", **fields))
    assert [(d.id, type(d.id)) for d in kept] == [(1, int), (2.5, float), ("c", str), (True, bool)]
    if not fields:
        assert arcorpus.clean_document({"text": "نص بلا معرّف"}).id == "0"
