"""The ``arcorpus`` command through a real subprocess: formats, explain, exit codes, determinism."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
import zstandard
from _corpus_factory import REPO, arabic_sentence, jsonl_bytes, read_jsonl, run_cli, seed_documents

from arcorpus.cli import main


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "out.jsonl"
    proc = run_cli("clean", "seeds/", "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    return out


def test_clean_seeds_writes_five_records(seeds_out: Path) -> None:
    records = read_jsonl(seeds_out)
    assert len(records) == 5
    assert [r["id"] for r in records] == [d["id"] for d in seed_documents()]
    assert all(r["text"].strip() for r in records)


def test_summary_on_stderr(tmp_path: Path) -> None:
    proc = run_cli("clean", "seeds/", "-o", tmp_path / "o.jsonl")
    err = proc.stderr.decode()
    assert "documents in 5: out 5, duplicates 0, rejected 0" in err
    assert "skipped" in err and "README.md" in err  # seeds/README.md is not an input, and says so


def test_default_output_is_stdout_jsonl() -> None:
    proc = run_cli("clean", "seeds/", "-q")
    assert proc.returncode == 0
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 5 and all(json.loads(line)["text"] for line in lines)


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "jsonl.zst", "stdin"])
def test_every_input_format_gives_identical_output(fmt: str, seeds_out: Path, tmp_path: Path) -> None:
    payload = jsonl_bytes(seed_documents())
    out = tmp_path / "out.jsonl"
    if fmt == "stdin":
        proc = run_cli("clean", "-", "-o", out, stdin=payload)
    else:
        src = tmp_path / f"seeds.{fmt}"
        if fmt.endswith(".gz"):
            payload = gzip.compress(payload)
        elif fmt.endswith(".zst"):
            payload = zstandard.ZstdCompressor().compress(payload)
        src.write_bytes(payload)
        proc = run_cli("clean", src, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes() == seeds_out.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_output_by_extension(suffix: str, tmp_path: Path, seeds_out: Path) -> None:
    """Compressed by extension; the bytes are reproducible (see test_io_writers), the content the same."""
    out = tmp_path / f"o{suffix}"
    assert run_cli("clean", "seeds/", "-o", out, "-q").returncode == 0
    data = out.read_bytes()
    raw = (
        gzip.decompress(data)
        if suffix.endswith("gz")
        else zstandard.ZstdDecompressor().decompressobj().decompress(data)
    )
    assert raw == seeds_out.read_bytes()


def test_output_is_byte_identical_across_runs_and_workers(seeds_out: Path, tmp_path: Path) -> None:
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        assert run_cli("clean", "seeds/", "-o", out, "--workers", workers, "-q").returncode == 0
        assert out.read_bytes() == seeds_out.read_bytes()


def test_explain_flag_adds_changes(tmp_path: Path) -> None:
    src = tmp_path / "d.txt"
    src.write_text("\n\n" + arabic_sentence(1) + "  \n\n\n" + arabic_sentence(2) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert run_cli("clean", src, "-o", out, "--explain", "-q").returncode == 0
    (record,) = read_jsonl(out)
    changes = record["arcorpus"]["changes"]  # what arcorpus adds is under "arcorpus" (issue 14)
    assert changes, "the empty lines removed must be explained"
    assert {"step", "rule", "action"} <= set(changes[0])
    assert all(c["rule"].startswith(c["step"] + ".") for c in changes)


def test_explain_command_shows_changes(tmp_path: Path) -> None:
    src = tmp_path / "d.txt"
    src.write_text(arabic_sentence(1) + "\n\n\n" + arabic_sentence(2) + "\n", encoding="utf-8")
    proc = run_cli("explain", src, "--show-text")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert "document " in out and "change(s)" in out
    assert "[whitespace]" in out and "whitespace.empty_lines" in out
    assert arabic_sentence(2) in out


def test_explain_unknown_id_is_a_usage_error() -> None:
    proc = run_cli("explain", "seeds/", "--id", "no-such-document")
    assert proc.returncode == 2 and b"no document" in proc.stderr


def test_legacy_encodings_are_read_and_recorded(tmp_path: Path) -> None:
    text = arabic_sentence(5) + "\n" + arabic_sentence(6)
    (tmp_path / "a_cp1256.txt").write_bytes(text.encode("cp1256"))
    (tmp_path / "b_utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "c_utf16le.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "d_utf16be.txt").write_bytes(text.encode("utf-16-be"))
    (tmp_path / "e_utf8sig.txt").write_bytes(text.encode("utf-8-sig"))
    out = tmp_path / "out.jsonl"
    proc = run_cli("clean", tmp_path, "-o", out, "--dedup", "none", "--no-site-lines", "-q")
    assert proc.returncode == 0, proc.stderr.decode()
    records = read_jsonl(out)
    encodings = [r["arcorpus"]["encoding"] for r in records]
    assert encodings == ["windows-1256", "utf-16", "utf-16", "utf-16", "utf-8-sig"]
    import arcorpus

    assert all(r["text"] == arcorpus.clean(text) for r in records)


def test_bad_file_gives_a_message_a_reject_and_exit_3(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(arabic_sentence(1), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 cr\xe8me \x80 br\xfbl\xe9e")
    (tmp_path / "lines.jsonl").write_bytes(b'{"id": "j1", "text": "x y"}\nnot json\n')
    out = tmp_path / "out" / "o.jsonl"
    out.parent.mkdir()
    proc = run_cli("clean", tmp_path, "-o", out)
    assert proc.returncode == 3
    assert b"lines.jsonl:2" in proc.stderr and b"malformed_json" in proc.stderr
    assert sorted(r["id"] for r in read_jsonl(out)) == [(tmp_path / "good").as_posix(), "j1"]
    rejects = read_jsonl(out.with_name("o.rejects.jsonl"))
    assert sorted((r["reason"], r["line"]) for r in rejects) == [("invalid_utf8", 0), ("malformed_json", 2)]


def test_rejects_path_option_and_stdout_output(tmp_path: Path) -> None:
    payload = b'{"id": "a", "text": "x"}\n[1]\n'
    proc = run_cli("clean", "-", "--rejects", tmp_path / "r.jsonl", "-q", stdin=payload)
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["id"] == "a"
    (reject,) = read_jsonl(tmp_path / "r.jsonl")
    assert reject == {
        "reason": "not_an_object",
        "message": "-:2: expected a JSON object, got an array",
        "source": "-",
        "line": 2,
    }


def test_report_file(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert run_cli("clean", "seeds/", "-o", tmp_path / "o.jsonl", "--report", report, "-q").returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents_in"] == data["documents_out"] == 5 and data["reconciled"]
    assert data["config"]["profile"] == "standard"


def test_text_and_id_field_options(tmp_path: Path) -> None:
    src = tmp_path / "x.jsonl"
    src.write_bytes(jsonl_bytes([{"key": "k1", "body": arabic_sentence(1), "url": "u"}]))
    proc = run_cli("clean", src, "--text-field", "body", "--id-field", "key", "-q")
    assert proc.returncode == 0
    record = json.loads(proc.stdout)
    # the record keeps the input's field names (issue 14): no "id"/"text" added next to them
    assert (record["key"], record["url"]) == ("k1", "u") and record["body"]
    assert set(record) == {"key", "body", "url"}


# --- exit codes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("clean", "no-such-input.txt"),
        ("clean", "seeds/", "--profile", "nonsense"),
        ("clean", "seeds/", "--no-such-flag"),
        ("clean", "seeds/", "--dedup", "fuzzy"),
        ("clean", "seeds/", "--workers", "0"),
        ("nonsense-command",),
    ],
)
def test_usage_errors_exit_2(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In-process (the same `main` the entry point calls) to keep the suite fast; argparse exits with 2."""
    argv = [*args, "-o", str(tmp_path / "o.jsonl")] if args[0] == "clean" else list(args)
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err
    assert not (tmp_path / "o.jsonl").exists()


def test_usage_error_exit_2_through_the_real_command(tmp_path: Path) -> None:
    proc = run_cli("clean", "no-such-input.txt", "-o", tmp_path / "o.jsonl")
    assert proc.returncode == 2 and b"no such file" in proc.stderr


def test_bad_config_file_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('dedup = "fuzzy"\n', encoding="utf-8")
    proc = run_cli("clean", "seeds/", "--config", cfg, "-o", tmp_path / "o.jsonl")
    assert proc.returncode == 2 and b"c.toml" in proc.stderr and b"dedup" in proc.stderr


def test_unusable_output_path_exits_2_before_reading(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    proc = run_cli("clean", "seeds/", "-o", blocker / "sub" / "o.jsonl")
    assert proc.returncode == 2
    assert b"arcorpus: error" in proc.stderr and b"Traceback" not in proc.stderr


def test_unwritable_output_exits_1(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    proc = run_cli("clean", "seeds/", "-o", "/dev/full", "--rejects", tmp_path / "r.jsonl", "-q")
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "arcorpus: error: /dev/full: cannot write: No space left on device"
    assert list(tmp_path.iterdir()) == [], "nothing committed, no temporary file left"


def test_config_toml_applies(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('profile = "minimal"\n[clean]\ndedup = "none"\n', encoding="utf-8")
    report = tmp_path / "r.json"
    assert (
        run_cli("clean", "seeds/", "--config", cfg, "-o", tmp_path / "o.jsonl", "--report", report).returncode
        == 0
    )
    config = json.loads(report.read_text(encoding="utf-8"))["config"]
    assert config["profile"] == "minimal" and config["dedup"] == "none"


def test_help() -> None:
    proc = run_cli("clean", "--help")
    assert proc.returncode == 0 and b"--resume" in proc.stdout and b"--fix-encoding" in proc.stdout


def test_broken_pipe_is_not_an_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    big = tmp_path / "big.jsonl"
    big.write_bytes(jsonl_bytes([{"id": str(i), "text": arabic_sentence(i)} for i in range(3000)]))
    cmd = f"{sys.executable} -m arcorpus.cli clean {big} -q --dedup none | head -n 1"
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd], capture_output=True, cwd=REPO, timeout=300, check=False
    )
    assert b"Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 1


def test_process_substitution_input_is_spooled(seeds_out: Path, tmp_path: Path) -> None:
    """``arcorpus clean <(zcat x.jsonl.gz)``: a pipe can be read only once, so it is spooled like stdin."""
    import subprocess
    import sys

    src = tmp_path / "seeds.jsonl.gz"
    src.write_bytes(gzip.compress(jsonl_bytes(seed_documents())))
    out = tmp_path / "o.jsonl"
    cmd = f"{sys.executable} -m arcorpus.cli clean <(zcat {src}) -o {out} -q"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, cwd=REPO, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes() == seeds_out.read_bytes()


def test_help_is_plain_text_with_the_defaults() -> None:
    """What a terminal shows: no reST/Markdown backticks, each cleaning flag with its default (the
    standard profile's value), every profile listed, numbers as N / X instead of the option's name."""
    from arcorpus.cli import build_parser
    from arcorpus.config import PROFILES

    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, command in sub.items():
        text = command.format_help()
        assert "`" not in text, f"arcorpus {name} --help shows backticks"
    clean = sub["clean"]
    group = next(g for g in clean._action_groups if g.title and g.title.startswith("cleaning options"))
    for action in group._group_actions:
        if action.dest not in ("profile", "config"):
            assert action.help and "[standard: " in action.help, action.dest
            assert action.metavar is None or action.metavar in ("N", "X", "PATH"), action.metavar
    profile = next(a for a in group._group_actions if a.dest == "profile")
    assert profile.help and all(p in profile.help for p in PROFILES)
