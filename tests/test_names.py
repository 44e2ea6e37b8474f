"""The names step: seeds, cases file, matching rules, changes, metadata, style, user gazetteer, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.names.gazetteer import load_builtin, load_native_words, parse
from arcorpus.names.matcher import Matcher
from arcorpus.names.variants import skeleton, variants
from arcorpus.steps.names import build

ROOT = Path(__file__).resolve().parents[1]
CASES = [json.loads(line) for line in (ROOT / "tests/cases/names_clusters.jsonl").read_text("utf-8").splitlines()]
STEP = build(CleanConfig(), {})
assert STEP is not None


def run(text: str) -> str:
    return STEP(Document("t", text)).text


# --- the seeds ---------------------------------------------------------------------------------

SEED_FORMS = {
    "pyongyang": "بيونغ يانغ",
    "kim_jong_un": "كيم جونغ أون",
    "kim_jong_il": "كيم جونغ إيل",
    "kim_il_sung": "كيم إيل سونغ",
}


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_come_out_with_one_spelling_per_entity(seed: Path) -> None:
    out = STEP(Document(seed.name, seed.read_text("utf-8")))
    hits = STEP.matcher.find(out.text)
    assert all(h.replacement is None for h in hits), [out.text[h.start : h.end] for h in hits if h.replacement]
    for eid, spelling in SEED_FORMS.items():
        found = {out.text[h.start : h.end] for h in hits if h.entity == eid}
        assert found <= {spelling}
    for wrong in ("بيونج يانج", "بيونغ يان،", "كيم جونج", "كيم جونغ ايل", "كيم يونغ أون", "كيم جونج اون"):
        assert wrong not in out.text


def test_seed_rewrites_are_recorded() -> None:
    seed = ROOT / "seeds" / "001_3dd50eadc2cc506f.txt"
    text = seed.read_text("utf-8")
    out = STEP(Document("s", text))
    lines = text.split("\n")
    assert out.changes
    for c in out.changes:
        assert c.step == "names" and c.action == "rewrite" and c.rule.startswith("names.")
        assert lines[c.line][c.start : c.end] == c.before
        assert c.after == SEED_FORMS[c.rule.removeprefix("names.")]
    assert {"pyongyang", "kim_jong_un", "kim_jong_il", "north_korea"} <= set(out.metadata["entities"])


# --- the labelled cases file ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "cluster"], ids=lambda c: c["entity"])
def test_cluster_is_unified(case: dict) -> None:
    target = {e.id: e.canonical for e in STEP.matcher.entities}[case["entity"]]
    for spelling in case["spellings"]:
        assert run(spelling) == target, spelling
        assert run(f"و{spelling}، قال") == f"و{target}، قال", spelling


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "distinct"], ids=lambda c: c["a"])
def test_distinct_entities_stay_distinct(case: dict) -> None:
    assert run(case["a"]) != run(case["b"]), case["why"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "native"], ids=lambda c: c["text"])
def test_native_words_untouched(case: dict) -> None:
    out = STEP(Document("t", case["text"]))
    assert out.text == case["text"] and out.changes == (), case["why"]


# --- matching rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وبيونج يانج", "وبيونغ يانغ"),  # proclitic WAW before a two-word name
        ("لترمب", "لترامب"),  # proclitic LAM
        ("فبترمب", "فبترامب"),  # two proclitics
        ("والكونجرس", "والكونغرس"),  # WAW before a name with the article
        ("للكونجرس", "للكونغرس"),  # LAM + article written LAM-LAM
        ("وللاتحاد الاوروبي", "وللاتحاد الأوروبي"),
        ("كيم جونغ-أون", "كيم جونغ أون"),  # hyphen join
        ("بيونغيانغ", "بيونغ يانغ"),  # joined
        ("تـرمـب", "ترامب"),  # tatweel tolerated
        ("تَرْمب قال", "ترامب قال"),  # diacritics tolerated
        ("(ترمب)", "(ترامب)"),
        ("ترمبي ترمبها", "ترمبي ترمبها"),  # no word boundary: untouched
        ("ابترمب", "ابترمب"),  # not a proclitic chain
    ],
)
def test_matching_rules(text: str, expected: str) -> None:
    assert run(text) == expected


def test_change_spans_point_into_the_received_line() -> None:
    text = "سطر أول\nقال ترمب إن بيونج يانج، وقال ترمب"
    out = STEP(Document("t", text))
    assert out.text == "سطر أول\nقال ترامب إن بيونغ يانغ، وقال ترامب"
    assert [(c.rule, c.line, c.start, c.end, c.before) for c in out.changes] == [
        ("names.trump", 1, 4, 8, "ترمب"),
        ("names.pyongyang", 1, 12, 22, "بيونج يانج"),
        ("names.trump", 1, 29, 33, "ترمب"),
    ]
    assert out.metadata["entities"] == ["pyongyang", "trump"]


def test_diacritized_span_is_recorded_as_written() -> None:
    out = STEP(Document("t", "قال تَرْمب"))
    (change,) = out.changes
    assert change.before == "تَرْمب" and (change.start, change.end) == (4, 10)


def test_entities_lists_every_entity_found_and_is_empty_when_none() -> None:
    assert STEP(Document("t", "قال ترامب في موسكو")).metadata["entities"] == ["moscow", "trump"]
    assert STEP(Document("t", "لا شيء هنا")).metadata["entities"] == []


def test_egyptian_style_writes_jeem() -> None:
    step = build(CleanConfig(names_style="egyptian"), {})
    assert step is not None
    assert step(Document("t", "بيونغ يانغ وكيم جونغ أون")).text == "بيونج يانج وكيم جونج أون"
    assert step(Document("t", "أفغانستان")).text == "أفغانستان"  # GHAIN that is not /g/ stays


def test_disabled() -> None:
    assert build(CleanConfig(names=False), {}) is None


def test_user_gazetteer(tmp_path: Path) -> None:
    user = tmp_path / "names.tsv"
    user.write_text("id\ttype\tcanonical\tvariants\tflags\treason\n"
                    "zorg\tperson\tزورغ\t\tg\ttest\n"
                    "trump\tperson\tترمب\tترامب\tv\thouse style\n", encoding="utf-8")
    step = build(CleanConfig(names_file=str(user)), {})
    assert step is not None
    assert step(Document("t", "زورج وترامب")).text == "زورغ وترمب"


def test_variant_generation() -> None:
    forms = variants("بيونغ يانغ", "g")
    assert {"بيونج يانج", "بيونغيانغ", "بيونغ-يانغ", "بيونق يانق"} <= forms
    assert "ترمب" in variants("ترامب", "v")
    assert {"إردوغان", "اردوغان", "آردوغان"} <= variants("أردوغان", "")
    assert "ترمب" not in variants("ترامب", "")  # long vowels only for rows flagged v
    assert skeleton("بيونج يانج") == skeleton("بيونغيانغ")


def test_generated_native_word_is_dropped() -> None:
    (kiev,) = parse(["kiev\tcity\tكييفا\t\tv\tx"])
    native = frozenset({"كيفا"})
    assert Matcher([kiev], native=native).find("كيفا") == []
    assert Matcher([kiev], native=frozenset()).find("كيفا")[0].replacement == "كييفا"


# --- properties ----------------------------------------------------------------------------------------

SPELLINGS = sorted({f for e in load_builtin() for f in e.forms()})
NATIVE = sorted(load_native_words())
PIECES = st.sampled_from(SPELLINGS) | st.sampled_from(NATIVE) | st.sampled_from(["و", "ل", "، ", ". ", "\n", "-"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_idempotent(text: str) -> None:
    once = run(text)
    assert run(once) == once


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NATIVE) | st.sampled_from([" ", "\n", "، "]), max_size=15).map(" ".join))
def test_text_without_entities_is_unchanged(text: str) -> None:
    out = STEP(Document("t", text))
    if not out.metadata["entities"]:
        assert out.text == text and out.changes == ()
