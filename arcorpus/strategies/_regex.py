"""Realistic lines from a catalogue pattern: expand the *structure* of a regex, not its wildcards.

`hypothesis.strategies.from_regex` fills ``.{3,250}`` or ``[^.\\n]{0,80}`` with random characters, which
no site prints. Here a pattern is expanded only where it spells text: literals, alternations (``a|b``),
groups, optional parts and small repeats, ``\\s``, ``\\s*`` or ``\\s+`` as one space, ``\\d`` as a
digit, classes listing their characters. A wildcard or negated class that must produce something makes
the whole rule unusable (None); one that may be empty (``{0,n}``, ``*``, ``?``) produces one space (free
text between two spelled parts is at least a word break; spaces are collapsed and trimmed by the
caller). Alternatives and repeat counts shrink toward the first alternative and the fewest repeats.

Reads patterns with the standard library's own parser, through `arcorpus.text.regex_syntax`; a pattern
it cannot parse is simply not used. This module deliberately does not check a line against the rule's own
matching (which tolerates spelling variation and symbols around it): the pattern is the specification.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from arcorpus.text.regex_syntax import OP as _c
from arcorpus.text.regex_syntax import parse as parse_regex


class _Unsupported(Exception):
    pass


_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | (
    {_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set()
)
_SPACE = st.just(" ")
_DIGIT = st.sampled_from("0123456789")


def _class(items: list[tuple[Any, Any]]) -> st.SearchStrategy[str]:
    options: list[st.SearchStrategy[str]] = []
    for op, av in items:
        if op is _c.NEGATE:
            raise _Unsupported
        if op is _c.LITERAL:
            options.append(st.just(chr(av)))
        elif op is _c.RANGE and av[1] - av[0] < 64:
            options.append(st.sampled_from([chr(cp) for cp in range(av[0], av[1] + 1)]))
        elif op is _c.CATEGORY and av is _c.CATEGORY_SPACE:
            options.append(_SPACE)
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            options.append(_DIGIT)
        else:
            raise _Unsupported
    return st.one_of(options)


def _node(op: Any, av: Any) -> st.SearchStrategy[str]:
    if op is _c.LITERAL:
        return st.just(chr(av))
    if op is _c.BRANCH:
        return st.one_of([_seq(branch) for branch in av[1]])
    if op is _c.SUBPATTERN:
        return _seq(av[-1])
    if op in _REPEATS:
        low, high, sub = av
        if list(sub) == [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_SPACE)])]:
            return _SPACE  # \s* \s+ \s? between words: one space, as printed text has
        try:
            inner = _seq(sub)
        except _Unsupported:
            if low == 0:
                return _SPACE  # optional free text between two spelled parts: at least a word break
            raise
        return st.lists(inner, min_size=low, max_size=min(high, low + 1)).map("".join)
    if op is _c.IN:
        return _class(av)
    if op is _c.AT:
        return st.just("")
    raise _Unsupported


def _seq(items: Any) -> st.SearchStrategy[str]:
    parts = [_node(op, av) for op, av in items]
    if len(parts) == 1:
        return parts[0]
    return st.tuples(*parts).map("".join)


@functools.cache
def lines_of(pattern: str) -> st.SearchStrategy[str] | None:
    """A strategy for the texts ``pattern`` spells out, or None when it needs a wildcard to match."""
    try:
        return _seq(parse_regex(pattern)[0])
    except Exception:  # _Unsupported, or a pattern the stdlib parser rejects
        return None
