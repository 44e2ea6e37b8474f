"""`arcorpus.text.regex_syntax`: the tree shapes its readers rely on (a Python release that changes the
private parser fails here first), and that nothing else reads CPython's regex internals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from arcorpus.text.regex_syntax import OP, parse

PACKAGE = Path(__file__).resolve().parents[2] / "arcorpus"


def test_literals_groups_branches_repeats_and_classes() -> None:
    items, flags = parse("(ab|c)d+[x-z\\s]")
    assert flags & OP.SRE_FLAG_IGNORECASE == 0
    (group_op, group), (rep_op, rep), (in_op, klass) = items
    assert group_op is OP.SUBPATTERN
    ((branch_op, (_, branches)),) = list(group[-1])
    assert branch_op is OP.BRANCH
    a, b, c = (ord(ch) for ch in "abc")
    assert [list(x) for x in branches] == [[(OP.LITERAL, a), (OP.LITERAL, b)], [(OP.LITERAL, c)]]
    assert rep_op is OP.MAX_REPEAT and rep[0] == 1 and list(rep[2]) == [(OP.LITERAL, ord("d"))]
    assert in_op is OP.IN and (OP.RANGE, (ord("x"), ord("z"))) in klass
    assert (OP.CATEGORY, OP.CATEGORY_SPACE) in klass
    (only,) = parse("(?:ab|c)")[0]  # a non-capturing group is no node of its own
    assert only[0] is OP.BRANCH


def test_global_flags_and_errors() -> None:
    _, flags = parse("(?i)abc")
    assert flags & OP.SRE_FLAG_IGNORECASE
    with pytest.raises(re.error):
        parse("(unclosed")


def test_only_this_module_reads_the_private_parser() -> None:
    private = re.compile(r"\b(re\._parser|re\._constants|sre_parse|sre_constants|from re import _)")
    readers = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if private.search(p.read_text())]
    assert readers == ["text/regex_syntax.py"]
