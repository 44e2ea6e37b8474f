"""Time a user rule file's patterns on adversarial lines, in a child process with a time limit.

The second check behind `arcorpus.text.regexguard` (which reads the pattern): here each user rule, compiled
exactly as the step compiles it for its scope, is run with ``re`` on lines built to make it backtrack
(runs of each of its literal characters and of their pairs, runs of spaces, dots, letters ...), as long as
the step ever gives it (`boilerplate.LINE_MAX` for whole-line rules, `boilerplate.TAIL_WINDOW` for tails
and heads). ``re`` cannot be interrupted, so this runs in a child process that is killed after
`PROBE_SECONDS`; the child names each rule and line before trying it, so the culprit is known.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterable, Iterator
from itertools import pairwise

PROBE_SECONDS = 2.0
"""Each probe line must be matched within this: a rule that takes longer on a line the step could give
it is refused (a safe rule takes microseconds per line)."""
_UNITS = (
    " ",
    "\t",
    ".",
    "-",
    "\u0628",
    "a",
    "1",
    " \u0628",
    "\u0628 ",
    "\u064e",
    "\u0640",
    "\u00a0",
    "\u060c",
)
_END = "\x00!"


def probe_lines(pattern: str, size: int) -> Iterator[str]:
    """Lines of ``size`` characters that push a pattern into backtracking."""
    chars = sorted({c for c in pattern if c.isprintable() and c not in "\\()[]{}?*+|^$"} | set(_UNITS))
    for unit in chars:
        yield unit * size + _END
    literals = [c for c in pattern if c.isalnum() or c == " "]
    for a, b in sorted({(a, b) for a, b in pairwise(literals) if a != b}):
        yield (a + b) * (size // 2) + _END
    yield "".join(literals) * max(1, size // max(1, len(literals))) + _END


_CHILD = r"""
import json, re, sys
for item in json.load(sys.stdin):
    regex = re.compile(item["regex"])
    run = getattr(regex, item["method"])
    for n, line in enumerate(item["lines"]):
        print(json.dumps([item["id"], n]), flush=True)
        run(line)
print("done", flush=True)
"""


def slow_rule(rules: Iterable[tuple[str, str, str, list[str]]]) -> tuple[str, str] | None:
    """``rules``: (rule id, compiled regex, method name, probe lines). The (rule id, line) on which the
    probe ran out of time, or None when every rule ran through every line in time."""
    listed = list(rules)
    items = [{"id": i, "regex": r, "method": m, "lines": lines} for i, r, m, lines in listed]
    if not items:
        return None
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(items))
    proc.stdin.close()
    last = None
    try:
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], PROBE_SECONDS)
            if not ready:  # the current line took too long: the culprit
                if last is None:
                    return (str(items[0]["id"]), "")
                rule_id, n = json.loads(last)
                lines = next(rule[3] for rule in listed if rule[0] == rule_id)
                return str(rule_id), lines[n]
            line = proc.stdout.readline()
            if not line or line.startswith("done"):
                return None
            last = line
    finally:
        proc.kill()
        proc.wait()
