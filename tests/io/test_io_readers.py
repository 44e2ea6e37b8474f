"""Readers: every record becomes one Document or one Reject with a reason and a location."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
import zstandard
from _corpus_factory import arabic_sentence, jsonl_bytes

from arcorpus.document import Document, Reject
from arcorpus.io.jsonl import _bounded_lines, parse_jsonl_line, read_jsonl, read_jsonl_deferred
from arcorpus.io.readers import InputError, ReadOptions, expand_inputs, parsed, read_file, read_inputs
from arcorpus.io.text import text_id

OPTS = ReadOptions()
CASES = Path(__file__).resolve().parents[1] / "cases" / "jsonl_lines.jsonl"


def _cases() -> list[dict]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_jsonl_line_cases(case: dict) -> None:
    """Case file: each raw line (``line`` as text, or ``line_hex`` as bytes) and what it must become."""
    raw = bytes.fromhex(case["line_hex"]) if "line_hex" in case else case["line"].encode("utf-8")
    item = parse_jsonl_line(raw, "f.jsonl", 7, OPTS)
    expected = case["expect"]
    if expected == "blank":
        assert item is None
    elif expected == "document":
        assert isinstance(item, Document), item
        assert item.text == case["text"] and item.id == case["id"] and type(item.id) is type(case["id"])
        assert dict(item.metadata) == case.get("metadata", {})
        assert (item.origin, item.origin_line) == ("f.jsonl", 7)
    else:
        assert isinstance(item, Reject), item
        assert item.reason == expected, item.message
        assert item.message.startswith("f.jsonl:7: ") and (item.source, item.line) == ("f.jsonl", 7)


def test_lone_surrogates_become_replacement_characters_with_a_change() -> None:
    raw = b'{"id": "s\\udc00", "text": "a \\ud800 b \\ud83d\\ude00", "t": ["\\udfff"]}'
    item = parse_jsonl_line(raw, "f", 1, OPTS)
    assert isinstance(item, Document)
    assert item.text == "a \ufffd b \U0001f600"  # a valid pair stays the character it encodes
    assert item.id == "s\ufffd" and item.metadata == {"t": ["\ufffd"]}
    (change,) = item.changes
    assert (change.step, change.rule, change.count) == ("read", "read.lone_surrogate", 3)


def test_id_defaults_to_file_and_line() -> None:
    item = parse_jsonl_line(b'{"text": "abc"}', "in.jsonl", 3, OPTS)
    assert isinstance(item, Document) and item.id == "in.jsonl:3"
    item = parse_jsonl_line(b'{"id": 12, "text": "abc"}', "in.jsonl", 3, OPTS)
    assert isinstance(item, Document) and item.id == 12, "a number id keeps its JSON type (issue 14)"


def test_crlf_is_normalised() -> None:
    item = parse_jsonl_line(b'{"id": "a", "text": "x\\r\\ny\\rz"}\r\n', "f", 1, OPTS)
    assert isinstance(item, Document) and item.text == "x\ny\nz"


def test_bounded_lines_skip_long_lines_without_holding_them() -> None:
    import io

    data = b"short\n" + b"x" * 50 + b"\n" + b"y" * 10 + b"\n" + b"z" * 40
    got = list(_bounded_lines(io.BytesIO(data), 20))
    assert got == [(b"short\n", 6), (None, 51), (b"y" * 10 + b"\n", 11), (None, 40)]
    # a line of exactly the limit (plus its newline) is kept
    assert list(_bounded_lines(io.BytesIO(b"a" * 20 + b"\nb"), 20)) == [(b"a" * 20 + b"\n", 21), (b"b", 1)]


def _write_all(tmp: Path, payload: bytes) -> dict[str, Path]:
    paths = {"plain": tmp / "x.jsonl", "gz": tmp / "x.jsonl.gz", "zst": tmp / "x.jsonl.zst"}
    paths["plain"].write_bytes(payload)
    paths["gz"].write_bytes(gzip.compress(payload, mtime=0))
    paths["zst"].write_bytes(zstandard.ZstdCompressor().compress(payload))
    return paths


def test_formats_read_the_same(tmp_path: Path) -> None:
    payload = jsonl_bytes([{"id": str(i), "text": arabic_sentence(i), "source": "s"} for i in range(50)])
    got = {}
    for kind, path in _write_all(tmp_path, payload).items():
        got[kind] = [(d.id, d.text, dict(d.metadata), d.origin_line) for d in read_file(path)]
    assert got["plain"] == got["gz"] == got["zst"] and len(got["plain"]) == 50


def test_zstd_concatenated_frames_and_streamed(tmp_path: Path) -> None:
    block = jsonl_bytes([{"id": str(i), "text": "t"} for i in range(1000)])
    c = zstandard.ZstdCompressor()
    (tmp_path / "a.jsonl.zst").write_bytes(c.compress(block) + c.compress(block))
    assert len(list(read_file(tmp_path / "a.jsonl.zst"))) == 2000
    with open(tmp_path / "b.jsonl.zst", "wb") as fh, c.stream_writer(fh) as w:
        for _ in range(20):
            w.write(block)
    items = list(read_file(tmp_path / "b.jsonl.zst"))
    assert len(items) == 20_000 and all(isinstance(i, Document) for i in items)


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_truncated_streams_keep_what_came_before(kind: str, tmp_path: Path) -> None:
    payload = jsonl_bytes([{"id": str(i), "text": "t" * 100} for i in range(2000)])
    path = _write_all(tmp_path, payload)[kind]
    if kind == "zst":  # a streamed (multi-block) frame, so that some blocks decode before the break
        with open(path, "wb") as fh, zstandard.ZstdCompressor().stream_writer(fh) as w:
            for i in range(0, len(payload), 4096):
                w.write(payload[i : i + 4096])
                w.flush()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(read_file(path))
    *docs, last = items
    assert isinstance(last, Reject) and last.reason == "truncated_stream"
    assert all(isinstance(d, Document) for d in docs) and [d.id for d in docs] == [
        str(i) for i in range(len(docs))
    ]
    assert last.line == len(docs) + 1 and f"after line {len(docs)}" in last.message


def test_corrupt_gzip_header(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    (item,) = read_file(path)
    assert isinstance(item, Reject) and item.reason in ("truncated_stream", "binary_file")


def test_text_file_ids_and_encoding_metadata(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "doc.txt"
    path.write_bytes(("x\r\n" + arabic_sentence(1)).encode("cp1256", errors="replace"))
    (doc,) = read_file(path)
    assert isinstance(doc, Document)
    assert doc.id == text_id(path) == (tmp_path / "sub" / "doc").as_posix()
    assert doc.added == {"encoding": "windows-1256"} and doc.metadata == {} and doc.text.startswith("x\n")


def test_text_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 1000, encoding="utf-8")
    (item,) = read_file(path, ReadOptions(max_record_bytes=100))
    assert (
        isinstance(item, Reject)
        and item.reason == "record_too_large"
        and "--max-record-bytes" in item.message
    )


def test_directory_walk_is_sorted_and_reports_skips(tmp_path: Path) -> None:
    for name in ["b.txt", "a.jsonl", "c.jsonl.gz", "z.png", "sub/d.txt", "sub/e.bin", "A.TXT"]:
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"")
    skipped: list[tuple[str, str]] = []
    files = expand_inputs([tmp_path], lambda path, reason: skipped.append((path, reason)))
    rel = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rel == ["A.TXT", "a.jsonl", "b.txt", "c.jsonl.gz", "sub/d.txt"]
    assert sorted(Path(p).name for p, _ in skipped) == ["e.bin", "z.png"]


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "loop").symlink_to(tmp_path)
    (tmp_path / "alias").symlink_to(tmp_path / "d")
    skipped: list[str] = []
    files = expand_inputs([tmp_path], lambda path, reason: skipped.append(reason))
    assert [p.name for p in files] == ["x.txt"]
    assert skipped and all("already walked" in r for r in skipped)


def test_broken_symlink_is_a_reject(tmp_path: Path) -> None:
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (item,) = read_inputs([tmp_path])
    assert isinstance(item, Reject) and item.reason == "broken_symlink" and "nowhere.jsonl" in item.message


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        expand_inputs([tmp_path / "nope.txt"])


def test_a_fifo_in_a_directory_is_not_read(tmp_path: Path) -> None:
    """A named pipe would block a reader forever; it becomes a reject instead."""
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    items = list(read_inputs([tmp_path]))
    assert [(i.reason if isinstance(i, Reject) else None) for i in items] == ["not_a_file", "not_a_file"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_unreadable_file_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    path.chmod(0)
    try:
        (item,) = read_file(path)
    finally:
        path.chmod(0o644)
    assert isinstance(item, Reject) and item.reason == "unreadable_file"


def test_a_bom_at_the_start_of_a_jsonl_file_is_skipped(tmp_path: Path) -> None:
    """Windows tools write a UTF-8 BOM before the first record; it is not part of the record (issue 14)."""
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')
    items = list(read_jsonl(path, OPTS))
    assert [(type(i).__name__, i.id) for i in items] == [("Document", "a"), ("Document", "b")]
    deferred = [parsed(r) for r in read_jsonl_deferred(path, OPTS)]
    assert deferred == items
    import pickle

    by_reference = [pickle.loads(pickle.dumps(r)).parse() for r in read_jsonl_deferred(path, OPTS)]
    assert by_reference == items, "the record's offset skips the BOM too"
