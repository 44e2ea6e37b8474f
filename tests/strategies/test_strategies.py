"""`arcorpus.strategies` produces what it promises.

- the module is optional: ``import arcorpus`` never imports hypothesis, and without hypothesis
  ``import arcorpus.strategies`` fails with a message naming the ``arcorpus[hypothesis]`` extra;
- the data files are valid row by row, the Unicode-derived tables agree with `unicodedata`;
- clean-text strategies generate clean text (checked structurally, without arcorpus, and as a fixed
  point of arcorpus' standard profile);
- every injector is reachable, records what it did, and shrinks to a small example (`hypothesis.find`);
- mojibake is the real thing (ftfy, a peer, repairs the cp1252 kind; the cp1256 kinds round-trip);
- near-duplicate pairs measure what they claim;
- the runnable example of docs/strategies.md runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import ftfy
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import arcorpus
from arcorpus import strategies as ast
from arcorpus.strategies import _model
from arcorpus.strategies import _tables as T

ROOT = Path(__file__).resolve().parents[2]
FIND = settings(database=None, derandomize=True, max_examples=2000, suppress_health_check=list(HealthCheck))

INJECT = {
    "name_variants": ast.inject_name_variants,
    "repeated_lines": ast.inject_repeated_lines,
    "boilerplate": ast.inject_boilerplate,
    "glued_words": ast.inject_glued_words,
    "spacing": ast.inject_spacing,
    "lookalikes": ast.inject_lookalikes,
    "tatweel": ast.inject_tatweel,
    "presentation_forms": ast.inject_presentation_forms,
    "invisible": ast.inject_invisible,
    "mojibake": ast.inject_mojibake,
}
MAY_FIND_NOTHING = {"glued_words", "lookalikes"}  # need a particular letter in the drawn text

# --- the optional dependency ----------------------------------------------------------------------------


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False
    )


def test_import_arcorpus_does_not_import_hypothesis() -> None:
    run = _python("import sys, arcorpus; arcorpus.fold('x'); print('hypothesis' in sys.modules)")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_strategies_without_hypothesis_name_the_extra() -> None:
    run = _python("import sys; sys.modules['hypothesis'] = None; import arcorpus.strategies")
    assert run.returncode != 0
    assert "ImportError" in run.stderr
    assert "arcorpus[hypothesis]" in run.stderr


def test_public_names_are_exported() -> None:
    assert set(INJECT) == set(ast.INJECTOR_NAMES)
    for name in ast.__all__:
        assert getattr(ast, name) is not None, name


# --- data files and derived tables -----------------------------------------------------------------------

_BASE_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")


def test_wordlist_rows_are_valid() -> None:
    text = (ROOT / "arcorpus" / "data" / "wordlist.tsv").read_text(encoding="utf-8")
    assert "benchmarks/mine_wordlist.py" in text.split("id\tword")[0], "header must say how it was made"
    rows = T.wordlist()
    assert len(rows) >= 1000
    words = [w for w, _ in rows]
    assert len(set(words)) == len(words)
    counts = [n for _, n in rows]
    assert counts == sorted(counts, reverse=True)
    for word, n in rows:
        assert _BASE_WORD.fullmatch(word), word
        assert n > 0
        final_only = {"\N{ARABIC LETTER TEH MARBUTA}", "\N{ARABIC LETTER ALEF MAKSURA}"}
        assert not final_only & set(word[:-1]), word


def test_fallback_rows_are_valid() -> None:
    rows = T._fallback_rows()
    assert rows
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["reason"].strip(), row["id"]
        assert row["kind"] in ("boilerplate", "name"), row["id"]
        assert row["text"].strip() == row["text"] and row["text"], row["id"]
        if row["kind"] == "name":
            variants = T._split_cell(row["variants"])
            assert variants and row["text"] not in variants, row["id"]


def test_name_and_boilerplate_sources_are_usable() -> None:
    entries = T.name_entries()
    assert entries
    for entry in entries:
        assert entry.variants and entry.canonical not in entry.variants, entry.id
        assert "\n" not in entry.canonical + "".join(entry.variants)
    lines = T.boilerplate_lines()
    assert lines
    assert all(line.text.strip() and "\n" not in line.text for line in lines)


def test_derived_tables_agree_with_unicode() -> None:
    assert len(T.ARABIC_LETTERS) == 36
    assert len(T.HAMZA_FORMS) == 6
    for system, digits in T.DIGITS.items():
        assert [unicodedata.digit(d) for d in digits] == list(range(10)), system
    assert all(unicodedata.category(s) == "Zs" for s in T.UNICODE_SPACES)
    assert "\N{NO-BREAK SPACE}" in T.UNICODE_SPACES
    assert all(unicodedata.category(c) == "Cf" or c == "\N{SOFT HYPHEN}" for c in T.INVISIBLES)
    assert "\N{ARABIC COMMA}" in T.ARABIC_PUNCTUATION
    assert T.PRESENTATION_FORMS[("\N{ARABIC LETTER BEH}", "initial")] == "\N{ARABIC LETTER BEH INITIAL FORM}"
    assert "\N{ARABIC LETTER ALEF}" not in T.DUAL_JOINING
    assert "\N{ARABIC LETTER LAM}" in T.DUAL_JOINING


# --- clean text --------------------------------------------------------------------------------------------

_NOISE_CHARS = frozenset(
    T.INVISIBLES
    + T.CONTROLS
    + T.UNICODE_SPACES
    + (T.TATWEEL, "\t")
    + tuple(T.PERSIAN_LOOKALIKES.values())
    + T.DIGITS["persian"]
)
_SPACE_BEFORE = re.compile(r" [\u060c\u061b\u061f.:!]")
_NO_SPACE_AFTER = re.compile(r"[\u060c\u061b\u061f][^\s]")


def assert_clean_structure(text: str) -> None:
    """What 'clean' means, checked without arcorpus: the layout and characters the standard profile makes."""
    assert text, "empty text"
    for line in text.split("\n"):
        assert line, f"empty line in {text!r}"
        assert line == line.strip(" "), f"leading/trailing space: {line!r}"
        assert "  " not in line, f"double space: {line!r}"
        assert not _SPACE_BEFORE.search(line), f"space before punctuation: {line!r}"
        assert not _NO_SPACE_AFTER.search(line), f"no space after punctuation: {line!r}"
    bad = [c for c in text if c in _NOISE_CHARS or 0xFB50 <= ord(c) <= 0xFEFF]
    assert not bad, f"noise characters {[unicodedata.name(c, hex(ord(c))) for c in bad]} in {text!r}"
    assert text == unicodedata.normalize("NFC", text)


def assert_fixed_point(text: str, *, headline: bool = False) -> None:
    """arcorpus' standard profile changes nothing and records nothing.

    With ``headline`` the text may open with a headline, which the metadata step rightly moves to the
    ``title`` field: it is checked with that step off (every other step must still leave it alone).
    """
    options = {"extract_metadata": False} if headline else {}
    doc = arcorpus.clean_document(arcorpus.Document(id="ref", text=text), **options)
    assert doc.text == text
    assert doc.changes == (), [c.to_dict() for c in doc.changes]


@given(ast.arabic_letters())
def test_arabic_letters(ch: str) -> None:
    assert ch in T.ARABIC_LETTERS


def test_letters_shrink_to_the_most_frequent() -> None:
    assert find(ast.arabic_letters(), lambda c: True, settings=FIND) == "\N{ARABIC LETTER ALEF}"
    weights = dict(T.letter_weights())
    assert weights["\N{ARABIC LETTER ALEF}"] > weights["\N{ARABIC LETTER ZAH}"] * 10


@given(ast.hamza_forms(), ast.diacritics(dagger_alef=True), ast.arabic_punctuation(), ast.tatweel())
def test_character_strategies(hamza: str, mark: str, punct: str, kashida: str) -> None:
    assert "HAMZA" in unicodedata.name(hamza) or "MADDA" in unicodedata.name(hamza)
    assert unicodedata.combining(mark)
    assert unicodedata.category(punct) == "Po" and 0x0600 <= ord(punct) <= 0x06FF
    assert kashida and set(kashida) == {T.TATWEEL}


@pytest.mark.parametrize("system", ["ascii", "arabic_indic", "persian"])
@given(data=st.data())
def test_digits_of_one_system(system: str, data: st.DataObject) -> None:
    digit = data.draw(ast.digits(system=system))  # type: ignore[arg-type]
    assert digit in T.DIGITS[system]


@given(ast.numbers())
def test_numbers_use_one_digit_system(number: str) -> None:
    digits = {c for c in number if c.isdigit()}
    systems = {s for s, ds in T.DIGITS.items() if digits & set(ds)}
    assert len(systems) == 1 and "persian" not in systems
    assert re.fullmatch(r"\d+([.:\u066b]\d+|\u0645)?", number), number


@given(ast.words())
def test_corpus_words_come_from_the_word_list(word: str) -> None:
    assert word in dict(T.wordlist())


@given(ast.words(source="patterns"))
def test_pattern_words_are_plain_letters(word: str) -> None:
    assert _BASE_WORD.fullmatch(word), word


@given(ast.words(diacritics=1.0), ast.words(source="patterns", diacritics=0.5))
def test_vocalized_words(full: str, half: str) -> None:
    for word in (full, half):
        assert word == unicodedata.normalize("NFC", word)
        assert "".join(c for c in word if not unicodedata.combining(c)) in dict(T.wordlist()) or word is half
    consonants = [c for c in full if c in T.ARABIC_LETTERS and c not in _UNMARKED]
    assert consonants == [] or any(unicodedata.combining(c) for c in full)


_UNMARKED = {
    "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF MAKSURA}",
    "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}",
}


@given(ast.sentences())
def test_sentences(sentence: str) -> None:
    assert_clean_structure(sentence)
    assert sentence[-1] in ".!\N{ARABIC QUESTION MARK}"


@given(ast.documents())
def test_documents_are_clean(text: str) -> None:
    assert_clean_structure(text)
    assert_fixed_point(text)


@given(ast.documents(title=True, max_paragraphs=3))
def test_documents_with_a_headline_are_clean(text: str) -> None:
    assert_clean_structure(text)
    assert_fixed_point(text, headline=True)


@given(ast.noisy_documents())
def test_clean_reference_is_clean(doc: ast.NoisyDocument) -> None:
    assert_clean_structure(doc.clean_reference)
    headline = any(i.kind == "repeated_lines" and i.detail == "title" for i in doc.injections)
    assert_fixed_point(doc.clean_reference, headline=headline)


def test_shrinking_yields_plain_short_text() -> None:
    """A failing property about long text shrinks to the most frequent word, repeated, in one line."""
    text = find(ast.documents(max_paragraphs=2), lambda t: len(t.split()) >= 8, settings=FIND)
    assert "\n" not in text
    assert set(re.findall(r"\w+", text)) == {T.wordlist()[0][0]}, text


# --- injectors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(INJECT))
@given(data=st.data())
def test_injector_records_what_it_did(name: str, data: st.DataObject) -> None:
    doc = data.draw(INJECT[name]())
    assert {i.kind for i in doc.injections} <= {name}
    assert (doc.noisy != doc.clean_reference) == bool(doc.injections)
    if name not in MAY_FIND_NOTHING:
        assert doc.injections, "this injector always finds a place"
    noisy_lines = doc.noisy.split("\n")
    for inj in doc.injections:
        assert 0 <= inj.line < len(noisy_lines)
        assert inj.after != inj.before or inj.detail == "blank_lines"
        if name in ("boilerplate", "repeated_lines", "mojibake", "name_variants"):
            assert inj.after in noisy_lines[inj.line]
        if name == "name_variants":
            assert inj.before in doc.clean_reference.split("\n")[inj.line]
    assert_clean_structure(doc.clean_reference)


@given(ast.noisy_documents(min_injectors=len(INJECT)))
def test_noisy_documents_reach_every_injector(doc: ast.NoisyDocument) -> None:
    kinds = {i.kind for i in doc.injections}
    assert set(INJECT) - MAY_FIND_NOTHING <= kinds <= set(INJECT)
    assert_clean_structure(doc.clean_reference)


def test_injections_shrink_to_small_examples() -> None:
    """A minimal noisy document with a boilerplate injection: that one injection, on one short line."""
    doc = find(
        ast.noisy_documents(text=ast.documents(max_paragraphs=2)),
        lambda d: any(i.kind == "boilerplate" for i in d.injections),
        settings=FIND,
    )
    assert [i.kind for i in doc.injections] == ["boilerplate"], doc
    assert doc.noisy.split("\n")[doc.injections[0].line] == doc.injections[0].after
    assert "\n" not in doc.clean_reference, doc
    assert len(re.findall(r"\w+", doc.clean_reference)) == 3, doc


@given(ast.noisy_documents(injectors={"mojibake": {"encodings": ["utf8_as_cp1252"]}}, min_injectors=1))
def test_cp1252_mojibake_is_what_ftfy_repairs(doc: ast.NoisyDocument) -> None:
    """A peer's view: ftfy (which knows this damage) undoes our utf8-as-cp1252 mojibake exactly."""
    for inj in doc.injections:
        assert ftfy.fix_encoding(inj.after) == inj.before


@pytest.mark.parametrize("encoding", ["utf8_as_cp1256", "cp1256_as_latin1"])
@given(text=ast.documents(max_paragraphs=2))
def test_cp1256_mojibake_round_trips(encoding: str, text: str) -> None:
    damaged, used = _model._mojibake(text, encoding)
    assert damaged != text
    if used == "utf8_as_cp1256":
        assert damaged.encode("cp1256").decode("utf-8") == text
    else:
        assert damaged.encode("latin-1").decode("cp1256") == text


@given(ast.words(diacritics=0.3))
def test_presentation_forms_decompose_back(word: str) -> None:
    shaped = ast.shape(word)
    nfkc = unicodedata.normalize("NFKC", shaped)
    assert nfkc == unicodedata.normalize("NFKC", word)
    assert all(not c.isalpha() or 0xFB50 <= ord(c) <= 0xFEFF for c in shaped), shaped


def test_shape_uses_contextual_forms() -> None:
    kitab = "\N{ARABIC LETTER KAF}\N{ARABIC LETTER TEH}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER BEH}"
    assert ast.shape(kitab) == (
        "\N{ARABIC LETTER KAF INITIAL FORM}\N{ARABIC LETTER TEH MEDIAL FORM}"
        "\N{ARABIC LETTER ALEF FINAL FORM}\N{ARABIC LETTER BEH ISOLATED FORM}"
    )
    la = "\N{ARABIC LETTER LAM}\N{ARABIC LETTER ALEF}"
    assert ast.shape(la) == "\N{ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM}"
    assert ast.shape("\N{ARABIC LETTER BEH}" + la) == (
        "\N{ARABIC LETTER BEH INITIAL FORM}\N{ARABIC LIGATURE LAM WITH ALEF FINAL FORM}"
    )


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (ast.noisy_documents(injectors=["nope"]), "unknown injector"),
        (ast.inject_mojibake(encodings=["utf-16"]), "unknown mojibake"),
        (ast.inject_spacing(kinds=["tabs"]), "unknown spacing"),
    ],
)
def test_injector_options_are_checked(strategy: st.SearchStrategy[ast.NoisyDocument], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find(strategy, lambda d: True, settings=FIND)


# --- near duplicates ---------------------------------------------------------------------------------------


@given(ast.near_duplicates())
def test_near_duplicates_measure_their_edits(pair: ast.NearDuplicatePair) -> None:
    assert 0.0 <= pair.jaccard <= 1.0
    assert pair.word_edit_fraction <= 0.1 + 1e-9
    assert all(e.kind == "word_edit" for e in pair.word_edits)
    assert pair.jaccard == ast.jaccard(pair.original, pair.copy_reference)
    if not pair.word_edits:
        assert pair.jaccard == 1.0
    kinds = Counter(i.kind for i in pair.noise)
    assert set(kinds) <= {"spelling", "boilerplate", "name_variants", "invisible", "tatweel"}


@given(ast.near_duplicates(max_edit_fraction=0.0, noise=()))
def test_spelling_only_copies_fold_to_the_original(pair: ast.NearDuplicatePair) -> None:
    assert arcorpus.fold(pair.copy) == arcorpus.fold(pair.original)


# --- the documentation's example ---------------------------------------------------------------------------


def test_docs_example_runs() -> None:
    """The complete example in docs/strategies.md (the block after 'runnable example') runs and passes."""
    page = (ROOT / "docs" / "strategies.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    example = next(b for b in blocks if "def test_" in b)
    namespace: dict[str, object] = {"__name__": "docs_example"}
    exec(compile(example, "docs/strategies.md", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert tests
    for test in tests:
        test()
