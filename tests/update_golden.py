"""Regenerate tests/golden/seeds/*.jsonl from the current code: ``python tests/update_golden.py``.

Prints a readable diff of every change. Review it (and ``git diff tests/golden``) before committing:
the golden files are the hand-checked statement of what arcorpus does to the seed articles.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_support import GOLDEN, current_outputs, diff


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    outputs = current_outputs()
    changed = 0
    for name, line in sorted(outputs.items()):
        path = GOLDEN / f"{name}.jsonl"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == line:
            continue
        changed += 1
        print(diff(name, old, line) if old is not None else f"new golden file {path}")
        path.write_text(line, encoding="utf-8")
    for stale in sorted(set(p.stem for p in GOLDEN.glob("*.jsonl")) - set(outputs)):
        (GOLDEN / f"{stale}.jsonl").unlink()
        print(f"removed {stale}.jsonl (no such seed any more)")
        changed += 1
    print(f"{changed} golden file(s) updated; review them with `git diff tests/golden` before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
