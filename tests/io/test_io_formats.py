"""File formats beyond JSONL: the suffix table, JSON arrays, bz2/xz, Parquet (reader and writer)."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path
from typing import Any

import pytest

from arcorpus.document import Document, Reject
from arcorpus.io.formats import (
    INPUT_SUFFIXES,
    OUTPUT_SUFFIXES,
    FormatError,
    describe,
    input_format,
    output_format,
)
from arcorpus.io.readers import ReadOptions, expand_inputs, read_file
from arcorpus.io.sinks import open_writer

RECORDS: list[dict[str, Any]] = [
    {"id": "a1", "text": "سطر أول\nسطر ثان", "url": "https://example.com/1", "n": 3},
    {"id": "a2", "text": "نص آخر", "tags": ["x", "y"], "score": 0.5},
    {"id": "a3", "text": "نص ثالث", "url": "https://example.com/3", "nested": {"k": "v"}},
]


def _items(path: Path, **options: Any) -> list[Document | Reject]:
    return list(read_file(path, ReadOptions(**options)))


def _records(path: Path) -> list[dict[str, Any]]:
    return [item.to_record() for item in _items(path) if isinstance(item, Document)]


# --- the table -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("x.jsonl", "jsonl"),
        ("x.JSONL.GZ", "jsonl"),
        ("x.ndjson.xz", "jsonl"),
        ("x.jsonl.bz2", "jsonl"),
        ("x.json", "json"),
        ("x.json.zst", "json"),
        ("x.parquet", "parquet"),
        ("x.txt", "text"),
        ("x.csv", None),
        ("x.gz", None),
        ("x.jsonl.rar", None),
        ("x.parquet.gz", None),
    ],
)
def test_input_formats_by_suffix(name: str, fmt: str | None) -> None:
    assert input_format(name) == fmt
    assert (fmt is not None) == name.lower().endswith(INPUT_SUFFIXES)


def test_outputs_are_not_text_files() -> None:
    assert output_format("-") == "jsonl"
    assert output_format("out.parquet") == "parquet"
    assert output_format("out.json.gz") == "json"
    assert output_format("out.txt") is None
    assert output_format("out.csv") is None
    assert all(output_format(s) is not None for s in OUTPUT_SUFFIXES)


def test_unknown_output_suffix_names_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as err:
        open_writer(tmp_path / "out.csv")
    message = str(err.value)
    assert ".jsonl" in message and ".parquet" in message and ".json" in message and ".bz2" in message
    assert not list(tmp_path.iterdir())
    assert describe(OUTPUT_SUFFIXES).startswith(".jsonl, .ndjson, .json (each also .gz/")


def test_directories_are_walked_for_every_input_format(tmp_path: Path) -> None:
    for name in ("a.json", "b.jsonl.xz", "c.parquet", "d.txt", "e.csv"):
        (tmp_path / name).write_bytes(b"")
    skipped: list[tuple[str, str]] = []
    files = expand_inputs([tmp_path], lambda p, r: skipped.append((p, r)))
    assert [f.name for f in files] == ["a.json", "b.jsonl.xz", "c.parquet", "d.txt"]
    assert [Path(p).name for p, _ in skipped] == ["e.csv"]
    assert ".parquet" in skipped[0][1]


# --- JSON arrays -------------------------------------------------------------------------------------------


def test_json_array_reads_like_jsonl(tmp_path: Path) -> None:
    array = tmp_path / "a.json"
    array.write_text(json.dumps(RECORDS, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    assert _records(array) == _records(lines) == RECORDS
    assert [d.origin_line for d in _items(array)] == [1, 2, 3]


def test_json_file_of_json_lines_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "hf-style.json"  # what datasets' to_json writes: JSON lines under .json
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    assert _records(path) == RECORDS


@pytest.mark.parametrize(
    ("body", "reasons"),
    [
        ("[]", ["empty_file"]),
        ('[{"id": 1, "text": "x"}, 7, {"id": 2}]', ["kept", "not_an_object", "missing_text"]),
        ('[{"id": 1, "text": "x"}, {"id": 2, "text": ]', ["kept", "malformed_json"]),
        ('[{"id": 1, "text": "x"} {"id": 2, "text": "y"}]', ["kept", "malformed_json"]),
        ('[{"id": 1, "text": "x"}] trailing', ["kept", "malformed_json"]),
        ('[{"id": 1, "text": "x"}', ["kept", "malformed_json"]),
        ('{"id": 1, "text": "x"}', ["kept"]),  # one object: JSON lines of one line
        ('[{"id": 1, "text": "\\udc80 x"}]', ["kept"]),
    ],
)
def test_json_array_rejects(tmp_path: Path, body: str, reasons: list[str]) -> None:
    path = tmp_path / "a.json"
    path.write_text(body, encoding="utf-8")
    items = _items(path)
    assert [i.reason if isinstance(i, Reject) else "kept" for i in items] == reasons
    for item in items:
        if isinstance(item, Document):
            assert "\udc80" not in item.text


CASES = Path(__file__).resolve().parents[1] / "cases" / "jsonl_lines.jsonl"
LINE_ONLY = {"blank", "nul_byte", "invalid_utf8", "malformed_json"}
"""Expectations about a JSONL line as such (a blank line, its bytes): an array element is not a line."""


def _line_cases() -> list[dict[str, Any]]:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [case for case in cases if case["expect"] not in LINE_ONLY]


@pytest.mark.parametrize("case", _line_cases(), ids=lambda c: c["name"])
def test_json_array_elements_are_judged_as_jsonl_lines(case: dict[str, Any], tmp_path: Path) -> None:
    """The JSONL line cases as the middle element of an array: the same document or the same reject
    (NaN and Infinity included), and the element after it is read all the same."""
    path = tmp_path / "a.json"
    element = case["line"].encode("utf-8")
    path.write_bytes(b'[{"id": "first", "text": "x"},\n' + element + b',\n{"id": "last", "text": "y"}]')
    first, middle, *rest = _items(path)
    assert isinstance(first, Document)
    if case["expect"] == "document":
        assert isinstance(middle, Document), middle
        expected_id = f"{path}:2" if case["id"] == "f.jsonl:7" else case["id"]  # no id: file and element
        assert middle.text == case["text"] and middle.id == expected_id
    if isinstance(middle, Reject) and "the rest of the file is not read" in middle.message:
        assert middle.reason == "too_deeply_nested" and not rest  # Python's own nesting limit: stop there
    else:
        assert [(type(d), d.id) for d in rest] == [(Document, "last")]
    if case["expect"] != "document":
        assert isinstance(middle, Reject) and middle.reason == case["expect"], middle
        assert middle.message.startswith(f"{path}:2: ") and middle.line == 2


def test_json_array_number_too_large_is_read_whole_across_chunks(tmp_path: Path) -> None:
    """A mantissa of 400 digits is infinite alone but finite with its exponent: split by the read-ahead
    chunk, it is not rejected for its first half."""
    path = tmp_path / "a.json"
    head = b'[{"id": 1, "text": "x", "pad": "' + b"p" * ((1 << 20) - 60) + b'", "n": '
    path.write_bytes(head + b"9" * 400 + b"e-300}, " + b'{"id": 2, "text": "y", "n": 1e400}]')
    first, second = _items(path)
    assert isinstance(first, Document) and first.metadata["n"] == pytest.approx(1e100)
    assert isinstance(second, Reject) and second.reason == "invalid_number" and "1e400" in second.message


@pytest.mark.parametrize(
    ("tail", "reason", "words"),
    [
        (b'{"id": 2, "text": "\xff"}]', "invalid_utf8", "byte 0xff"),
        (b'{"id": 2, "text": "a\x00b"}]', "malformed_json", "U+0000"),
        (b'{"id": 2, "text": "x"}]\xfe', "invalid_utf8", "byte 0xfe"),
    ],
)
def test_json_array_bad_bytes_keep_the_elements_before(
    tmp_path: Path, tail: bytes, reason: str, words: str
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'[{"id": 1, "text": "x"}, ' + tail)
    items = _items(path)
    assert isinstance(items[0], Document)
    assert isinstance(items[-1], Reject) and items[-1].reason == reason and words in items[-1].message
    assert "rest of the file is not read" in items[-1].message and "Traceback" not in items[-1].message


def test_json_array_too_deep_stops_with_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"id": 1, "text": "x"}, ' + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    items = _items(path)
    assert isinstance(items[0], Document)
    assert [i.reason for i in items[1:] if isinstance(i, Reject)] == ["too_deeply_nested"]


def test_json_array_element_over_the_limit_stops_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    big = "س" * 5000
    path.write_text(json.dumps([{"id": 1, "text": "x"}, {"id": 2, "text": big}]), encoding="utf-8")
    items = _items(path, max_record_bytes=1000)
    assert isinstance(items[0], Document)
    assert isinstance(items[1], Reject) and items[1].reason == "record_too_large"


def test_json_array_long_elements_across_chunks(tmp_path: Path) -> None:
    records = [{"id": i, "text": "ك" * (300_000 + i)} for i in range(8)]  # ~5 MB: several read chunks
    path = tmp_path / "long.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records, ensure_ascii=False).encode("utf-8")))
    docs = _items(path)
    assert [len(d.text) for d in docs if isinstance(d, Document)] == [300_000 + i for i in range(8)]


def test_json_array_writer(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    with open_writer(path) as out:
        out.write(RECORDS[0])
        out.write_lines(b"".join(json.dumps(r).encode() + b"\n" for r in RECORDS[1:]), 2)
    assert json.loads(path.read_text(encoding="utf-8")) == RECORDS
    empty = tmp_path / "empty.json"
    with open_writer(empty):
        pass
    assert json.loads(empty.read_text()) == []


# --- bz2 and xz ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "decompress"), [(".bz2", bz2.decompress), (".xz", lzma.decompress)])
def test_bz2_and_xz_round_trip(tmp_path: Path, suffix: str, decompress: Any) -> None:
    path = tmp_path / f"out.jsonl{suffix}"
    with open_writer(path) as out:
        for record in RECORDS:
            out.write(record)
    assert [json.loads(line) for line in decompress(path.read_bytes()).splitlines()] == RECORDS
    assert _records(path) == RECORDS
    again = tmp_path / f"again.jsonl{suffix}"
    with open_writer(again) as out:
        for record in RECORDS:
            out.write(record)
    assert again.read_bytes() == path.read_bytes()  # no timestamps: reproducible


@pytest.mark.parametrize(("suffix", "compress"), [(".bz2", bz2.compress), (".xz", lzma.compress)])
def test_truncated_bz2_and_xz_are_rejected_not_raised(tmp_path: Path, suffix: str, compress: Any) -> None:
    data = "".join(json.dumps({"id": i, "text": f"نص {i}"}) + "\n" for i in range(5000)).encode()
    path = tmp_path / f"cut.jsonl{suffix}"
    path.write_bytes(compress(data)[:-200])
    items = _items(path)
    assert isinstance(items[-1], Reject) and items[-1].reason == "truncated_stream"
    assert all(isinstance(i, Document) for i in items[:-1])


# --- Parquet ---------------------------------------------------------------------------------------------


def test_parquet_reader_columns_are_metadata(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime

    table = pa.table(
        {
            "url": ["u1", "u2", "u3"],
            "content": ["نص أول", None, "نص ثالث"],
            "published": [datetime.datetime(2024, 5, 1, 12, 30), None, None],
            "raw": [b"\x00\x01", None, None],
            "rank": [1, 2, None],
        }
    )
    path = tmp_path / "in.parquet"
    pq.write_table(table, path, row_group_size=2)
    items = _items(path, text_field="content", id_field="url")
    assert isinstance(items[0], Document)
    assert items[0].id == "u1"
    assert dict(items[0].metadata) == {"published": "2024-05-01 12:30:00.000000", "raw": "AAE=", "rank": 1}
    assert isinstance(items[1], Reject) and items[1].reason == "text_not_string" and items[1].line == 2
    assert isinstance(items[2], Document) and dict(items[2].metadata) == {}  # nulls are absent fields
    assert items[2].origin_line == 3


def test_parquet_reader_file_level_rejects(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    assert [i.reason for i in _items(bad)] == ["not_parquet"]  # type: ignore[union-attr]
    no_text = tmp_path / "no_text.parquet"
    pq.write_table(pa.table({"body": ["x"]}), no_text)
    (reject,) = _items(no_text)
    assert isinstance(reject, Reject) and reject.reason == "missing_text" and "body" in reject.message
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), empty)
    assert [i.reason for i in _items(empty)] == ["empty_file"]  # type: ignore[union-attr]


def test_parquet_writer_real_columns_and_mixed_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from arcorpus.io import parquet

    monkeypatch.setattr(parquet, "ROWS_PER_BATCH", 2)  # several batches with different fields
    records = [
        {"id": "1", "text": "أ", "title": "ع", "n": 1},
        {"id": "2", "text": "ب", "n": 2.5},
        {"id": "3", "text": "ج", "mixed": 1, "entities": ["x"]},
        {"id": "4", "text": "د", "mixed": "one"},
        {"id": "5", "text": "هـ", "title": "غ"},
    ]
    path = tmp_path / "out.parquet"
    with open_writer(path) as out:
        for record in records:
            out.write(record)
    pf = pq.ParquetFile(path)
    assert pf.num_row_groups == 3
    schema = pf.schema_arrow
    assert schema.names == ["id", "text", "title", "n", "mixed", "entities"]
    assert str(schema.field("n").type) == "double"
    assert str(schema.field("mixed").type) == "string"  # int in one batch, string in another: JSON text
    assert pf.read().column("mixed").to_pylist() == [None, None, "1", '"one"', None]
    back = _records(path)
    assert back[0] == {"id": "1", "text": "أ", "title": "ع", "n": 1.0}
    assert back[2]["entities"] == ["x"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_parquet_writer_abort_leaves_nothing(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "out.parquet"
    with pytest.raises(RuntimeError), open_writer(path) as out:
        out.write(RECORDS[0])
        raise RuntimeError("interrupted")
    assert not list(tmp_path.iterdir())


def test_round_trip_jsonl_parquet_json_identical_documents(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    docs = _records(source)
    current = source
    for name in ("a.parquet", "b.json", "c.parquet", "d.jsonl.xz", "e.json.bz2", "f.jsonl"):
        target = tmp_path / name
        with open_writer(target) as out:
            for record in _records(current):
                out.write(record)
        assert _records(target) == docs, name
        current = target


# --- the command line -----------------------------------------------------------------------------------


def _cli(*args: Any) -> tuple[int, str]:
    from _corpus_factory import run_cli

    proc = run_cli(*args)
    return proc.returncode, proc.stderr.decode()


def test_cli_unknown_output_suffix_is_a_usage_error(tmp_path: Path) -> None:
    code, err = _cli("clean", "seeds/", "-o", tmp_path / "out.csv")
    assert code == 2
    assert "out.csv" in err and ".parquet" in err and ".jsonl" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_cli_output_format_from_suffix_round_trips(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from _corpus_factory import read_jsonl

    outputs = {}
    for name in ("out.jsonl", "out.json", "out.parquet", "out.jsonl.xz", "out.json.bz2"):
        code, err = _cli("clean", "seeds/", "-o", tmp_path / name, "--workers", "1")
        assert code == 0, err
        outputs[name] = _records(tmp_path / name)
    reference = read_jsonl(tmp_path / "out.jsonl")
    assert len(reference) == 5
    for name, records in outputs.items():
        assert records == reference, name
    assert not (tmp_path / "out.rejects.jsonl").exists() or not read_jsonl(tmp_path / "out.rejects.jsonl")
    # Parquet in, the same documents out: the formats carry identical documents
    code, err = _cli(
        "clean",
        tmp_path / "out.parquet",
        "-o",
        tmp_path / "again.jsonl",
        "--profile",
        "minimal",
        "--workers",
        "1",
    )
    assert code == 0, err
    code, err = _cli(
        "clean",
        tmp_path / "out.jsonl",
        "-o",
        tmp_path / "again2.jsonl",
        "--profile",
        "minimal",
        "--workers",
        "1",
    )
    assert code == 0, err
    assert _records(tmp_path / "again.jsonl") == _records(tmp_path / "again2.jsonl")


def test_parquet_output_follows_the_umask_and_keeps_a_replaced_files_mode(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import os
    import stat

    def write(path: Path) -> None:
        with open_writer(path) as writer:
            writer.write({"id": "a", "text": "نص"})

    old = os.umask(0o022)
    try:
        new = tmp_path / "new.parquet"
        write(new)
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # mkstemp alone gives 0600
        kept = tmp_path / "kept.parquet"
        kept.write_bytes(b"")
        kept.chmod(0o664)
        write(kept)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".*.tmp"))
