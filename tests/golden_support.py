"""Golden outputs of ``arcorpus clean seeds/ --explain``: producing, rendering and diffing them.

Used by ``tests/cli/test_golden.py`` (compare) and ``tests/update_golden.py`` (regenerate). One file per seed,
``tests/golden/seeds/<name>.jsonl``, holding the output record with its changes. Expected files are
reviewed by hand before they are committed: regenerate, then read ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "seeds"
COMMAND = ("clean", "seeds/", "--explain", "-q")


def current_outputs() -> dict[str, str]:
    """``{seed name: output JSONL line}`` from a real run of the command line."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        proc = subprocess.run(
            [sys.executable, "-m", "arcorpus.cli", *COMMAND, "-o", str(out)],
            cwd=REPO,
            capture_output=True,
            timeout=600,  # a hang must fail the test, never CI
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"arcorpus {' '.join(COMMAND)} failed ({proc.returncode}): {proc.stderr.decode()}"
            )
        lines = out.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"].rsplit("/", 1)[-1]: line + "\n" for line in lines}


def render(line: str) -> list[str]:
    """A record as reviewable lines: metadata, the text line by line, then one line per change."""
    record = json.loads(line)
    out = [f"id: {record.pop('id')}"]
    added = record.pop("arcorpus", {})  # what arcorpus added, changes included (issue 14)
    changes = added.pop("changes", record.pop("changes", []))
    record.update({f"arcorpus.{k}": v for k, v in added.items()})
    text = record.pop("text")
    out += [f"meta {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(record.items())]
    out += [f"text {i:3d}| {t}" for i, t in enumerate(text.split("\n"))]
    out += [f"change: {json.dumps(c, ensure_ascii=False, sort_keys=True)}" for c in changes]
    return [s + "\n" for s in out]


def diff(name: str, expected: str, actual: str) -> str:
    return "".join(
        difflib.unified_diff(
            render(expected), render(actual), f"tests/golden/seeds/{name}.jsonl (expected)", f"{name} (now)"
        )
    )
