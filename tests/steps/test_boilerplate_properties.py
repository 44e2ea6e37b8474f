"""Properties of the boilerplate stage (hypothesis): nothing leaves the text without a named rule, every
removal is recorded with the line it removed, and cleaning twice changes nothing more."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps import STEPS
from arcorpus.steps.boilerplate import site_lines

CASES = Path(__file__).resolve().parents[1] / "cases" / "boilerplate_cases.jsonl"
_case_lines = sorted(
    {
        line
        for row in CASES.read_text(encoding="utf-8").splitlines()
        if row.strip()
        for line in json.loads(row)["input"].split("\n")
    }
)
SEED_LINES = sorted(
    {
        line
        for path in (Path(__file__).resolve().parents[2] / "seeds").glob("*.txt")
        for line in path.read_text(encoding="utf-8").split("\n")[:12]
    }
)
POOL = [*_case_lines, *SEED_LINES, "", "  ", "---", "المصدر", "31-أغسطس-2022", "x"]

arabic_text = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةًٌٍَُِّ ـ.،:؟!«»()-\N{EN DASH}/@0123456789")
    ),
    max_size=60,
)
line = st.one_of(st.sampled_from(POOL), arabic_text)
document = st.lists(line, min_size=1, max_size=14).map("\n".join)


def _models() -> dict:
    learner = site_lines.SiteLinesLearner(min_docs=2)
    for n in range(4):
        learner.observe(
            Document(f"m{n}", f"{SEED_LINES[n]}\nشريط الموقع\nنشرة الموقع اليومية", {"source": "s"})
        )
    return {"site_lines": learner.finish()}


MODELS = _models()
CONFIG = CleanConfig()
STEP_OBJECTS = [s for s in (spec.build(CONFIG, MODELS) for spec in STEPS if spec.stage == "boilerplate") if s]


def _check_step(before: Document, after: Document) -> None:
    """The step's output is its input minus recorded lines, with recorded spans cut out."""
    changes = after.changes[len(before.changes) :]
    lines = before.text.split("\n")
    removed = {c.line: c for c in changes if c.action in ("remove_line", "to_metadata") and c.start < 0}
    for index, change in removed.items():
        assert lines[index] == change.before, change
    spans: dict[int, list] = {}
    for c in changes:
        if c.action == "remove_span":
            assert lines[c.line][c.start : c.end] == c.before, c
            spans.setdefault(c.line, []).append(c)
    expected = []
    for index, text in enumerate(lines):
        if index in removed:
            continue
        for c in sorted(spans.get(index, []), key=lambda c: -c.start):
            text = text[: c.start] + text[c.end :]
            text = text.rstrip() if c.end == len(lines[index]) else text
        expected.append(text)
    got = after.text.split("\n") if after.text or expected else []
    assert [t.strip() for t in got] == [t.strip() for t in expected]
    for c in changes:
        assert c.rule.startswith(c.step + ".") and len(c.rule) > len(c.step) + 1


def _stage(doc: Document) -> Document:
    for step in STEP_OBJECTS:
        nxt = step(doc)
        _check_step(doc, nxt)
        doc = nxt
    return doc


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=document, source=st.sampled_from(["s", "other"]), title=st.sampled_from(["", SEED_LINES[0]]))
def test_every_removal_is_recorded_and_nothing_else_leaves(text: str, source: str, title: str) -> None:
    meta = {"source": source, **({"title": title} if title else {})}
    _stage(Document("h", text, meta))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=document, source=st.sampled_from(["s", "other"]))
def test_idempotent(text: str, source: str) -> None:
    once = _stage(Document("h", text, {"source": source}))
    twice = _stage(once)
    assert twice.text == once.text
    assert twice.metadata == once.metadata and twice.added == once.added
