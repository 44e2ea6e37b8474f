"""Never drop or change a document silently; say what is wrong in the user's terms (issue 14).

The command line end to end, on small inputs: ids and fields as the input had them, valid JSON, every input
document in the output or the rejects file, exit codes, usage errors, option ranges, help.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus_factory import REPO, arabic_sentence, jsonl_bytes, read_jsonl, run_cli

from arcorpus.config import CleanConfig, ConfigError

FAST = ("--profile", "minimal", "-q", "--workers", "1")
EMPTIED = "\n".join(["عاجل", "إضافة تعليق جديد"])
"""A document every line of which is boilerplate (a breaking-news tag, a comment prompt)."""


def _lines(path: Path) -> list[dict]:
    def no_constant(name: str) -> None:
        raise AssertionError(f"{name} in the output is not JSON (RFC 8259)")

    return [json.loads(line, parse_constant=no_constant) for line in path.read_bytes().splitlines()]


# --- ids keep their JSON type; output is valid JSON ------------------------------------------------


def test_ids_keep_their_json_type_and_numbers_stay_valid_json(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": 1, "text": "one"}\n{"id": "1", "text": "two"}\n{"id": true, "text": "three"}\n'
        b'{"id": 2.5, "text": "four"}\n{"id": null, "text": "five"}\n{"id": {"a": 1}, "text": "six"}\n'
        b'{"id": "n", "text": "seven", "score": NaN}\n{"id": "big", "text": "eight", "x": 1e400}\n'
        b'{"id": "ok", "text": "nine", "x": 1e300}\n'
    )
    out = tmp_path / "o.jsonl"
    proc = run_cli("clean", src, "-o", out, *FAST)
    assert proc.returncode == 3, proc.stderr.decode()
    ids = [r["id"] for r in _lines(out)]
    assert ids == [1, "1", True, 2.5, f"{src}:5", "ok"]
    assert [type(i) for i in ids[:4]] == [int, str, bool, float]
    rejects = {r["line"]: r["reason"] for r in _lines(out.with_name("o.rejects.jsonl"))}
    assert rejects == {6: "invalid_id", 7: "invalid_number", 8: "invalid_number"}


def test_dropped_duplicates_are_listed_with_the_id_they_duplicate(tmp_path: Path) -> None:
    text = arabic_sentence(5, words=30)
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        jsonl_bytes(
            [{"id": 1, "text": text}, {"id": "1", "text": text}, {"id": 3, "text": arabic_sentence(9)}]
        )
    )
    out = tmp_path / "o.jsonl"
    proc = run_cli("clean", src, "-o", out, "--dedup", "exact", *FAST)
    assert proc.returncode == 0, proc.stderr.decode()
    assert [r["id"] for r in _lines(out)] == [1, 3]
    (dup,) = _lines(out.with_name("o.rejects.jsonl"))
    assert dup["reason"] == "duplicate" and dup["id"] == "1" and dup["duplicate_of"] == 1
    assert (dup["source"], dup["line"]) == (str(src), 2) and dup["cluster_id"].startswith("dup-")


# --- input fields are never overwritten ------------------------------------------------------------


def test_input_fields_are_kept_and_arcorpus_adds_under_its_own_key(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    record = {
        "url": "u1",
        "body": "زار الرئيس بوتين بيونج يانج",
        "id": "input-id",
        "text": "a summary",
        "entities": "input entities",
        "date": "input date",
        "cluster_id": 7,
    }
    src.write_bytes(jsonl_bytes([record]))
    out = tmp_path / "o.jsonl"
    proc = run_cli(
        "clean", src, "-o", out, "--text-field", "body", "--id-field", "url", "-q", "--workers", "1"
    )
    assert proc.returncode == 0, proc.stderr.decode()
    (got,) = _lines(out)
    assert {k: v for k, v in got.items() if k not in ("body", "arcorpus")} == {
        k: v for k, v in record.items() if k != "body"
    }, "every input field as read"
    assert got["body"] == "زار الرئيس بوتين بيونغ يانغ", "the cleaned text, in the input's text field"
    assert "pyongyang" in got["arcorpus"]["entities"]


def test_arcorpus_output_cleaned_again_updates_its_own_field(tmp_path: Path) -> None:
    """Output read back in (a second pass, a format conversion): ``arcorpus`` is arcorpus's own, updated;
    a field of that name that is not an object is the input's, and is rejected with a reason."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        jsonl_bytes(
            [
                {"id": "a", "text": "زار بوتين بيونج يانج", "arcorpus": {"title": "T", "changes": [1]}},
                {"id": "b", "text": "x", "arcorpus": "the input's own"},
            ]
        )
    )
    out = tmp_path / "o.jsonl"
    assert run_cli("clean", src, "-o", out, "-q", "--workers", "1").returncode == 3
    (doc,) = _lines(out)
    assert doc["arcorpus"]["title"] == "T" and "pyongyang" in doc["arcorpus"]["entities"]
    assert "changes" not in doc["arcorpus"], "the changes of the earlier text are not carried over"
    (reject,) = _lines(out.with_name("o.rejects.jsonl"))
    assert reject["reason"] == "reserved_field" and "jq" in reject["message"]


# --- non-UTF-8 file names ------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_non_utf8_file_names_get_distinct_ids_and_a_report(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, raw in enumerate((b"\xff.txt", b"\xfe.txt")):
        with open(os.path.join(os.fsencode(corpus), raw), "w", encoding="utf-8") as fh:
            fh.write(arabic_sentence(i))
    out, report = tmp_path / "o.jsonl", tmp_path / "r.json"
    proc = run_cli("clean", corpus, "-o", out, "--report", report, *FAST)
    assert proc.returncode == 0, proc.stderr.decode()
    ids = [r["id"] for r in _lines(out)]
    assert ids == [f"{corpus}/\\xfe", f"{corpus}/\\xff"] and len(set(ids)) == 2
    assert json.loads(report.read_text(encoding="utf-8"))["documents_out"] == 2


# --- exit codes: emptied documents are a normal outcome --------------------------------------------


def test_documents_cleaning_empties_exit_0_and_are_listed(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        jsonl_bytes([{"id": "a", "text": arabic_sentence(1)}, {"id": "b", "text": EMPTIED}])
    )
    out, report = tmp_path / "o.jsonl", tmp_path / "r.json"
    proc = run_cli("clean", src, "-o", out, "--report", report, "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    (emptied,) = _lines(out.with_name("o.rejects.jsonl"))
    assert emptied["reason"] == "empty_after_cleaning" and emptied["text"] == EMPTIED
    assert json.loads(report.read_text(encoding="utf-8"))["rejects_by_reason"] == {"empty_after_cleaning": 1}
    assert b"rejected empty_after_cleaning: 1" in proc.stderr


# --- rejects with -o -, and "N more" -----------------------------------------------------------------


def test_stdout_output_still_writes_rejects_to_a_file_and_says_how_many_more(tmp_path: Path) -> None:
    payload = jsonl_bytes([{"id": "good", "text": arabic_sentence(1)}]) + b"not json\n" * 13
    proc = run_cli("clean", "-", "--profile", "minimal", "--workers", "1", stdin=payload, cwd=tmp_path)
    assert proc.returncode == 3
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["good"]
    (rejects,) = tmp_path.glob("arcorpus-rejects-*.jsonl")
    assert len(read_jsonl(rejects)) == 13
    err = proc.stderr.decode()
    assert err.count("arcorpus: rejected ") == 10
    assert f"... and 3 more rejected record(s) (every reject is in {rejects.name})" in err
    # no rejects: no file
    clean = run_cli("clean", "-", *FAST, stdin=payload[: payload.index(b"not json")], cwd=tmp_path / "..")
    assert clean.returncode == 0 and len(list(tmp_path.parent.glob("arcorpus-rejects-*.jsonl"))) == 0


# --- usage errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--dedup-ngram", "1000000000"], "dedup_ngram (--dedup-ngram): 1000000000 must be from 1 to 32"),
        (["--dedup-num-perm", "100000000"], "must be from 8 to 1024"),
        (["--max-record-bytes", "-1"], "--max-record-bytes -1: must be from 1 to"),
        (["--workers", "1000"], "--workers 1000: must be from 1 to"),
        (["--workers", "0"], "--workers 0: must be from 1 to"),
        (["--shard-size", "0"], "--shard-size 0: must be from 1 to"),
        (["--dedup-ngram", "1e9"], "invalid int value: '1e9'"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_usage_errors_are_one_line_with_the_valid_range(args: list[str], says: str, tmp_path: Path) -> None:
    proc = run_cli("clean", "seeds/", "-o", tmp_path / "o.jsonl", *args)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert says in err and len(err.splitlines()) <= 2 and "usage:" not in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "options",
    [{"dedup_ngram": 10**9}, {"dedup_num_perm": 10**8}, {"dedup_num_perm": 4}, {"site_lines_min_docs": 1}],
)
def test_the_config_checks_ranges_for_the_api_and_toml_too(options: dict, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be from"):
        CleanConfig(**options)
    toml = tmp_path / "c.toml"
    toml.write_text("".join(f"{k} = {v}\n" for k, v in options.items()), encoding="utf-8")
    with pytest.raises(ConfigError, match="must be from"):
        CleanConfig.from_toml(toml)


# --- help ----------------------------------------------------------------------------------------------


def test_help_imports_no_numpy_nor_any_step() -> None:
    """``arcorpus --help`` must be quick: the CLI imports what a command needs when it runs."""
    code = (
        "import sys, contextlib, io\n"
        "import arcorpus.cli as cli\n"
        "for argv in (['--help'], ['clean', '--help'], ['explain', '--help'], ['learn', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        cli.main(argv)\n"
        "heavy = sorted(m for m in sys.modules if m == 'numpy' or m.startswith(('arcorpus.steps.boilerplate', 'arcorpus.dedup', 'arcorpus.text.names')))\n"  # noqa: E501
        "print(heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, check=True)
    assert proc.stdout.decode().strip() == "[]", proc.stdout.decode()


def test_help_names_only_options_that_exist() -> None:
    from arcorpus.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    known = {
        opt for p in (parser, *subparsers.choices.values()) for a in p._actions for opt in a.option_strings
    }
    import re

    for name, sub in subparsers.choices.items():
        text = sub.format_help() + (parser.format_help() if name == "clean" else "")
        for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", text):
            assert option in known, f"`arcorpus {name} --help` names {option}, which does not exist"
    assert "[standard: 5]" in subparsers.choices["clean"].format_help(), "the real defaults are shown"
