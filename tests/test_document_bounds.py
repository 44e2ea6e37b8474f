"""Bounded memory per document: compacted changes, and a reject with a reason for what cannot fit.

A 64 MB record of 16M one-letter lines took 160 s and more than 8.4 GB (one `Change` per removed line).
Now: runs of identical whole-line changes on consecutive lines are one Change with a count
(`arcorpus.document.compact`), a document with more than `MAX_LINES` lines is rejected before any step
(``too_many_lines``), and one whose steps record more than `MAX_CHANGES` changes is rejected
(``too_many_changes``), in the API as in the CLI.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import arcorpus
from arcorpus import document as D
from arcorpus.api import run_outcomes
from arcorpus.document import Change, Document, LimitExceeded, compact

ROOT = Path(__file__).resolve().parents[1]


def _removal(line: int, before: str = "x", rule: str = "s.r") -> Change:
    return Change("s", rule, "remove_line", before=before, line=line)


def test_compact_merges_runs_of_identical_consecutive_removals() -> None:
    changes = (*(_removal(i) for i in range(1, 101)), _removal(200), _removal(201, "y"))
    merged = compact(changes)
    assert [(c.line, c.count, c.before) for c in merged] == [(1, 100, "x"), (200, 1, "x"), (201, 1, "y")]


def test_compact_keeps_different_or_separate_changes() -> None:
    changes = (
        _removal(1),
        _removal(3),
        _removal(4, rule="s.other"),
        Change("s", "s.w", "rewrite", "a", "b", 5),
    )
    assert compact(changes) == changes


def test_many_repeated_lines_are_few_changes_and_all_listed() -> None:
    n = 5_000
    doc = arcorpus.clean_document(Document("d", "سطر مكرر في النص\n" * n))
    assert len(doc.changes) <= 3
    removed = sum(c.count for c in doc.removed_lines() if c.action == "remove_line" and c.before)
    assert removed == n - 1  # every repeat is still listed (line + count)


def test_documents_with_few_changes_are_recorded_as_before() -> None:
    """Below `COMPACT_FROM` changes per step nothing is merged: explain output of normal documents is
    unchanged (the goldens check the seeds)."""
    doc = arcorpus.clean_document(Document("d", "سطر مكرر\nسطر مكرر\nسطر مكرر\nنص آخر"))
    repeats = [c for c in doc.changes if c.rule == "repetition.repeat_adjacent"]
    assert [(c.line, c.count) for c in repeats] == [(1, 1), (2, 1)]


def test_too_many_lines_is_a_reject_with_a_reason() -> None:
    big = "ب\n" * (D.MAX_LINES + 1)
    outcomes = list(run_outcomes([big, "نص عادي في سطر"], arcorpus.CleanConfig()))
    assert [o.kind for o in outcomes] == ["rejected", "kept"]
    reject = outcomes[0].reject
    assert reject is not None and reject.reason == "too_many_lines"
    assert reject.text == big  # nothing lost: the reject keeps the text
    with pytest.raises(LimitExceeded, match="lines"):
        arcorpus.clean(big)


def test_too_many_changes_is_a_reject_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(D, "MAX_CHANGES", 2)
    text = "\n".join(f"إعلان\nسطر رقم {i} من النص" for i in range(4)) + "\n\u0640نص\u0640 \u200bمختلف"
    outcomes = list(run_outcomes([text], arcorpus.CleanConfig(dedup="none")))
    assert outcomes[0].reject is not None and outcomes[0].reject.reason == "too_many_changes"


def test_the_cli_rejects_a_document_with_too_many_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    records = [{"id": "huge", "text": "ب\n" * (D.MAX_LINES + 1)}, {"id": "ok", "text": "نص عادي في سطر"}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "arcorpus.cli", "clean", str(src), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["ok"]
    rejects = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [(r["id"], r["reason"]) for r in rejects] == [("huge", "too_many_lines")]


@pytest.mark.slow
def test_the_issue_record_is_rejected_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """The issue's case: a 32 MB record of 16M one-letter lines (was 160 s and > 8.4 GB at 64 MB)."""
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "huge", "text": "a\n" * 16_000_000}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "arcorpus.cli", "clean", str(src), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
    rejects = (tmp_path / "out.rejects.jsonl").read_text()
    assert "too_many_lines" in rejects
