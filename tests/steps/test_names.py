"""The names step: seeds, cases file, matching rules, changes, metadata, style, user gazetteer, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps.names import build
from arcorpus.text.names.gazetteer import load_builtin, load_native_words, parse
from arcorpus.text.names.matcher import Matcher
from arcorpus.text.names.variants import skeleton, variants

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    json.loads(line) for line in (ROOT / "tests/cases/names_clusters.jsonl").read_text("utf-8").splitlines()
]
RULES = [
    json.loads(line) for line in (ROOT / "tests/cases/names_rules.jsonl").read_text("utf-8").splitlines()
]
MISC = json.loads((ROOT / "tests/cases/names_misc.json").read_text("utf-8"))
WAW = "\N{ARABIC LETTER WAW}"
COMMA = "\N{ARABIC COMMA}"
STEP = build(CleanConfig(), {})
assert STEP is not None


def run(text: str) -> str:
    return STEP(Document("t", text)).text


# --- the seeds ---------------------------------------------------------------------------------

SEED_FORMS: dict[str, str] = MISC["seed_spellings"]


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_come_out_with_one_spelling_per_entity(seed: Path) -> None:
    out = STEP(Document(seed.name, seed.read_text("utf-8")))
    hits = STEP.matcher.find(out.text)
    assert all(h.replacement is None for h in hits), [
        out.text[h.start : h.end] for h in hits if h.replacement
    ]
    for eid, spelling in SEED_FORMS.items():
        found = {out.text[h.start : h.end] for h in hits if h.entity == eid}
        assert found <= {spelling}
    for wrong in MISC["seed_wrong"]:
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
    assert {"pyongyang", "kim_jong_un", "kim_jong_il", "north_korea"} <= set(out.added["entities"])


# --- the labelled cases file ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "cluster"], ids=lambda c: c["entity"])
def test_cluster_is_unified(case: dict) -> None:
    target = {e.id: e.canonical for e in STEP.matcher.entities}[case["entity"]]
    for spelling in case["spellings"]:
        assert run(spelling) == target, spelling
        assert run(f"{WAW}{spelling}{COMMA} .") == f"{WAW}{target}{COMMA} .", spelling


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "distinct"], ids=lambda c: c["a"])
def test_distinct_entities_stay_distinct(case: dict) -> None:
    assert run(case["a"]) != run(case["b"]), case["why"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "native"], ids=lambda c: c["text"])
def test_native_words_untouched(case: dict) -> None:
    out = STEP(Document("t", case["text"]))
    assert out.text == case["text"] and out.changes == (), case["why"]


# --- matching rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", RULES, ids=lambda c: c["why"])
def test_matching_rules(case: dict) -> None:
    assert run(case["input"]) == case["expected"], case["why"]


def test_change_spans_point_into_the_received_line() -> None:
    case = MISC["spans"]
    out = STEP(Document("t", case["input"]))
    assert out.text == case["expected"]
    assert [[c.rule, c.line, c.start, c.end, c.before] for c in out.changes] == case["changes"]
    assert out.added["entities"] == ["pyongyang", "trump"]


def test_diacritized_span_is_recorded_as_written() -> None:
    case = MISC["diacritized"]
    (change,) = STEP(Document("t", case["input"])).changes
    assert change.before == case["before"] and (change.start, change.end) == (case["start"], case["end"])


def test_entities_lists_every_entity_found_and_is_absent_when_none() -> None:
    case = MISC["entities"]
    assert STEP(Document("t", case["input"])).added["entities"] == case["ids"]
    doc = Document("t", case["none"])
    assert STEP(doc) is doc and "entities" not in doc.added


def test_egyptian_style_writes_jeem() -> None:
    step = build(CleanConfig(names_style="egyptian"), {})
    assert step is not None
    for text, expected in MISC["egyptian"]:
        assert step(Document("t", text)).text == expected


def test_disabled() -> None:
    assert build(CleanConfig(names=False), {}) is None


def test_user_gazetteer(tmp_path: Path) -> None:
    case = MISC["user_gazetteer"]
    user = tmp_path / "names.tsv"
    user.write_text(case["rows"], encoding="utf-8")
    step = build(CleanConfig(names_file=str(user)), {})
    assert step is not None
    assert step(Document("t", case["input"])).text == case["expected"]


def test_variant_generation() -> None:
    gen = MISC["generation"]
    assert set(gen["g"][1]) <= variants(gen["g"][0], "g")
    assert set(gen["v"][1]) <= variants(gen["v"][0], "v")
    assert not set(gen["v"][1]) & variants(gen["v"][0], "")  # long vowels only for rows flagged v
    assert set(gen["hamza"][1]) <= variants(gen["hamza"][0], "")
    assert skeleton(gen["skeleton"][0]) == skeleton(gen["skeleton"][1])


def test_generated_native_word_is_dropped() -> None:
    row, native_word, canonical = MISC["generation"]["native_drop"]
    (entity,) = parse([row])
    assert Matcher([entity], native=frozenset({native_word})).find(native_word) == []
    assert Matcher([entity], native=frozenset()).find(native_word)[0].replacement == canonical


# --- properties ----------------------------------------------------------------------------------------

SPELLINGS = sorted({f for e in load_builtin() for f in e.forms()})
NATIVE = sorted(load_native_words())
PIECES = st.sampled_from(SPELLINGS) | st.sampled_from(NATIVE) | st.sampled_from(MISC["pieces"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_idempotent(text: str) -> None:
    once = run(text)
    assert run(once) == once


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NATIVE) | st.sampled_from(MISC["pieces"][2:]), max_size=15).map(" ".join))
def test_text_without_entities_is_unchanged(text: str) -> None:
    out = STEP(Document("t", text))
    if "entities" not in out.added:
        assert out.text == text and out.changes == ()


# --- the byte view and the str search agree ------------------------------------------------------------

ENTITIES = load_builtin()
NATIVE_WORDS = load_native_words()
BYTES_MATCHER = Matcher(ENTITIES, native=NATIVE_WORDS)
STR_MATCHER = Matcher(ENTITIES, native=NATIVE_WORDS, byte_view=False)
assert BYTES_MATCHER._view is not None and STR_MATCHER._view is None
ODD_CHARS = [
    "?",  # a real question mark: the byte the view writes for characters it does not have
    "\N{LATIN SMALL LETTER E WITH ACUTE}",  # a letter outside the view
    "\N{ARABIC LETTER FARSI YEH}",
    "\N{EXTENDED ARABIC-INDIC DIGIT FOUR}",
    "\N{EM DASH}",  # not a letter, outside the view
    "\N{GRINNING FACE}",
    "\ud800",  # a lone surrogate (a str may hold one; UTF-8 cannot)
    "\x05",  # a control character: its byte stands for an Arabic character in the view
    "\N{ARABIC FATHATAN}",
    "\N{ARABIC SHADDA}",
    "\N{ARABIC TATWEEL}",
    "\N{ARABIC SMALL HIGH LIGATURE SAD WITH LAM WITH ALEF MAKSURA}",  # a rare mark
    "\N{ARABIC LETTER WAW}",
    "\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER BEH}",
    " ",
    "\n",
]
JOINED = st.lists(st.sampled_from(SPELLINGS) | st.sampled_from(ODD_CHARS), max_size=14).map("".join)
TRUMP = {e.id: e.canonical for e in ENTITIES}["trump"]


@settings(max_examples=300, deadline=None)
@given(JOINED)
def test_byte_view_finds_what_the_str_search_finds(text: str) -> None:
    assert BYTES_MATCHER.find(text) == STR_MATCHER.find(text)
    assert BYTES_MATCHER.scan(text) == STR_MATCHER.scan(text)


@pytest.mark.parametrize("after", ODD_CHARS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("marked", [False, True], ids=["bare", "with_marks"])
def test_character_outside_the_view_next_to_a_name(after: str, marked: bool) -> None:
    name = TRUMP
    mark = "\N{ARABIC KASRA}" if marked else ""
    for text in (f"{mark}{after}{name} .", f"{mark}. {name}{after}", f"{mark}{after}{WAW}{name}{after}"):
        assert BYTES_MATCHER.find(text) == STR_MATCHER.find(text), text


def test_keys_that_do_not_fit_the_byte_view_are_searched_as_str() -> None:
    (entity,) = parse(["odd\tperson\t\N{GRINNING FACE}\N{ARABIC LETTER BEH}\t\t\tsmoke test"])
    matcher = Matcher([entity])
    assert matcher._view is None
    assert [m[:3] for m in matcher.find(f"{WAW}{entity.canonical} .")] == [(1, 3, "odd")]


def test_matcher_pickles() -> None:
    import pickle

    text = f"{WAW}{TRUMP} {TRUMP[:3]}{TRUMP[4:]} ."
    assert pickle.loads(pickle.dumps(BYTES_MATCHER)).scan(text) == BYTES_MATCHER.scan(text)
    assert pickle.loads(pickle.dumps(STR_MATCHER)).scan(text) == STR_MATCHER.scan(text)


def test_longest_match_is_leftmost_longest() -> None:
    """A shorter name inside a longer name's spelling is found when the text turns off the longer one."""
    letters = TRUMP
    short = letters[:3]
    long_ = f"{letters} {short}{letters[3:]}"
    rows = [f"long\tperson\t{long_}\t\t\tt", f"short\tperson\t{short}\t\t\tt"]
    matcher = Matcher(parse(rows), generate=False)
    text = f"{letters} {short} ."
    assert [m.entity for m in matcher.find(text)] == ["short"]
    assert [m.entity for m in matcher.find(f"{long_} .")] == ["long"]


# --- discovery CLI -------------------------------------------------------------------------------------


def test_variants_cli_proposes_a_loadable_cluster(tmp_path: Path) -> None:
    from arcorpus.cli import main

    docs = MISC["discovery_docs"] * 3
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(docs)), "utf-8"
    )
    out = tmp_path / "proposed.tsv"
    assert main(["variants", str(corpus), "-o", str(out), "--min-count", "3"]) == 0
    text = out.read_text("utf-8")
    rows = parse(text.splitlines(), str(out))
    pair = MISC["discovery_pair"]
    (row,) = [r for r in rows if pair[0] in r.forms()]
    assert set(row.forms()) == set(pair) and "g" in row.flags
    assert "# " in text  # example contexts as comments
    step = build(CleanConfig(names_file=str(out)), {})
    assert step is not None
    assert step(Document("t", pair[1])).text == row.canonical
