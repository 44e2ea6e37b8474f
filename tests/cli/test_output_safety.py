"""Never destroy or replace a file the user did not ask to replace (issue 14; docs/reliability.md "Outputs").

Every case runs the real command in a subprocess. The inputs are small and `--profile minimal` keeps each
run cheap; the point is which files exist afterwards and what they hold.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _corpus_factory import REPO, arabic_sentence, jsonl_bytes, read_jsonl, run_cli

from arcorpus.cli.inputs import copy_bounded

FAST = ("--profile", "minimal", "-q", "--workers", "1")


def _corpus(tmp_path: Path, n: int = 3) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl_bytes([{"id": f"d{i}", "text": arabic_sentence(i)} for i in range(n)]))
    return src


def _listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


# --- an output that is an input, or another output: exit 2 before anything is read --------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda d, src: ["-o", src],
        lambda d, src: ["-o", d / "." / "in.jsonl"],
        lambda d, src: ["-o", d / "out.jsonl", "--rejects", src],
        lambda d, src: ["-o", d / "out.jsonl", "--report", src],
        lambda d, src: ["-o", d / "out.jsonl", "--rejects", d / "out.jsonl"],
        lambda d, src: ["-o", d / "out.jsonl", "--report", d / "out.jsonl"],
        lambda d, src: ["-o", d / "out.jsonl", "--rejects", d / "r.jsonl", "--report", d / "r.jsonl"],
        lambda d, src: ["-o", d / "link.jsonl"],  # a symbolic link to the input
        lambda d, src: ["-o", d / "hard.jsonl"],  # a hard link to the input
    ],
    ids=["o", "o-dot", "rejects", "report", "o=rejects", "o=report", "rejects=report", "symlink", "hardlink"],
)
def test_an_output_that_is_an_input_or_another_output_is_refused(make, tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    (tmp_path / "link.jsonl").symlink_to(src)
    os.link(src, tmp_path / "hard.jsonl")
    before = src.read_bytes()
    listing = _listing(tmp_path)
    proc = run_cli("clean", src, *make(tmp_path, src), *FAST)
    assert proc.returncode == 2, proc.stderr.decode()
    message = proc.stderr.decode()
    assert message.startswith("arcorpus: error: ") and message.count("\n") == 1, message
    assert "same file" in message or "is the input" in message
    assert src.read_bytes() == before
    assert _listing(tmp_path) == listing, "nothing was written"


def test_stdout_twice_is_refused(tmp_path: Path) -> None:
    proc = run_cli("clean", _corpus(tmp_path), "-o", "-", "--rejects", "-", *FAST)
    assert proc.returncode == 2 and b"same file" in proc.stderr


# --- output paths checked before the run ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-o", "{d}"], "is a directory"),
        (["-o", "{d}/missing/out.jsonl"], "does not exist (create it first)"),
        (["-o", "{d}/file/out.jsonl"], "is not a directory"),
        (["-o", "{d}/out.jsonl", "--report", "{d}/missing/r.json"], "does not exist"),
        (["-o", "{d}/out.jsonl", "--report", "{d}/file/r.json"], "is not a directory"),
        (["-o", "{d}/out.jsonl", "--report", "{d}"], "is a directory"),
        (["-o", "{d}/out.jsonl", "--rejects", "{d}/missing/r.jsonl"], "does not exist"),
        (["-o", "{d}/out.xyz"], "cannot write this format"),
        (["-o", "{d}/out.rar"], "cannot write this format"),
        (["-o", "{d}/out.jsonl", "--rejects", "{d}/r.txt"], "cannot write this format"),
    ],
)
def test_every_output_path_is_checked_before_the_run(args: list[str], says: str, tmp_path: Path) -> None:
    work = tmp_path / "w"
    work.mkdir()
    (work / "file").write_text("x", encoding="utf-8")
    src = _corpus(tmp_path)
    proc = run_cli("clean", src, *[a.format(d=work) for a in args], *FAST)
    assert proc.returncode == 2, proc.stderr.decode()
    message = proc.stderr.decode()
    assert says in message and message.count("\n") == 1, message
    assert ".tmp" not in message and "File exists" not in message and "Errno" not in message
    assert _listing(work) == ["file"], "nothing created, not even a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: a read-only directory is still writable")
def test_a_read_only_directory_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        proc = run_cli("clean", _corpus(tmp_path), "-o", ro / "o.jsonl", *FAST)
    finally:
        ro.chmod(0o755)
    assert proc.returncode == 2 and b"permission denied" in proc.stderr


def test_unsupported_input_names_are_a_usage_error(tmp_path: Path) -> None:
    odd = tmp_path / "x.xyz"
    odd.write_text("[1, 2]", encoding="utf-8")
    proc = run_cli("clean", odd, "-o", tmp_path / "o.jsonl", *FAST)
    assert proc.returncode == 2
    message = proc.stderr.decode()
    assert "x.xyz: arcorpus cannot read this format" in message and ".jsonl" in message and ".txt" in message
    assert not (tmp_path / "o.jsonl").exists()


# --- special files are written straight through ------------------------------------------------------


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    proc = run_cli("clean", _corpus(tmp_path), "-o", "/dev/null", "--rejects", "/dev/null", *FAST)
    assert proc.returncode == 0, proc.stderr.decode()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_fd_output_is_written_through_a_pipe(tmp_path: Path) -> None:
    """``-o >(gzip > x.gz)`` passes ``/dev/fd/N``: a pipe, written to directly."""
    src = _corpus(tmp_path)
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arcorpus.cli", "clean", str(src), "-o", f"/dev/fd/{write_end}",
         "--rejects", str(tmp_path / "r.jsonl"), *FAST],
        pass_fds=(write_end,),
        cwd=REPO,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert [json.loads(line)["id"] for line in data.splitlines()] == ["d0", "d1", "d2"]
    assert not list(tmp_path.glob(".*.tmp"))


# --- the run's own files are not inputs ---------------------------------------------------------------


def test_output_inside_the_input_directory_is_not_read_back(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i}.txt").write_text(arabic_sentence(i), encoding="utf-8")
    (corpus / "bad.jsonl").write_bytes(b"not json\n")
    out, report = corpus / "clean.jsonl", corpus / "report.json"
    counts = []
    for _ in range(2):
        proc = run_cli("clean", corpus, "-o", out, "--report", report, *FAST)
        assert proc.returncode == 3, proc.stderr.decode()
        summary = json.loads(report.read_text(encoding="utf-8"))
        counts.append((summary["documents_in"], summary["documents_out"], summary["rejected"]))
    assert counts == [(4, 3, 1), (4, 3, 1)], "the second run did not read its previous output back in"
    skipped = {Path(s["path"]).name: s["reason"] for s in summary["skipped_files"]}
    assert set(skipped) == {"clean.jsonl", "clean.rejects.jsonl", "report.json"}
    assert all("own output" in reason for reason in skipped.values())


def test_resume_work_directory_inside_the_input_is_not_read() -> None:
    import tempfile

    from arcorpus.io.outputs import own_files
    from arcorpus.io.readers import expand_inputs

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
        work = root / "out.jsonl.resume"
        work.mkdir()
        (work / "shard-000000.jsonl").write_text("{}\n", encoding="utf-8")
        skipped: list[tuple[str, str]] = []
        files = expand_inputs([root], lambda p, r: skipped.append((p, r)), own_files([work]))
        assert [f.name for f in files] == ["a.jsonl"]
        assert skipped == [(str(work), "this run's own work directory")]


# --- commit all or nothing; no temporary file left ----------------------------------------------------


def test_a_failure_at_commit_time_replaces_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk during the final flush (of the rejects file, after the output finished): exit 1, the
    old output, rejects and report are left as they were, and no temporary file remains."""
    import errno

    from arcorpus.cli import main

    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl_bytes([{"id": "a", "text": arabic_sentence(1)}]) + b"not json\n")
    out, rejects, report = tmp_path / "o.jsonl", tmp_path / "o.rejects.jsonl", tmp_path / "r.json"
    for path in (out, rejects, report):
        path.write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the output is complete; the rejects file hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code = main(["clean", str(src), "-o", str(out), "--report", str(report), *FAST])
    assert code == 1 and len(calls) == 2
    for path in (out, rejects, report):
        assert path.read_text(encoding="utf-8") == "old\n", path
    assert _listing(tmp_path) == ["in.jsonl", "o.jsonl", "o.rejects.jsonl", "r.json"]


def test_files_follow_the_umask_and_keep_an_existing_mode(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    out = tmp_path / "o.jsonl"
    old = os.umask(0o002)
    try:
        proc = run_cli("clean", src, "-o", out, "--report", tmp_path / "r.json", *FAST)
    finally:
        os.umask(old)
    assert proc.returncode == 0, proc.stderr.decode()
    for name in ("o.jsonl", "o.rejects.jsonl", "r.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o664, name
    out.chmod(0o640)
    assert run_cli("clean", src, "-o", out, *FAST).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# --- spools of stdin and pipes -------------------------------------------------------------------------


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmp)}


def test_the_stdin_spool_is_never_on_disk(tmp_path: Path) -> None:
    """Unlinked as soon as it is created: nothing in TMPDIR while spooling, after exit 2, or after
    SIGKILL."""
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arcorpus.cli", "clean", "-", "-o", str(tmp_path / "o.jsonl"), *FAST],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=_env(spool_dir),
    )
    assert proc.stdin is not None
    proc.stdin.write(jsonl_bytes([{"id": "a", "text": arabic_sentence(1)}]) * 2000)
    proc.stdin.flush()
    time.sleep(1.5)  # spooling has started (the import and the copy of what was written)
    assert _listing(spool_dir) == []
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdin.close()
    proc.stderr.close()  # type: ignore[union-attr]
    assert _listing(spool_dir) == []
    # exit 2 after spooling (a second input that does not exist)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "arcorpus.cli",
            "clean",
            "-",
            "missing.jsonl",
            "-o",
            str(tmp_path / "o.jsonl"),
        ],
        input=b'{"text": "x"}\n',
        capture_output=True,
        cwd=REPO,
        env=_env(spool_dir),
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and _listing(spool_dir) == []


def test_dev_zero_does_not_fill_tmpdir(tmp_path: Path) -> None:
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    out = tmp_path / "o.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "arcorpus.cli", "clean", "/dev/zero", "-o", str(out), *FAST],
        capture_output=True,
        cwd=REPO,
        env=_env(spool_dir),
        timeout=60,
        check=False,
    )
    assert done.returncode == 3, done.stderr.decode()
    assert [r["reason"] for r in read_jsonl(tmp_path / "o.rejects.jsonl")] == ["binary_file"]
    assert _listing(spool_dir) == []


def test_a_spool_holds_at_most_max_record_bytes_of_a_line(tmp_path: Path) -> None:
    import io

    long_line = b'{"text": "' + b"a" * 5_000_000 + b'"}\n'
    data = b'{"text": "first"}\n' + long_line + b'{"text": "last"}\n'
    target = io.BytesIO()
    copy_bounded(io.BytesIO(data), target, 1000)
    lines = target.getvalue().split(b"\n")
    assert lines[0] == b'{"text": "first"}' and lines[2] == b'{"text": "last"}'
    assert len(lines[1]) == 1001, "the long line is cut just past the limit (the reader rejects it)"
    proc = run_cli("clean", "-", "-o", tmp_path / "o.jsonl", "--max-record-bytes", "1000", *FAST, stdin=data)
    assert proc.returncode == 3
    assert [r["reason"] for r in read_jsonl(tmp_path / "o.rejects.jsonl")] == ["record_too_large"]
    assert [r["text"] for r in read_jsonl(tmp_path / "o.jsonl")] == ["first", "last"]


@pytest.mark.parametrize("command", ["learn", "variants"])
def test_other_commands_check_their_output_too(command: str, tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    before = src.read_bytes()
    proc = run_cli(command, src, "-o", src)
    assert proc.returncode == 2 and b"is the input" in proc.stderr, proc.stderr.decode()
    assert src.read_bytes() == before
    proc = run_cli(command, src, "-o", tmp_path / "missing" / "x.json")
    assert proc.returncode == 2 and b"does not exist" in proc.stderr, proc.stderr.decode()
