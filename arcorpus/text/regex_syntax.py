"""The one place arcorpus reads the syntax tree of a regular expression: the standard library's own parser.

`re` has no public API for the structure of a pattern, and only its own parser agrees with `re.compile`
on every pattern, so three readers use it: the boilerplate step (the first characters and literal prefixes
of its rules, to dispatch and to reject lines early) and `arcorpus.strategies` (lines a rule spells out).
It is private CPython API (``re._parser`` and ``re._constants``, ``sre_parse``/``sre_constants`` before
3.11): nothing else in arcorpus may import it; `tests/text/test_regex_syntax.py` pins the tree shapes the
readers rely on, so a Python release that changes them fails there first.

`parse` returns the top-level items of the tree, each ``(opcode, argument)``, where a nested part (a
group's body, each branch of an alternation, a repeat's body) is again a sequence of such items; `OP`
holds the opcodes and flags (``OP.LITERAL``, ``OP.SUBPATTERN``, ``OP.SRE_FLAG_IGNORECASE`` ...).
"""

from __future__ import annotations

from re import _constants as OP  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

__all__ = ["OP", "parse"]


def parse(pattern: str) -> tuple[list[tuple[Any, Any]], int]:
    """The items of ``pattern``'s syntax tree and its global flags (``re.error`` on a bad pattern)."""
    tree = _parser.parse(pattern)
    return list(tree.data), tree.state.flags
