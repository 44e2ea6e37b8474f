"""`Change` and `Document` construction: the hand-written fast paths keep up with the dataclass fields."""

from __future__ import annotations

import dataclasses
import pickle

from arcorpus.document import CHANGE_FIELDS, Change, Document


def test_change_init_sets_every_field() -> None:
    assert tuple(f.name for f in dataclasses.fields(Change)) == CHANGE_FIELDS
    values = ("s", "r", "rewrite", "a", "b", 1, 2, 3, 4, "f")
    change = Change(*values)
    assert tuple(getattr(change, name) for name in CHANGE_FIELDS) == values
    assert change == Change(**dict(zip(CHANGE_FIELDS, values, strict=True)))
    assert pickle.loads(pickle.dumps(change)) == change
    assert dataclasses.replace(change, rule="x").rule == "x"


def test_change_defaults_and_frozen() -> None:
    change = Change("s", "r", "note")
    defaults = tuple(getattr(change, name) for name in CHANGE_FIELDS[3:])
    assert defaults == ("", "", -1, -1, -1, 1, None)
    try:
        change.rule = "x"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Change is frozen")


def test_evolve_keeps_every_other_field() -> None:
    assert [f.name for f in dataclasses.fields(Document)] == [
        "id",
        "text",
        "metadata",
        "changes",
        "origin",
        "origin_line",
        "added",
        "rare_chars",
    ], "a new Document field must be copied by Document.evolve"
    doc = Document("i", "t", {"a": 1}, (Change("s", "r", "note"),), "o", 7, {"c": 3})
    new = doc.evolve(text="u", changes=[Change("s", "q", "note")], metadata={"b": 2})
    assert new == Document(
        "i", "u", {"a": 1}, (Change("s", "r", "note"), Change("s", "q", "note")), "o", 7, {"c": 3, "b": 2}
    ), "steps add fields to `added`; the input's `metadata` is never changed"
    assert doc.evolve() == doc
    assert pickle.loads(pickle.dumps(new)) == new


def test_added_fields_never_overwrite_input_fields() -> None:
    """An input record's own ``entities``, ``date``, ``cluster_id`` ... stay as read; what arcorpus adds is
    under ``"arcorpus"`` (issue 14)."""
    doc = Document(7, "clean", {"entities": "input's", "date": "2020", "cluster_id": 1, "arcorpus_x": 0})
    doc = doc.evolve(metadata={"entities": ["putin"], "date": "2024-01-01", "cluster_id": "dup-1"})
    record = doc.to_record(text_field="body", id_field="url", explain=True)
    assert record == {
        "url": 7,
        "body": "clean",
        "entities": "input's",
        "date": "2020",
        "cluster_id": 1,
        "arcorpus_x": 0,
        "arcorpus": {"entities": ["putin"], "date": "2024-01-01", "cluster_id": "dup-1", "changes": []},
    }
    assert doc.field("date") == "2024-01-01" and doc.field("arcorpus_x") == 0


def test_rare_chars_is_a_memo() -> None:
    doc = Document("i", "t")
    memo = frozenset("\u00a0")
    object.__setattr__(doc, "rare_chars", memo)
    assert doc == Document("i", "t") and "rare_chars" not in repr(doc)
    assert doc.evolve(metadata={"a": 1}).rare_chars is memo  # same text: kept
    assert doc.evolve(text="u").rare_chars is None  # new text: dropped
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_set_rare_chars_is_the_only_write_into_a_frozen_document() -> None:
    import dataclasses

    import pytest

    from arcorpus.document import set_rare_chars

    doc = Document("a", "نص")
    set_rare_chars(doc, frozenset("x"))
    assert doc.rare_chars == frozenset("x")
    assert doc == Document("a", "نص")  # the memo is not compared
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.rare_chars = None  # type: ignore[misc]
