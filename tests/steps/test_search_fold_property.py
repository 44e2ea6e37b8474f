"""The ``search`` profile's promise: its output is folded, ``fold(out) == out``, whatever the input.

The ``names`` step runs after ``search_fold`` (stage order: orthography before names) and used to write
the gazetteer's chosen spellings with أ/إ/ة back into folded text; it now writes them folded when
``search_fold`` is on (docs/orthography.md, "Search folding and names").
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import arcorpus
from arcorpus import strategies as ast


def _search(text: str) -> str:
    return arcorpus.clean(text, profile="search")


def test_names_do_not_unfold_search_output() -> None:
    text = "زار الرئيس الأمريكي إيران ثم القاهرة والتقى كيم جونج أون في بيونج يانج"
    out = _search(text)
    assert out == arcorpus.fold(out)
    assert "بيونغ يانغ" in out  # the variant is still unified, in its folded spelling


def test_names_still_record_entities_under_search() -> None:
    doc = arcorpus.clean_document(arcorpus.Document("d", "زار القاهرة"), profile="search")
    assert doc.added["entities"] == ["cairo"]
    assert not [c for c in doc.changes if c.step == "names"]  # folded already: nothing to rewrite


@given(doc=ast.noisy_documents())
def test_search_output_is_folded_on_noisy_documents(doc: ast.NoisyDocument) -> None:
    for text in (doc.noisy, doc.clean_reference):
        out = _search(text)
        assert arcorpus.fold(out) == out


@given(text=st.one_of(ast.documents(), ast.titles(), ast.paragraphs()))
def test_search_output_is_folded_on_clean_text(text: str) -> None:
    out = _search(text)
    assert arcorpus.fold(out) == out
