"""The name-variant learner: skeleton, native filters, evidence, determinism, profiles, the step."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from arcorpus.config import CleanConfig, ConfigError
from arcorpus.document import Document
from arcorpus.steps.names import build
from arcorpus.text.names.learn import (
    NamesModel,
    NameVariantLearner,
    _edits,
    distinct_pairs,
    load_profile,
    native_morphology,
    save_profile,
)
from arcorpus.text.names.skeleton import skeleton


def test_skeleton_merges_transliteration_alternations() -> None:
    assert skeleton("ترامب") == skeleton("ترمب")
    assert skeleton("غوغل") == skeleton("جوجل") == skeleton("قوقل") == skeleton("كوكل")
    assert skeleton("تشيلسي") == skeleton("شيلسى")
    assert skeleton("أنقرة") == skeleton("انقره")
    assert skeleton("بيونغ يانغ") == skeleton("بيونغيانغ") == skeleton("بيونغ-يانغ")
    assert skeleton("روسيا") != skeleton("روسي")  # the last letter is kept


def testnative_morphology_needs_corpus_relatives() -> None:
    counts = {"قدرة": 40, "قدرته": 12, "القدرة": 30, "ترامب": 50, "وترامب": 5, "يسهم": 30, "تسهم": 20}
    assert native_morphology("قدرة", 40, counts)  # suffix and article on it
    assert native_morphology("يسهم", 30, counts)  # imperfect prefix swapped
    assert not native_morphology("ترامب", 50, counts)  # a proclitic is not native morphology


def test_edit_distance() -> None:
    assert _edits("ترامب", "ترمب") == 1
    assert _edits("كازان", "جيزان") == 3  # a g-letter and a vowel for another vowel
    assert _edits("العبادي", "العبيدي") == 2


def test_distinct_pairs_are_knowledge_rows() -> None:
    assert frozenset(("غريب", "قريب")) in distinct_pairs()


def _corpus(n: int = 12) -> list[Document]:
    """Sentences where a made-up foreign name is written two ways in the same company, plus a native
    minimal pair that shares the company too (it must not merge)."""
    docs = []
    for i in range(n):
        docs.append(Document(f"a{i}", f"قال الرئيس فلاديسلافوف في مؤتمر صحفي اليوم إن الحكومة {i}"))
        docs.append(Document(f"b{i}", f"قال الرئيس فلادسلافوف في مؤتمر صحفي أمس إن الحكومة {i}"))
        docs.append(Document(f"c{i}", f"قال الرئيس غريب في مؤتمر صحفي اليوم إن {i}"))
        docs.append(Document(f"d{i}", f"قال الرئيس قريب في مؤتمر صحفي اليوم إن {i}"))
    return docs


def _learn(docs: list[Document], batch: int) -> NamesModel:
    main = NameVariantLearner(sample=1)
    for i in range(0, len(docs), batch):
        part = NameVariantLearner(sample=1)
        part.observe_many(docs[i : i + batch])
        main.merge(pickle.loads(pickle.dumps(part)))
    return main.finish()


def test_learner_merges_a_name_and_not_a_minimal_pair() -> None:
    model = _learn(_corpus(), 7)
    forms = [{f for f, _ in c.forms} for c in model.clusters]
    assert {"فلاديسلافوف", "فلادسلافوف"} in forms
    assert not any({"غريب", "قريب"} <= f for f in forms)


def test_learner_is_deterministic_whatever_the_batches() -> None:
    docs = _corpus()
    assert _learn(docs, 5) == _learn(docs, 48) == _learn(docs, 1)


def test_profile_round_trip(tmp_path: Path) -> None:
    model = _learn(_corpus(), 10)
    path = tmp_path / "names.json.gz"
    save_profile(model, path)
    assert load_profile(path) == model
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', "utf-8")
    with pytest.raises(ConfigError):
        load_profile(bad)


def test_step_with_a_model_records_the_evidence() -> None:
    model = _learn(_corpus(), 10)
    step = build(CleanConfig(), {"names": model})
    assert step is not None
    out = step(Document("x", "التقى الرئيس فلادسلافوف وترامب"))
    head = next(c for c in model.clusters if "فلاديسلافوف" in dict(c.forms)).canonical
    other = "فلادسلافوف" if head == "فلاديسلافوف" else "فلاديسلافوف"
    out = step(Document("x", f"التقى الرئيس {other} وترمب"))
    assert head in out.text and "ترامب" in out.text
    learned = [c for c in out.changes if c.rule == "names.learned"]
    assert [c.action for c in learned] == ["rewrite", "note"]
    assert "context similarity" in learned[1].before
    assert out.added["entities"] == ["trump"]  # a learned unlisted name is no entity id


def test_step_without_learning_ignores_the_model() -> None:
    model = _learn(_corpus(), 10)
    step = build(CleanConfig(names_learn=False), {"names": model})
    assert step is not None
    assert step(Document("x", "الرئيس فلادسلافوف")).text == "الرئيس فلادسلافوف"


def test_config_validation() -> None:
    with pytest.raises(ConfigError):
        CleanConfig(names_learn_sample=0)
    with pytest.raises(ConfigError):
        CleanConfig(names_learn_min_similarity=0.0)


PERSONS = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "cases/names_persons.jsonl").read_text("utf-8").splitlines()
]


@pytest.mark.parametrize("case", PERSONS, ids=lambda c: c["why"][:40])
def test_person_names_only_in_person_contexts(case: dict) -> None:
    step = build(CleanConfig(), {})
    assert step is not None
    out = step(Document("x", case["input"]))
    assert out.text == case["expected"]
    assert out.added.get("entities") == case["entities"]


def test_learn_cli_saves_a_names_profile_that_clean_reuses(tmp_path: Path) -> None:
    from arcorpus.cli import main

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in _corpus()), "utf-8")
    site, names = tmp_path / "site.json", tmp_path / "names.json"
    argv = ["learn", str(corpus), "-o", str(site), "--names-output", str(names), "--names-learn-sample", "1"]
    assert main([*argv, "-q"]) == 0
    model = load_profile(names)
    (cluster,) = [c for c in model.clusters if "فلادسلافوف" in dict(c.forms)]
    single = tmp_path / "one.jsonl"
    single.write_text(json.dumps({"id": "x", "text": "قال الرئيس فلادسلافوف"}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(single), "-o", str(out), "--names-profile", str(names), "-q"]) == 0
    assert json.loads(out.read_text("utf-8"))["text"] == f"قال الرئيس {cluster.canonical}"
