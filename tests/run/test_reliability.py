"""Issue 8: hostile and broken input, interrupted runs, nothing lost (see docs/reliability.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from _corpus_factory import REPO, arabic_sentence, build_bad_corpus, jsonl_bytes, read_jsonl, run_cli

from arcorpus.io.paths import safe_filename

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("bad")
    corpus = build_bad_corpus(root / "in", unreadable=not IS_ROOT)
    out = root / "out" / "clean.jsonl"
    report = root / "out" / "report.json"
    out.parent.mkdir()
    proc = run_cli("clean", corpus.root, "-o", out, "--report", report, "--max-record-bytes", "10000")
    yield corpus, out, report, proc
    locked = corpus.root / "s_locked.txt"
    if locked.exists():
        locked.chmod(0o644)


def test_every_kind_of_bad_record_is_rejected_with_its_reason(bad_run) -> None:
    corpus, out, _, proc = bad_run
    assert proc.returncode == 3, proc.stderr.decode()
    rejects = read_jsonl(out.with_name("clean.rejects.jsonl"))
    assert Counter(r["reason"] for r in rejects) == Counter(corpus.expected_rejects)


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not stop root from reading")
def test_unreadable_files_and_directories_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(arabic_sentence(1), encoding="utf-8")
    (tmp_path / "locked.txt").write_text(arabic_sentence(2), encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(arabic_sentence(3), encoding="utf-8")
    (tmp_path / "sub").chmod(0)
    try:
        proc = run_cli("clean", tmp_path, "-o", tmp_path / "o.jsonl", "-q")
    finally:
        (tmp_path / "locked.txt").chmod(0o644)
        (tmp_path / "sub").chmod(0o755)
    assert proc.returncode == 3
    reasons = sorted(r["reason"] for r in read_jsonl(tmp_path / "o.rejects.jsonl"))
    assert reasons == ["unreadable_file", "unreadable_file"]


def test_rejects_say_where_and_why(bad_run) -> None:
    corpus, out, _, proc = bad_run
    rejects = read_jsonl(out.with_name("clean.rejects.jsonl"))
    for r in rejects:
        assert r["message"] and r["reason"] and r["source"].startswith(str(corpus.root)), r
        assert isinstance(r["line"], int)
    by_reason = {r["reason"]: r for r in rejects}
    bag = by_reason["malformed_json"]
    assert bag["source"].endswith("m_mixed_bag.jsonl") and bag["line"] == 6
    assert f"m_mixed_bag.jsonl:{bag['line']}" in bag["message"]
    # the first rejects are also told on stderr, with file and line
    assert "m_mixed_bag.jsonl:6" in proc.stderr.decode()


def test_the_summary_reconciles(bad_run) -> None:
    corpus, out, report_path, _ = bad_run
    report = json.loads(report_path.read_text(encoding="utf-8"))
    kept = read_jsonl(out)
    rejects = read_jsonl(out.with_name("clean.rejects.jsonl"))
    assert report["reconciled"] is True
    assert report["documents_in"] == report["documents_out"] + report["duplicates"] + report["rejected"]
    assert report["documents_out"] == len(kept)
    assert report["rejected"] == len(rejects)
    ids = [d["id"] for d in kept]
    assert len(ids) == len(set(ids))
    # the records of the truncated gzip before the break are kept, in order, with no gap
    gz = [int(i.split("-")[1]) for i in ids if i.startswith("gz-")]
    assert gz == list(range(len(gz))) and len(gz) > 50
    assert report["duplicates"] == 0
    assert report["documents_out"] == corpus.good + len(gz)
    assert [s["path"].rsplit("/", 1)[-1] for s in report["skipped_files"]] == corpus.skipped


def test_good_documents_survive_next_to_bad_ones(bad_run) -> None:
    _, out, _, _ = bad_run
    kept = {d["id"].rsplit("/", 1)[-1]: d for d in read_jsonl(out)}
    assert kept["b_cp1256"]["arcorpus"]["encoding"] == "windows-1256"
    assert kept["c_utf16_bom"]["arcorpus"]["encoding"] == "utf-16"
    assert kept["d_utf16le_nobom"]["arcorpus"]["encoding"] == "utf-16"
    for name, seeds in (("b_cp1256", (3, 4)), ("c_utf16_bom", (5,)), ("d_utf16le_nobom", (6,))):
        text = kept[name]["text"]  # decoded right: Arabic letters, as many as written (steps may re-space)
        assert all("\u0600" <= c <= "\u06ff" or c.isspace() for c in text), name
        expected = "".join(arabic_sentence(s) for s in seeds)
        assert abs(len(text.replace(" ", "").replace("\n", "")) - len(expected.replace(" ", ""))) <= 3, name
    assert "\ufffd" in kept["surrogate"]["text"]
    assert {"ok-0", "ok-4", "deep-ok", "zst-ok", "j_nul", "a_good"} <= set(kept)


def test_output_is_identical_across_runs_and_worker_counts(bad_run, tmp_path: Path) -> None:
    corpus, out, _, _ = bad_run
    for workers in ("1", "2"):
        again = tmp_path / f"w{workers}.jsonl"
        proc = run_cli(
            "clean", corpus.root, "-o", again, "--workers", workers, "--max-record-bytes", "10000", "-q"
        )
        assert proc.returncode == 3, proc.stderr.decode()
        assert again.read_bytes() == out.read_bytes()
        assert (
            again.with_name(f"w{workers}.rejects.jsonl").read_bytes()
            == out.with_name("clean.rejects.jsonl").read_bytes()
        )


def test_bad_input_never_gives_a_traceback(bad_run) -> None:
    _, _, _, proc = bad_run
    assert b"Traceback" not in proc.stderr


# --- enormous records ---------------------------------------------------------------------------------


def test_enormous_line_is_rejected_and_the_rest_processed(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    with open(src, "wb") as fh:
        fh.write(jsonl_bytes([{"id": "a", "text": arabic_sentence(1)}]))
        fh.write(b'{"id": "huge", "text": "' + b"x" * 3_000_000 + b'"}\n')
        fh.write(jsonl_bytes([{"id": "b", "text": arabic_sentence(2)}]))
    proc = run_cli("clean", src, "-o", tmp_path / "out.jsonl", "--max-record-bytes", "100000")
    assert proc.returncode == 3
    assert [d["id"] for d in read_jsonl(tmp_path / "out.jsonl")] == ["a", "b"]
    (reject,) = read_jsonl(tmp_path / "out.rejects.jsonl")
    assert reject["reason"] == "record_too_large" and reject["line"] == 2


@pytest.mark.slow
def test_100mb_line_is_rejected_in_bounded_memory(tmp_path: Path) -> None:
    """A single 100 MB line with the default 64 MiB limit: rejected, peak memory well under 1 GB."""
    src = tmp_path / "huge.jsonl"
    with open(src, "wb") as fh:
        fh.write(b'{"id": "huge", "text": "')
        chunk = b"y" * (1 << 20)
        for _ in range(100):
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(jsonl_bytes([{"id": "after", "text": arabic_sentence(3)}]))
    code = (
        "import resource, sys; from arcorpus.cli import main; rc = main(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "clean",
            str(src),
            "-o",
            str(tmp_path / "o.jsonl"),
            "-q",
            "--dedup",
            "none",
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr.decode()
    peak_kib = int(proc.stdout.split()[-1])
    assert peak_kib < 1_000_000, f"peak RSS {peak_kib} KiB"
    assert [d["id"] for d in read_jsonl(tmp_path / "o.jsonl")] == ["after"]


# --- interrupted runs -----------------------------------------------------------------------------------


def _big_input(path: Path, n: int = 6000) -> Path:
    lines = [arabic_sentence(k, 30) for k in range(400)]
    with open(path, "wb") as fh:
        for i in range(n):
            text = "\n".join([lines[i % 400], lines[(i * 7 + 1) % 400], lines[(i * 13 + 2) % 400], f"{i}"])
            fh.write(json.dumps({"id": f"doc-{i:05d}", "text": text}, ensure_ascii=False).encode() + b"\n")
    return path


def _start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "arcorpus.cli", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the run to make progress")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_input(tmp_path_factory.mktemp("big") / "big.jsonl")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_leaves_no_output_that_looks_complete(big_input: Path, tmp_path: Path, sig) -> None:
    out = tmp_path / "out.jsonl"
    proc = _start("clean", big_input, "-o", out, "--dedup", "exact")
    # wait until the temporary output exists: the run is writing
    _wait_for(
        lambda: any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()) or proc.poll() is not None
    )
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not out.exists(), "an interrupted run must not leave the output file"
    assert not (tmp_path / "out.rejects.jsonl").exists()
    if sig != signal.SIGKILL:
        assert b"interrupted" in proc.stderr.read()  # type: ignore[union-attr]
        assert proc.returncode == 1
        assert [p.name for p in tmp_path.iterdir()] == [], "temporary files are removed on SIGINT/SIGTERM"


def test_resume_after_kill_continues_without_redoing_or_duplicating(big_input: Path, tmp_path: Path) -> None:
    reference = tmp_path / "ref.jsonl"
    proc = run_cli("clean", big_input, "-o", reference, "-q", "--dedup", "exact")
    assert proc.returncode == 0, proc.stderr.decode()

    out = tmp_path / "out.jsonl"
    work = tmp_path / "out.jsonl.resume"
    args = ("clean", big_input, "-o", out, "--dedup", "exact", "--resume", "--shard-size", "500", "-q")
    proc = _start(*args)
    _wait_for(lambda: len(list(work.glob("shard-*.jsonl"))) >= 2 or proc.poll() is not None)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    proc.kill()
    proc.wait(timeout=60)
    assert not out.exists()
    done_before = sorted(p.name for p in work.glob("shard-*.jsonl"))
    assert done_before and (work / "manifest.json").exists()

    report = tmp_path / "report.json"
    proc = run_cli(*args, "--report", report)
    assert proc.returncode == 0, proc.stderr.decode()
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["resumed_shards"] == len(done_before)
    assert summary["documents_in"] == 6000 and summary["reconciled"]
    assert out.read_bytes() == reference.read_bytes(), "a resumed run gives exactly the uninterrupted output"
    assert not work.exists(), "the work directory is removed once the output is committed"


def test_resume_refuses_a_work_dir_from_different_inputs(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl_bytes([{"id": str(i), "text": arabic_sentence(i)} for i in range(10)]))
    work = tmp_path / "work"
    work.mkdir()
    (work / "manifest.json").write_text('{"arcorpus": "0", "inputs": []}', encoding="utf-8")
    proc = run_cli("clean", src, "-o", tmp_path / "out.jsonl", "--resume", "--work-dir", work)
    assert proc.returncode == 2
    assert b"different" in proc.stderr and b"delete it" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_resume_with_every_shard_done_only_assembles(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl_bytes([{"id": str(i), "text": arabic_sentence(i)} for i in range(30)]))
    out = tmp_path / "out.jsonl"
    plain = run_cli("clean", src, "-o", tmp_path / "plain.jsonl", "-q")
    assert plain.returncode == 0
    proc = run_cli("clean", src, "-o", out, "--resume", "--shard-size", "7", "-q", "--workers", "2")
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes() == (tmp_path / "plain.jsonl").read_bytes()


def test_resume_needs_files(tmp_path: Path) -> None:
    proc = run_cli("clean", "-", "-o", tmp_path / "o.jsonl", "--resume", stdin=b"")
    assert proc.returncode == 2 and b"--resume" in proc.stderr


# --- safe paths -----------------------------------------------------------------------------------------

HOSTILE_IDS = [
    "../../escape",
    "/etc/passwd",
    "a/../../b",
    "..",
    ".",
    "",
    "CON",
    "nul.txt",
    "x\x00y",
    "\N{ARABIC LETTER AIN}/../x",
    "a" * 400,
    "~root",
    "C:\\windows\\system32",
    ".hidden",
]


def test_hostile_ids_never_become_paths(tmp_path: Path) -> None:
    """No output mode turns an id into a path: only the named output, rejects and report files appear."""
    src = tmp_path / "in" / "in.jsonl"
    src.parent.mkdir()
    src.write_bytes(jsonl_bytes([{"id": i, "text": arabic_sentence(n)} for n, i in enumerate(HOSTILE_IDS)]))
    out_dir = tmp_path / "out"
    out_dir.mkdir()  # arcorpus never creates directories (issue 14)
    for extra in ((), ("--resume", "--shard-size", "3")):
        proc = run_cli("clean", src, "-o", out_dir / "o.jsonl", "--report", out_dir / "r.json", *extra)
        assert proc.returncode == 0, proc.stderr.decode()
        assert sorted(p.name for p in out_dir.iterdir()) == ["o.jsonl", "o.rejects.jsonl", "r.json"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
        assert [d["id"] for d in read_jsonl(out_dir / "o.jsonl")] == HOSTILE_IDS


@pytest.mark.parametrize("doc_id", HOSTILE_IDS)
def test_safe_filename_stays_inside_the_directory(doc_id: str, tmp_path: Path) -> None:
    name = safe_filename(doc_id, suffix=".txt")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name not in ("", ".", "..")
    assert len(name.encode("utf-8")) <= 255
    target = (tmp_path / name).resolve()
    assert target.parent == tmp_path.resolve()
    target.write_text("ok", encoding="utf-8")  # the name is usable on this file system


def test_safe_filename_is_injective_enough() -> None:
    names = [safe_filename(i) for i in [*HOSTILE_IDS, "a/b", "a_b", "a?b"]]
    assert len(set(names)) == len(names)
    assert safe_filename("plain-id_1") == "plain-id_1"


# --- a step that fails on one document does not end the run ------------------------------------------


class _Boom:
    name = "boom"

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        if "boom" in doc.text:
            raise ValueError("cannot handle this document")
        return doc


def test_a_failing_step_rejects_one_document_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from arcorpus.config import CleanConfig
    from arcorpus.document import Document
    from arcorpus.run import local as pipeline
    from arcorpus.run import plan

    monkeypatch.setattr(plan, "build_steps", lambda config, models: (_Boom(),))
    docs = [
        Document(id=str(i), text=t, origin="in.jsonl", origin_line=i + 1)
        for i, t in enumerate(["a", "boom", "c"])
    ]
    outcomes = list(pipeline.run(lambda: docs, CleanConfig(dedup="none"), models={}))
    assert [o.kind for o in outcomes] == ["kept", "rejected", "kept"]
    reject = outcomes[1].reject
    assert reject is not None and reject.reason == "step_failed" and reject.line == 2
    assert "step boom failed: ValueError: cannot handle this document" in reject.message


def _late_worker(marker: str) -> None:
    time.sleep(0.5)  # the parent dies meanwhile, before this worker asks to die with it
    from arcorpus.run.pool import _die_with_parent

    _die_with_parent()
    Path(marker).write_text("survived its parent", encoding="utf-8")


def _short_lived_parent(marker: str) -> None:
    import multiprocessing

    multiprocessing.get_context("fork").Process(target=_late_worker, args=(marker,)).start()
    os._exit(0)  # gone at once: the worker is orphaned before its initializer runs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux-only")
def test_a_worker_orphaned_before_it_set_up_exits_instead_of_waiting_forever(tmp_path: Path) -> None:
    """Found in a run interrupted while its pool started: a worker whose parent died between the fork
    and its prctl(PR_SET_PDEATHSIG) never got the signal and waited on the task queue for ever."""
    import multiprocessing

    marker = tmp_path / "marker"
    parent = multiprocessing.get_context("fork").Process(target=_short_lived_parent, args=(str(marker),))
    parent.start()
    parent.join(10)
    time.sleep(1.5)
    assert not marker.exists(), "the orphaned worker went on running"
