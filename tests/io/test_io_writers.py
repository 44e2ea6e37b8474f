"""Atomic, reproducible JSONL output."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard

from arcorpus.io.writers import AtomicJsonlWriter, encode_line, write_json_atomic

RECORDS = [{"id": str(i), "text": "\N{ARABIC LETTER BEH} " * i} for i in range(100)]


def _names(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def test_commit_renames_into_place(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    with AtomicJsonlWriter(target) as w:
        for r in RECORDS[:3]:
            w.write(r)
        assert not target.exists(), "nothing at the target name until the file is complete"
        assert len(_names(tmp_path)) == 1 and _names(tmp_path)[0].startswith(".o.jsonl.")
    assert _names(tmp_path) == ["o.jsonl"]
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == RECORDS[:3]


def test_an_error_leaves_nothing_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    target.write_text("previous complete output\n", encoding="utf-8")
    with pytest.raises(RuntimeError), AtomicJsonlWriter(target) as w:
        w.write(RECORDS[0])
        raise RuntimeError("crash in the middle")
    assert _names(tmp_path) == ["o.jsonl"]
    assert target.read_text(encoding="utf-8") == "previous complete output\n"


def test_keyboard_interrupt_also_cleans_up(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), AtomicJsonlWriter(tmp_path / "o.jsonl.gz") as w:
        w.write(RECORDS[0])
        raise KeyboardInterrupt
    assert _names(tmp_path) == []


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_reproducible_bytes(suffix: str, tmp_path: Path) -> None:
    blobs = []
    for n in range(2):
        target = tmp_path / f"o{n}{suffix}"
        with AtomicJsonlWriter(target) as w:
            for r in RECORDS:
                w.write(r)
        blobs.append(target.read_bytes())
    assert blobs[0] == blobs[1]
    raw = blobs[0]
    if suffix.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif suffix.endswith(".zst"):
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    assert [json.loads(line) for line in raw.splitlines()] == RECORDS


def test_lone_surrogate_never_crashes_the_writer(tmp_path: Path) -> None:
    line = encode_line({"id": "x\ud800", "text": "a\udfffb"})
    assert json.loads(line) == {"id": "x\ufffd", "text": "a\ufffdb"}
    line.decode("utf-8")


def test_output_is_utf8_not_ascii_escaped() -> None:
    assert encode_line({"text": "\N{ARABIC LETTER ALEF}"}) == '{"text": "\N{ARABIC LETTER ALEF}"}\n'.encode()


def test_write_json_atomic(tmp_path: Path) -> None:
    write_json_atomic(tmp_path / "sub" / "r.json", {"b": 1, "a": [1, 2]})
    assert json.loads((tmp_path / "sub" / "r.json").read_text(encoding="utf-8")) == {"a": [1, 2], "b": 1}
    with pytest.raises(TypeError):
        write_json_atomic(tmp_path / "bad.json", {"x": object()})
    assert _names(tmp_path) == ["sub"]
