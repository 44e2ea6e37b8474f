"""Fuzzing: readers on arbitrary bytes, and `clean()` on arbitrary Unicode, never raise.

Decision (docs/reliability.md): `clean()` accepts every Python ``str``, including lone surrogates; its
output is always encodable as UTF-8 (lone surrogates become U+FFFD, recorded as ``output.lone_surrogate``)
and in NFC (``output.nfc``).
"""

from __future__ import annotations

import gzip
import json
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.io.encoding import DecodeFailure, decode_bytes
from arcorpus.io.jsonl import parse_jsonl_line
from arcorpus.io.readers import ReadOptions, read_file

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DECODE_REASONS = {"empty_file", "binary_file", "mixed_encoding", "invalid_utf8", "invalid_utf16"}

# every step on: the standard profile plus the optional steps that work on one document
ALL_ON = CleanConfig.from_profile("search", digits="ascii")
MINIMAL = CleanConfig.from_profile("minimal")

any_text = st.text(st.characters(codec=None, categories=None), max_size=300)  # includes Cs (surrogates)
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=10)
unassigned = st.text(st.characters(categories=["Cn", "Co"]), max_size=50)
combining = st.characters(categories=["Mn", "Me", "Mc"])
arabic = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
storms = st.lists(
    st.tuples(arabic, st.lists(combining, max_size=40)).map(lambda t: t[0] + "".join(t[1])), max_size=20
).map("".join)
arabicish = st.text(
    st.one_of(
        arabic,
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(" \n\t\u200c\u200f.,"),
    ),
    max_size=300,
)


def _check_output(out: str) -> None:
    assert isinstance(out, str)
    out.encode("utf-8")  # no lone surrogates
    assert unicodedata.is_normalized("NFC", out)


@FUZZ
@given(st.one_of(any_text, surrogates, unassigned, storms, arabicish))
def test_clean_never_raises_and_gives_valid_nfc_text(text: str) -> None:
    for config in (None, ALL_ON, MINIMAL):
        _check_output(arcorpus.clean(text, config))


@FUZZ
@given(st.lists(st.one_of(any_text, storms, arabicish), min_size=1, max_size=5))
def test_clean_document_records_a_reason_for_every_change(texts: list[str]) -> None:
    doc = arcorpus.clean_document(Document(id="x", text="\n".join(texts)), ALL_ON)
    _check_output(doc.text)
    for change in doc.changes:
        assert change.rule.startswith(change.step + ".")


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_bytes_decodes_or_refuses_with_a_reason(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except DecodeFailure as exc:
        assert exc.reason in DECODE_REASONS and exc.message
    else:
        assert encoding in {"utf-8", "utf-8-sig", "utf-16", "windows-1256"}
        text.encode("utf-16", errors="surrogatepass")


_TMP = tempfile.TemporaryDirectory(prefix="arcorpus-fuzz-")  # one directory, files overwritten per example


def _tmpdir() -> Path:
    return Path(_TMP.name)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_as_a_txt_file_give_one_item(data: bytes) -> None:
    path = _tmpdir() / "doc.txt"
    path.write_bytes(data)
    items = list(read_file(path, ReadOptions(max_record_bytes=2000)))
    assert len(items) == 1
    (item,) = items
    if isinstance(item, Document):
        assert item.text.strip() and "\r" not in item.text
    else:
        assert isinstance(item, Reject) and item.reason and item.message.startswith(str(path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=20,
)
line_bytes = st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.dictionaries(st.sampled_from(["id", "text", "source"]) | any_text, json_values, max_size=5).map(
        lambda d: json.dumps(d).encode()
    ),
    st.builds(
        lambda t, i: json.dumps({"id": i, "text": t}, ensure_ascii=False).encode("utf-8", "surrogatepass"),
        any_text,
        st.integers(),
    ),
)


@FUZZ
@given(st.lists(line_bytes, max_size=12), st.booleans())
def test_any_jsonl_lines_give_one_item_per_record(lines: list[bytes], compress: bool) -> None:
    payload = b"\n".join(lines) + b"\n"
    path = _tmpdir() / ("in.jsonl.gz" if compress else "in.jsonl")
    path.write_bytes(gzip.compress(payload, mtime=0) if compress else payload)
    items = list(read_file(path, ReadOptions(max_record_bytes=150)))
    records = [line for line in lines if line.strip(b" \t\r\n")]
    located = [i.origin_line if isinstance(i, Document) else i.line for i in items]
    if any(
        isinstance(i, Reject) and i.reason in ("empty_file", "binary_file") and i.line == 0 for i in items
    ):
        assert len(items) == 1
    else:
        assert len(items) == len(records)
        assert located == sorted(located) and len(set(located)) == len(located)
    for item in items:
        if isinstance(item, Document):
            json.dumps(item.to_record(), ensure_ascii=False).encode("utf-8")  # writable


@FUZZ
@given(json_values)
def test_parse_jsonl_line_on_arbitrary_json(value: object) -> None:
    raw = json.dumps({"id": "x", "text": value, "meta": value}).encode()
    item = parse_jsonl_line(raw, "f", 1, ReadOptions())
    assert isinstance(item, (Document, Reject))


# --- the output contract, case by case -----------------------------------------------------------------

SHADDA, FATHA, BEH = "\N{ARABIC SHADDA}", "\N{ARABIC FATHA}", "\N{ARABIC LETTER BEH}"


def test_finalize_examples() -> None:
    from arcorpus.text.guard import finalize_text

    assert finalize_text("plain ascii") == ("plain ascii", [])
    clean_arabic = BEH + FATHA + SHADDA + " " + BEH
    assert finalize_text(clean_arabic) == (clean_arabic, [])  # negative: already NFC, untouched
    text, changes = finalize_text("x\n" + BEH + SHADDA + FATHA)
    assert text == "x\n" + BEH + FATHA + SHADDA  # canonical order of the marks
    assert [(c.rule, c.line) for c in changes] == [("output.nfc", 1)]
    text, changes = finalize_text("a\ud800b")
    assert text == "a\ufffdb" and [c.rule for c in changes] == ["output.lone_surrogate"]
    storm = BEH + (SHADDA + FATHA) * 40
    text, changes = finalize_text(storm)
    assert text.count("\u034f") == 2 and {c.rule for c in changes} == {"output.stream_safe", "output.nfc"}
    assert text.replace("\u034f", "").count(SHADDA) == 40  # nothing removed
