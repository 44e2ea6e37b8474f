"""The plan every engine runs (`arcorpus.run.plan`): what it promises the engines."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from _corpus_factory import arabic_sentence

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.dedup import Resolution
from arcorpus.document import Document
from arcorpus.run.plan import Plan

PACKAGE = Path(arcorpus.__file__).parent


def _corpus() -> list[Document]:
    shared = "\n\n".join(arabic_sentence(100 + k, 12) for k in range(2))  # a paragraph in several documents
    docs = []
    for i in range(40):
        text = f"{arabic_sentence(i, 15)}\n\n{shared}" if i % 4 == 0 else arabic_sentence(i, 15)
        docs.append(Document(id=f"d{i}", text=text))
    docs.append(Document(id="copy", text=docs[1].text))
    return docs


def test_an_outcome_is_built_in_the_plan_only() -> None:
    """Every engine's outcomes come from `Plan.outcomes`: no other module constructs an `Outcome`."""
    builders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Outcome":
                builders.append(path.relative_to(PACKAGE).as_posix())
    assert sorted(set(builders)) == ["run/plan.py"]


def test_a_pickled_plan_leaves_its_steps_behind_and_cleans_the_same() -> None:
    plan = Plan(CleanConfig(repeated_paragraphs_min_docs=3)).prepare()
    blob = pickle.dumps(plan)
    assert len(blob) < 10_000, "built steps must not travel with the plan"
    again = pickle.loads(blob)
    docs = _corpus()
    items, keys = plan.clean(docs)
    items2, keys2 = again.clean(docs)
    assert items == items2
    assert [k[0] for k in keys if k] == [k[0] for k in keys2 if k]


def test_outcomes_from_a_slice_of_the_resolution_equal_the_whole() -> None:
    """The Dask engine gives each partition only its positions of the resolution."""
    plan = Plan(CleanConfig(repeated_paragraphs="remove", repeated_paragraphs_min_docs=3))
    items, keys = plan.clean(_corpus())
    resolution = plan.resolve(enumerate(keys))
    assert any(i.duplicate_of for i in resolution.infos.values()) and resolution.finish_at
    whole, notes = plan.outcomes(items, 0, resolution)
    first = 8
    part = Resolution(
        infos={p: i for p, i in resolution.infos.items() if p >= first},
        repeated=resolution.repeated,
        finish_at=frozenset(p for p in resolution.finish_at if p >= first),
        paragraph_mode=resolution.paragraph_mode,
    )
    sliced, _ = plan.outcomes(items[first:], first, part)
    assert sliced == whole[first:]
    assert [o.kind for o in whole].count("duplicate") == 1
    assert notes is not None and sum(notes.removed.values()) > 0


def test_a_resolution_is_a_value_that_pickles() -> None:
    plan = Plan(CleanConfig(repeated_paragraphs_min_docs=3))
    items, keys = plan.clean(_corpus())
    resolution = plan.resolve(enumerate(keys))
    again = pickle.loads(pickle.dumps(resolution))
    assert again == resolution
    assert plan.outcomes(items, 0, again) == plan.outcomes(items, 0, resolution)


def test_without_dedup_every_document_is_kept_as_it_is() -> None:
    plan = Plan(CleanConfig(dedup="none"))
    items, keys = plan.clean(_corpus())
    assert keys == [None] * len(items)
    outcomes, notes = plan.outcomes(items, 0)
    assert notes is None and [o.kind for o in outcomes] == ["kept"] * len(items)


def test_clean_many_gives_what_clean_one_gives_document_by_document() -> None:
    """`clean_many` runs the steps step-major over a batch (a speed-up); every item must be `clean_one`'s,
    including a step failure, a too-many-changes limit, an oversized and an emptied document."""
    from arcorpus.document import MAX_LINES, Change
    from arcorpus.run.plan import clean_many, clean_one
    from arcorpus.steps import build_steps

    def boom(doc: Document) -> Document:
        if "boom" in doc.text:
            raise ValueError("cannot handle this document")
        return doc

    def flood(doc: Document) -> Document:
        if "flood" not in doc.text:
            return doc
        change = Change(step="flood", rule="flood.x", action="note", before="x", line=0)
        return doc.evolve(changes=[change] * 1_000_001)

    boom.name = "boom"  # type: ignore[attr-defined]
    flood.name = "flood"  # type: ignore[attr-defined]
    steps = (*build_steps(CleanConfig()), boom, flood)
    docs = [
        *_corpus()[:6],
        Document(id="fails", text="boom " + arabic_sentence(1, 5)),
        Document(id="floods", text="flood " + arabic_sentence(2, 5)),
        Document(id="huge", text="\n" * (MAX_LINES + 1)),
        Document(id="emptied", text="\u200b\n\u200b"),
        *_corpus()[6:9],
    ]
    expected = [clean_one(doc, steps) for doc in docs]
    assert [type(item).__name__ for item in expected].count("Reject") == 4
    assert clean_many(docs, steps) == expected
