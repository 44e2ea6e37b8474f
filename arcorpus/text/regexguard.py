"""Refuse user regular expressions that can backtrack catastrophically, before any text is read.

Python's ``re`` is a backtracking engine: a pattern in which one string can be matched in exponentially
many ways (``(?:ب+)+ج`` on a line of ب: 107 s for 32 letters) hangs a run, and ``re`` cannot be
interrupted. The built-in rules are checked by timing (``tests/test_regex_safety.py``); a user's rule file
is checked here, statically, when it is loaded. `unsafe_reason` walks the parsed pattern and reports a
repetition (``*``, ``+``, ``{m,n}`` with ``n > 1``) whose body

1. can match the empty string (``(?:a*)*``);
2. contains a repetition that can stop where the next round of the outer one starts with a character it
   could have taken itself (``(?:ب+)+``, ``(?:\\w+\\s*)+``, ``(?:a+b?)+``): the text can be cut into
   rounds in exponentially many ways;
3. contains an alternation two of whose branches can start with the same character (``(?:a|ab)+``,
   ``(?:\\d|\\w)+``).

Possessive repetitions (``*+``) and atomic groups never backtrack into and are safe. Sets of characters
are compared on a sample alphabet (ASCII, Latin-1, Arabic and its presentation forms, general
punctuation, and every literal of the pattern), which is exact for the classes rules use. What the check
does not claim: polynomial backtracking (``\\s+$`` is quadratic) is bounded by the steps' own limits on
line length (`arcorpus.steps.boilerplate.boilerplate.LINE_MAX`, ``TAIL_WINDOW``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from arcorpus.text.regex_syntax import parse as parse_regex

_SAMPLE = "".join(
    chr(c)
    for c in (
        *range(0x00, 0x250),
        *range(0x600, 0x700),
        *range(0x750, 0x780),
        *range(0x8A0, 0x900),
        *range(0x2000, 0x2070),
        *range(0xFB50, 0xFE00),
        *range(0xFE70, 0xFF00),
    )
)
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_LINEBREAK": r"\n",
    "CATEGORY_NOT_LINEBREAK": r"[^\n]",
}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT"}


def _parse(pattern: str) -> Any:
    """The parse tree of ``pattern`` from CPython's own regex parser, through `arcorpus.text.regex_syntax`
    (the one module that reads it), so that the check sees exactly the syntax ``re`` compiles. Raises
    `re.error` as `re.compile` would."""
    return parse_regex(pattern)[0]


Node = tuple[Any, Any]


class _Sets:
    """Character sets of parse-tree items, as frozensets over the alphabet of one pattern."""

    def __init__(self, alphabet: str) -> None:
        self.alphabet = alphabet
        self.all = frozenset(alphabet)

    def _category(self, name: str) -> frozenset[str]:
        return _category_set(self.alphabet, name)

    def item(self, op: str, av: Any) -> frozenset[str]:
        """The characters a one-character item matches (empty for items that are not one character)."""
        if op in ("LITERAL", "LITERAL_IGNORE", "LITERAL_UNI_IGNORE", "LITERAL_LOC_IGNORE"):
            ch = chr(av)
            return frozenset({ch, ch.lower(), ch.upper()}) if op != "LITERAL" else frozenset(ch)
        if op.startswith("NOT_LITERAL"):
            return self.all - {chr(av)}
        if op == "ANY":
            return self.all
        if op == "CATEGORY":
            return self._category(str(av))
        if op == "IN" or op.startswith("IN_"):
            out: set[str] = set()
            negate = False
            for sub_op, sub_av in av:
                name = str(sub_op)
                if name == "NEGATE":
                    negate = True
                elif name == "RANGE" or name.startswith("RANGE_"):
                    lo, hi = sub_av
                    out.update(c for c in self.alphabet if lo <= ord(c) <= hi)
                elif name == "CATEGORY":
                    out |= self._category(str(sub_av))
                else:
                    out |= self.item(name, sub_av)
            return self.all - out if negate else frozenset(out)
        return frozenset()


@lru_cache(maxsize=64)
def _category_set(alphabet: str, name: str) -> frozenset[str]:
    test = re.compile(_CATEGORIES.get(name, r"[\s\S]")).fullmatch
    return frozenset(c for c in alphabet if test(c))


class _Analysis:
    def __init__(self, sets: _Sets) -> None:
        self.sets = sets

    # --- nullable / first set of a sequence ------------------------------------------------------

    def nullable(self, seq: Sequence[Node]) -> bool:
        return all(self._item_nullable(op, av) for op, av in seq)

    def _item_nullable(self, op: Any, av: Any) -> bool:
        name = str(op)
        if name in _REPEATS or name == "POSSESSIVE_REPEAT":
            return av[0] == 0 or self.nullable(av[2])
        if name == "SUBPATTERN":
            return self.nullable(av[-1])
        if name == "ATOMIC_GROUP":
            return self.nullable(av)
        if name == "BRANCH":
            return any(self.nullable(branch) for branch in av[1])
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return True
        if name == "GROUPREF" or name == "GROUPREF_EXISTS":
            return True
        return False

    def first(self, seq: Sequence[Node]) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for op, av in seq:
            out |= self._item_first(op, av)
            if not self._item_nullable(op, av):
                break
        return out

    def _item_first(self, op: Any, av: Any) -> frozenset[str]:
        name = str(op)
        if name in _REPEATS or name == "POSSESSIVE_REPEAT":
            return self.first(av[2]) if av[1] > 0 else frozenset()
        if name == "SUBPATTERN":
            return self.first(av[-1])
        if name == "ATOMIC_GROUP":
            return self.first(av)
        if name == "BRANCH":
            out: frozenset[str] = frozenset()
            for branch in av[1]:
                out |= self.first(branch)
            return out
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return frozenset()
        if name.startswith("GROUPREF"):
            return self.sets.all
        return self.sets.item(name, av)

    def _overlap(self, a: list[Node], b: list[Node], follow: frozenset[str]) -> bool:
        """Whether alternatives ``a`` and ``b`` (followed by ``follow``) can match the same text in a
        repeated group: both match one string, or one matches a prefix of the other's text and the rest
        could be taken by what follows. Exact for alternatives of single characters (with ``?``);
        otherwise: whether they can start with the same character."""
        items_a, items_b = _simple(self.sets, a), _simple(self.sets, b)
        if items_a is None or items_b is None:
            start_a = self.first(a) | (follow if self.nullable(a) else frozenset())
            start_b = self.first(b) | (follow if self.nullable(b) else frozenset())
            return bool(start_a & start_b)
        seen: set[tuple[int, int]] = set()
        todo = [(i, j) for i in _closure(items_a, 0) for j in _closure(items_b, 0)]
        while todo:
            i, j = todo.pop()
            if (i, j) in seen:
                continue
            seen.add((i, j))
            end_a, end_b = i == len(items_a), j == len(items_b)
            if end_a and end_b:
                return True
            if end_a or end_b:
                rest, k = (items_b, j) if end_a else (items_a, i)
                if rest[k][0] & follow:
                    return True
                continue
            if items_a[i][0] & items_b[j][0]:
                todo.extend((x, y) for x in _after(items_a, i) for y in _after(items_b, j))
        return False

    # --- the check ------------------------------------------------------------------------------

    def check(self, seq: Sequence[Node]) -> str | None:
        """The first problem found in ``seq`` (recursing into every group), or None."""
        for op, av in seq:
            name = str(op)
            if name in _REPEATS and av[1] > 1:
                body = list(av[2])
                problem = self._repeat_problem(body)
                if problem:
                    return problem
            for child in self._children(name, av):
                problem = self.check(child)
                if problem:
                    return problem
        return None

    @staticmethod
    def _children(name: str, av: Any) -> list[Sequence[Node]]:
        if name in _REPEATS or name == "POSSESSIVE_REPEAT":
            return [list(av[2])]
        if name == "SUBPATTERN":
            return [list(av[-1])]
        if name == "ATOMIC_GROUP":
            return [list(av)]
        if name == "BRANCH":
            return [list(b) for b in av[1]]
        if name in ("ASSERT", "ASSERT_NOT"):
            return [list(av[1])]
        if name == "GROUPREF_EXISTS":
            return [list(b) for b in av[1:] if b is not None]
        return []

    def _repeat_problem(self, body: list[Node]) -> str | None:
        if self.nullable(body):
            return "a repeated group can match the empty string"
        return self._inner(body, self.first(body))

    def _inner(self, seq: list[Node], follow_end: frozenset[str]) -> str | None:
        """Look in ``seq`` (followed by characters ``follow_end`` when it ends) for a repetition or an
        alternation that makes the enclosing repetition ambiguous."""
        for k, (op, av) in enumerate(seq):
            name = str(op)
            rest = seq[k + 1 :]
            follow = self.first(rest) | (follow_end if self.nullable(rest) else frozenset())
            if name in _REPEATS and av[1] > 1:
                inner = list(av[2])
                if self.first(inner) & follow:
                    return "a repetition inside a repeated group can end where the group's next round starts"
                problem = self._inner(inner, self.first(inner) | follow)
                if problem:
                    return problem
            elif name in _REPEATS:  # optional: x?
                problem = self._inner(list(av[2]), follow)
                if problem:
                    return problem
            elif name == "SUBPATTERN":
                problem = self._inner(list(av[-1]), follow)
                if problem:
                    return problem
            elif name == "BRANCH":
                branches = [list(b) for b in av[1]]
                for x in range(len(branches)):
                    for y in range(x + 1, len(branches)):
                        if self._overlap(branches[x], branches[y], follow):
                            return "two alternatives inside a repeated group can match the same text"
                for branch in branches:
                    problem = self._inner(branch, follow)
                    if problem:
                        return problem
        return None


Item = tuple[frozenset[str], bool, bool]
"""A one-character step of a simple alternative: (characters, optional, may repeat)."""
_UNROLL = 8
"""A bounded repetition ``x{m,n}`` of one character is unrolled up to this many optional copies."""


def _simple(sets: _Sets, seq: Sequence[Node]) -> list[Item] | None:
    """``seq`` as one-character items when it is only single characters, each possibly repeated
    (``?``, ``*``, ``+``, ``{m,n}``), and groups of such; None otherwise."""
    out: list[Item] = []
    for op, av in seq:
        name = str(op)
        if name == "SUBPATTERN":
            inner = _simple(sets, av[-1])
            if inner is None:
                return None
            out.extend(inner)
            continue
        if name in _REPEATS or name == "POSSESSIVE_REPEAT":
            inner = _simple(sets, av[2])
            if inner is None or len(inner) != 1 or inner[0][1]:
                return None
            chars = inner[0][0]
            low, high = av[0], av[1]
            out.extend((chars, False, False) for _ in range(min(low, _UNROLL)))
            if high - low > _UNROLL or high == _INFINITE:
                out.append((chars, True, True))
            else:
                out.extend((chars, True, False) for _ in range(high - low))
            continue
        chars = sets.item(name, av)
        if not chars:
            return None
        out.append((chars, False, False))
    return out


_INFINITE = 4294967295
"""``re``'s MAXREPEAT (an unbounded repetition), the same on every CPython."""


def _closure(items: Sequence[Item], i: int) -> list[int]:
    """The positions reachable from ``i`` by skipping optional items."""
    out = [i]
    while i < len(items) and items[i][1]:
        i += 1
        out.append(i)
    return out


def _after(items: Sequence[Item], i: int) -> list[int]:
    """The positions after consuming one character at ``i``."""
    return (_closure(items, i) if items[i][2] else []) + _closure(items, i + 1)


def unsafe_reason(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential time in ``re`` (a sentence), or None when it cannot.

    Raises `re.error` when the pattern does not compile."""
    tree = _parse(pattern)
    alphabet = "".join(sorted(set(_SAMPLE) | set(pattern)))
    return _Analysis(_Sets(alphabet)).check(list(tree))


__all__ = ["unsafe_reason"]
