"""Repair and orthography steps: case files, data files, peers' cases and oracles, line structure."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import unicodedata
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

import arcorpus
from arcorpus import data
from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps import STEPS, build_steps
from arcorpus.steps.orthography.split_glued import CountMin, SplitGlued, WordCounter
from arcorpus.text.chars import ARABIC_MARKS, INVISIBLE, PHRASE_LIGATURES, PRESENTATION_FORMS, SPACES

HERE = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARCORPUS_SHARED", HERE.parents[0].parent / "shared"))
CASES = [json.loads(line) for line in (HERE / "cases" / "orthography.jsonl").read_text("utf-8").splitlines()]
PEERS = [
    json.loads(line) for line in (HERE / "cases" / "orthography_peers.jsonl").read_text("utf-8").splitlines()
]
# Other helpers' steps are switched off so these cases test the repair + orthography steps only.
OTHERS_OFF = {
    "boilerplate": False,
    "repetition": False,
    "site_lines": False,
    "extract_metadata": False,
    "names": False,
}
MY_STEPS = tuple(s.name for s in STEPS if s.stage in ("repair", "orthography"))


def config(profile: str = "standard", **options: Any) -> CleanConfig:
    return CleanConfig.from_profile(profile, **{**OTHERS_OFF, **options})


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    doc = arcorpus.clean_document(case["input"], config(case["profile"], **case.get("options", {})))
    assert doc.text == case["expected"], case["why"]
    rules = {c.rule for c in doc.changes}
    for rule in case.get("rules", ()):
        assert rule in rules, f"{rule} not recorded: {sorted(rules)}"
    if case["id"].startswith("neg_") and case["input"] == case["expected"]:
        assert not [c for c in doc.changes if c.step in MY_STEPS], "a negative case must record no change"


@pytest.mark.parametrize("case", PEERS, ids=[c["label"] for c in PEERS])
def test_ftfy_cases(case: dict[str, Any]) -> None:
    """ftfy's own Arabic test cases (source recorded in the case file)."""
    out = arcorpus.clean(case["original"], config("minimal", whitespace=False))
    expected = case.get("fixed-encoding", case["fixed"])
    if case["expect"] == "pass":
        assert out == expected
    else:  # ftfy's known failure: we must not do worse than ftfy (repair what is certain, keep the rest)
        assert out.startswith(expected.split()[0]) and out.endswith(expected.split()[-1])


def test_peer_cases_match_shared_copy() -> None:
    path = SHARED / "peer_cases" / "ftfy_arabic_cases.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    shared = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    assert [c["original"] for c in shared] == [c["original"] for c in PEERS]


def test_step_names_and_rules_are_namespaced() -> None:
    doc = arcorpus.clean_document("".join(c["input"] + "\n" for c in CASES), config())
    for change in doc.changes:
        assert change.rule.startswith(change.step + "."), change


@pytest.mark.parametrize("name", MY_STEPS)
def test_each_step_keeps_line_structure(name: str) -> None:
    text = "\n".join(c["input"] for c in CASES) + "\n\n \n"
    cfg = config("search", digits="ascii", split_glued_corpus=False)
    (step,) = [s for s in build_steps(cfg) if s.name == name]
    out = step(Document(id="x", text=text))
    assert out.text.count("\n") == text.count("\n")
    lines = text.split("\n")
    seen: set[int] = set()
    for change in out.changes:
        assert 0 <= change.line < len(lines)
        # Spans refer to the line as the rule received it; rules of a step apply in order, so the first
        # change of a line refers to the line as the step received it.
        if change.action == "rewrite" and change.start >= 0 and change.line not in seen:
            assert lines[change.line][change.start : change.end] == change.before
        seen.add(change.line)


def test_lookalike_data_rows_are_valid() -> None:
    rows = data.table("lookalikes.tsv").rows
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["id"] and r["reason"], r
        char = chr(int(r["char"][2:], 16))
        assert unicodedata.category(char) == "Lo", r
        assert r["target"] == "by_position" or unicodedata.category(chr(int(r["target"][2:], 16))) == "Lo", r
    words = data.table("alef_maqsura_words.tsv").rows
    assert len({r["id"] for r in words}) == len(words) == len({r["word"] for r in words})
    for r in words:
        assert r["reason"] and r["word"].endswith("\N{ARABIC LETTER ALEF MAKSURA}"), r


def test_derived_tables() -> None:
    assert PRESENTATION_FORMS["\ufefb"] == "\u0644\u0627"  # lam-alef
    assert "\ufdfa" in PHRASE_LIGATURES and "\ufdfa" not in PRESENTATION_FORMS
    assert (
        "\ufdfc" not in PRESENTATION_FORMS and "\ufd3e" not in PRESENTATION_FORMS
    )  # rial sign, ornate paren
    assert {"\u064b", "\u0651", "\u0670"} <= ARABIC_MARKS
    assert {"\u200b", "\u200f", "\ufeff", "\x00", "\u00ad"} <= INVISIBLE
    assert "\n" not in INVISIBLE | SPACES and "\u0600" not in INVISIBLE
    assert {"\u00a0", "\t", "\u2029"} <= SPACES


def test_fold_basics() -> None:
    fold = arcorpus.fold
    assert fold("\u0623\u0625\u0622\u0671") == "\u0627" * 4
    assert fold("\u0649\u0629") == "\u064a\u0647"
    assert fold("\u0643\u064e\u062a\u064e\u0628\u064e\u0640") == "\u0643\u062a\u0628"
    assert fold("\ufefb\u06a9\u06f5") == "\u0644\u0627\u06435"
    assert fold("line 1\nline 2") == "line 1\nline 2"


def test_pyarabic_oracle_for_diacritics_and_tatweel() -> None:
    """pyarabic (GPL, test-only) as an oracle where our semantics agree: removing harakat and tatweel."""
    araby = pytest.importorskip("pyarabic.araby")
    samples = [
        "\u0643\u064e\u062a\u064e\u0628\u064e",
        "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f\u064c",
        "\u0639\u0640\u0640\u0644\u0645",
        "\u0633\u064e\u0644\u0627\u0645\u064c \u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645",
    ]
    for s in samples:
        assert arcorpus.fold(s) == araby.strip_tatweel(araby.strip_tashkeel(s))


def test_word_counter_learner_and_corpus_split() -> None:
    bal, hawal = "\u0628\u0644", "\u062d\u0627\u0648\u0644"
    docs = [Document(id=str(i), text=f"{bal} {hawal} \u0642\u0627\u0644") for i in range(300)]
    a, b = WordCounter(), WordCounter()
    for i, d in enumerate(docs):
        (a if i % 2 else b).observe(d)
    a = pickle.loads(pickle.dumps(a))
    a.merge(b)
    sketch = a.finish()
    assert isinstance(sketch, CountMin) and sketch.get(bal) >= 300
    step = SplitGlued(sketch)
    out = step(Document(id="x", text=f"{bal}{hawal} \u0642\u0627\u0644"))
    assert out.text == f"{bal} {hawal} \u0642\u0627\u0644"
    assert [c.rule for c in out.changes] == ["split_glued.corpus"]
    # the learner is only built when the option is on
    from arcorpus.steps.orthography.split_glued import learner

    assert learner(CleanConfig()) is None
    assert learner(CleanConfig(split_glued_corpus=True)) is not None


def test_clean_corpus_sample_is_not_repaired() -> None:
    """On real clean news text the encoding repair changes nothing (whole-corpus figure: see the docs)."""
    path = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    (step,) = [s for s in build_steps(config()) if s.name == "fix_encoding"]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in islice(fh, 0, 3000):
            doc = Document(id="x", text=json.loads(line)["text"])
            assert step(doc) is doc
