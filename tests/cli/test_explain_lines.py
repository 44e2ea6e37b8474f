# ruff: noqa: RUF001 -- Arabic test text (letters ruff takes for Latin look-alikes)
"""``arcorpus explain`` locates every change by its 1-based line in the input, whatever earlier steps did.

`Change.line` is an index into the text as its step received it (0-based; a step after a line remover
counts differently); `arcorpus.explain.trace` maps it back to the input.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.explain import render_document, trace
from arcorpus.steps import build_steps

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_whole_line_change_points_at_its_input_line(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    cleaned, where = trace(Document(seed.stem, text), build_steps(CleanConfig()))
    assert len(where) == len(cleaned.changes)
    checked = 0
    for change, place in zip(cleaned.changes, where, strict=True):
        if change.line < 0:
            assert place == "document"
            continue
        assert place.startswith("line "), place
        number = int(place.split()[1])
        assert 1 <= number <= len(lines)
        if change.action in ("remove_line", "to_metadata") and change.before:
            # earlier steps may have respaced the line; its characters are the input line's
            assert _squeeze(change.before) in _squeeze(lines[number - 1]), (change, place)
            checked += 1
    assert checked or not any(c.action == "remove_line" and c.before for c in cleaned.changes)


def test_lines_after_a_removed_line_keep_their_input_numbers() -> None:
    text = "سطر أول من النص\nإعلان\nسطر ثالث فيه بيونج يانج"
    cleaned, where = trace(Document("d", text), build_steps(CleanConfig()))
    by_rule = {c.rule: w for c, w in zip(cleaned.changes, where, strict=True)}
    assert by_rule["boilerplate.ad_marker"] == "line 2"
    assert by_rule["names.pyongyang"] == "line 3"  # the names step saw it as its line index 1


class _AddsALine:
    name = "adds_a_line"

    def __call__(self, doc: Document) -> Document:
        lines = doc.text.split("\n")
        new = [lines[0], "سطر جديد", *lines[1:]]
        return doc.evolve(text="\n".join(new), changes=[Change(self.name, "adds_a_line.x", "note", line=0)])


class _MarksSecondLine:
    name = "marks"

    def __call__(self, doc: Document) -> Document:
        return doc.evolve(
            changes=[
                Change(self.name, "marks.a", "note", line=1),
                Change(self.name, "marks.b", "note", line=2),
            ]
        )


def test_a_line_a_step_created_is_shown_as_new() -> None:
    _, where = trace(Document("d", "الأول\nالثاني"), (_AddsALine(), _MarksSecondLine()))
    assert where == ["line 1", "new line after input line 1", "line 2"]


def test_explain_command_shows_input_lines() -> None:
    """The issue's case: seed 004's second ad marker is on line 51 of the file (it was shown as 50)."""
    seed = next(p for p in SEEDS if p.name.startswith("004_"))
    assert seed.read_text(encoding="utf-8").split("\n")[50] == "[ad_2]"
    proc = subprocess.run(
        [sys.executable, "-m", "arcorpus.cli", "explain", str(seed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "boilerplate.ad_marker (remove_line, line 51)" in proc.stdout
    assert "boilerplate.ad_marker (remove_line, line 5)" in proc.stdout  # [ad_1]


def test_render_without_trace_keeps_the_step_indexes() -> None:
    doc = Document("d", "a")
    cleaned = doc.evolve(changes=[Change("s", "s.r", "note", line=3)])
    assert "line 3" in render_document(doc, cleaned)


def test_a_compacted_run_of_removed_lines_shows_its_input_lines() -> None:
    text = "سطر أول\n" + "سطر مكرر\n" * 200 + "\n\nسطر أخير فيه بيونج يانج"
    cleaned, where = trace(Document("d", text), build_steps(CleanConfig()))
    by_rule = {c.rule: w for c, w in zip(cleaned.changes, where, strict=True)}
    assert by_rule["repetition.repeat_adjacent"] == "lines 3-201"
    assert by_rule["names.pyongyang"] == "line 204"
