"""Atomic, reproducible JSONL output."""

from __future__ import annotations

import gzip
import json
import os
import stat
import threading
from pathlib import Path

import pytest
import zstandard

from arcorpus.io.writers import AtomicJsonlWriter, OutputWriteError, encode_line, write_json_atomic

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
    write_json_atomic(tmp_path / "r.json", {"b": 1, "a": [1, 2]})
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == {"a": [1, 2], "b": 1}
    with pytest.raises(OutputWriteError, match=r"sub/r\.json: cannot create: No such file") as info:
        write_json_atomic(tmp_path / "sub" / "r.json", {})  # arcorpus never creates directories
    assert ".tmp" not in str(info.value)
    with pytest.raises(TypeError):
        write_json_atomic(tmp_path / "bad.json", {"x": object()})
    assert _names(tmp_path) == ["r.json"]


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_follow_the_umask(umask: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        with AtomicJsonlWriter(tmp_path / "o.jsonl") as w:
            w.write(RECORDS[0])
        write_json_atomic(tmp_path / "r.json", {})
    finally:
        os.umask(old)
    for name in ("o.jsonl", "r.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o664)
    with AtomicJsonlWriter(target) as w:
        w.write(RECORDS[0])
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert target.read_text(encoding="utf-8") != "old\n"


def test_devices_and_fifos_are_written_straight_through(tmp_path: Path) -> None:
    with AtomicJsonlWriter("/dev/null") as w:
        w.write(RECORDS[0])
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is still a device"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with AtomicJsonlWriter(fifo) as w:
        w.write(RECORDS[1])
    reader.join(10)
    assert got == [encode_line(RECORDS[1])]
    assert stat.S_ISFIFO(fifo.stat().st_mode) and _names(tmp_path) == ["pipe"]


def test_a_full_device_is_a_clear_error(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with pytest.raises(OutputWriteError, match=r"^/dev/full: cannot write: No space left on device$"):
        with AtomicJsonlWriter("/dev/full") as w:
            w.write(RECORDS[0])
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_is_valid_json_never_nan() -> None:
    line = encode_line({"id": "a", "x": float("nan"), "y": [float("inf")], "z": 1.5})
    assert b"NaN" not in line and b"Infinity" not in line
    assert json.loads(line, parse_constant=lambda c: pytest.fail(c)) == {
        "id": "a",
        "x": None,
        "y": [None],
        "z": 1.5,
    }


def test_undecodable_file_name_bytes_stay_distinct() -> None:
    a = os.fsdecode(b"dir/\xff.txt")
    b = os.fsdecode(b"dir/\xfe.txt")
    la, lb = encode_line({"id": a}), encode_line({"id": b})
    assert la != lb
    assert json.loads(la) == {"id": "dir/\\xff.txt"}
