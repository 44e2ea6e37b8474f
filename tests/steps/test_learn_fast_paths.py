"""The fast paths of the learning pass against their reference forms: `fold` (runs of rare characters),
`batch_line_keys` / `_key_table` (numpy line keys), `SiteLinesLearner.observe_many`, `parse_jsonl_line`."""

from __future__ import annotations

import json
from typing import Any

from _corpus_factory import seed_documents
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus import strategies as ast
from arcorpus.document import Document, Reject
from arcorpus.io.jsonl import _depth_ok, parse_jsonl_line
from arcorpus.io.readers import ReadOptions
from arcorpus.steps.boilerplate import site_lines as sl
from arcorpus.text.fold import _RUN_LIMIT, FOLD_TABLE, fold

SETTINGS: dict[str, Any] = {"max_examples": 200, "deadline": None}
FOLDED = sorted(chr(cp) for cp in FOLD_TABLE)
# characters fold maps, spaces, ASCII, astral letters, lone surrogates, ligatures (several characters)
tricky_chars = st.one_of(
    st.sampled_from(FOLDED),
    st.sampled_from((*sl._SPACES, " ", "1", "-", "\t", "a", "\N{ARABIC LETTER BEH}")),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(["\ud800", "\udfff", "\N{MATHEMATICAL BOLD DIGIT ONE}", "\U0001e900"]),
    st.characters(blacklist_categories=("Cs",)),
)
tricky_text = st.lists(tricky_chars, max_size=80).map("".join)
tricky_line = tricky_text.map(lambda s: s.replace("\n", " "))


def corpus_texts() -> list[str]:
    return [d["text"] for d in seed_documents()]


@settings(**SETTINGS)
@given(tricky_text)
def test_fold_is_the_translate_table(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)


@settings(**SETTINGS)
@given(ast.noisy_documents())
def test_fold_is_the_translate_table_on_noisy_documents(doc: Any) -> None:
    for text in doc[:2]:
        assert fold(text) == text.translate(FOLD_TABLE)


def test_fold_with_more_runs_than_the_limit() -> None:
    digits = "".join(chr(0x0660 + i % 10) for i in range(3 * _RUN_LIMIT))
    for text in (
        "\N{ARABIC LETTER BEH}".join(digits),
        " ".join(digits) + "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}",
        digits,
        "x" * (_RUN_LIMIT - 1) + digits[: _RUN_LIMIT - 1],
    ):
        assert fold(text) == text.translate(FOLD_TABLE)
    for text in corpus_texts():
        assert fold(text) == text.translate(FOLD_TABLE)


def test_key_table_is_line_keys_per_character() -> None:
    table = sl._key_table()
    chars = [chr(cp) for cp in range(0x10000) if cp != 10 and not 0xD800 <= cp < 0xE000]
    for c, key in zip(chars, sl.line_keys(chars), strict=True):
        entry = int(table[ord(c)])
        if entry == sl._KEY_DELETED:
            assert key == b"", c
        elif entry != sl._KEY_SPECIAL:
            assert key == chr(entry).encode("utf-8"), c
        else:
            assert len(key.decode("utf-8")) > 1 or ord(c) >= sl._KEY_DELETED, c
    assert not table.flags.writeable


@settings(**SETTINGS)
@given(st.lists(st.lists(tricky_line, max_size=5), max_size=6))
def test_batch_line_keys_is_line_keys(groups: list[list[str]]) -> None:
    assert sl.batch_line_keys(groups) == [sl.line_keys(group) for group in groups]


def test_batch_line_keys_on_corpus_text() -> None:
    groups = [[line for line in text.split("\n") if line] for text in corpus_texts()]
    assert sl.batch_line_keys(groups) == [sl.line_keys(group) for group in groups]


def _reference_observe(self: sl.SiteLinesLearner, doc: Document) -> None:
    """`SiteLinesLearner.observe` before `observe_many` (one document, `line_keys`)."""
    text = doc.text
    digest = sl._hash(text.encode("utf-32-le", "surrogatepass"))
    if digest in self.seen:
        return
    self.seen.add(digest)
    source = sl.source_of(doc)
    self.docs[source] = self.docs.get(source, 0) + 1
    lines = [line for line in text.split("\n") if line and not line.isspace()]
    last = len(lines) - sl.EDGE_LINES
    positions = [pos for pos, line in enumerate(lines) if len(line) <= sl.LINE_MAX]
    keys = sl.line_keys([lines[pos] for pos in positions])
    hashed = [(pos, sl._hash(data)) for pos, data in zip(positions, keys, strict=True) if data]
    if not hashed:
        return
    found = dict.fromkeys([key for _, key in hashed], 1)
    for pos, key in (*hashed[: sl.EDGE_LINES], *hashed[-sl.EDGE_LINES :]):
        if pos < sl.EDGE_LINES or pos >= last:
            found[key] = 1 + sl._EDGE
    table = self.counts.setdefault(source, {})
    before = len(table)
    for key, inc in found.items():
        table[key] = table.get(key, 0) + inc
    self.entries += len(table) - before
    if self.entries > self.max_entries:
        self._prune()


def _state(learner: sl.SiteLinesLearner) -> Any:
    return learner.docs, learner.counts, learner.seen, learner.entries


@settings(**SETTINGS)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.lists(tricky_line, max_size=8)), max_size=12))
def test_observe_many_is_observe_in_turn(records: list[tuple[str, list[str]]]) -> None:
    docs = [Document(str(i), "\n".join(lines), {"source": src}) for i, (src, lines) in enumerate(records)]
    docs += docs[:2]  # repeats are counted once
    for max_entries in (sl.MAX_ENTRIES, 3):  # 3: pruned, at the same points
        one, many = sl.SiteLinesLearner(max_entries=max_entries), sl.SiteLinesLearner(max_entries=max_entries)
        for doc in docs:
            _reference_observe(one, doc)
        many.observe_many(docs)
        assert _state(one) == _state(many)


def test_observe_many_on_corpus_text() -> None:
    docs = [Document(str(i), text, {"source": "s"}) for i, text in enumerate(corpus_texts() * 2)]
    docs += [Document("long", "\n".join(["x" * 400, *corpus_texts()[:1], "y" * 301]), {"source": "s"})]
    one, many = sl.SiteLinesLearner(), sl.SiteLinesLearner()
    for doc in docs:
        _reference_observe(one, doc)
    for start in range(0, len(docs), 7):
        many.observe_many(docs[start : start + 7])
    assert _state(one) == _state(many)


def test_parse_errors_are_those_of_the_line_without_its_end() -> None:
    for raw in (b'{"text": \r\n', b'{"text": "a"} x\n', b"[1, 2\n", b'{"text": "a"}\r\n'):
        item = parse_jsonl_line(raw, "f", 1, ReadOptions())
        try:
            json.loads(raw.decode().rstrip("\r\n"))
        except ValueError as exc:
            assert isinstance(item, Reject) and item.reason == "malformed_json"
            assert item.message.endswith(str(exc))
        else:
            assert isinstance(item, Document)
    assert parse_jsonl_line(b" \t\r\n", "f", 1, ReadOptions()) is None
    assert parse_jsonl_line(b"", "f", 1, ReadOptions()) is None
    empty = parse_jsonl_line(b'{"text": " \\u00a0\\n"}\n', "f", 1, ReadOptions())
    assert isinstance(empty, Reject) and empty.reason == "empty_text"


def _depth_reference(obj: Any, max_depth: int) -> bool:
    def depth(value: Any) -> int:
        if isinstance(value, dict):
            return 1 + max((depth(v) for v in value.values()), default=0)
        if isinstance(value, list):
            return 1 + max((depth(v) for v in value), default=0)
        return 1

    return depth(obj) <= max_depth


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=12,
)


@settings(**SETTINGS)
@given(json_values, st.integers(min_value=0, max_value=5))
def test_depth_ok_is_the_nesting_depth(obj: Any, max_depth: int) -> None:
    assert _depth_ok(obj, max_depth) == _depth_reference(obj, max_depth)


def test_dedup_table_is_map_char_of_every_folded_character() -> None:
    import numpy as np

    from arcorpus.dedup import keys

    reference = np.empty(keys._TABLE_SIZE + 1, dtype=np.uint32)
    for cp, folded in enumerate(keys._folded_chars()):
        if 0xD800 <= cp < 0xE000:
            reference[cp] = keys._SPECIAL
            continue
        mapped = "".join(keys._map_char(ch) for ch in folded)
        if mapped == "":
            reference[cp] = keys._DELETE
        elif len(mapped) == 1:
            reference[cp] = keys.SEP if mapped == " " else ord(mapped)
        else:
            reference[cp] = keys._SPECIAL
    reference[keys.NEWLINE] = keys.NEWLINE
    reference[keys._TABLE_SIZE] = keys._SPECIAL
    table = keys._table()
    assert table.dtype == reference.dtype and np.array_equal(table, reference)
    assert not table.flags.writeable
