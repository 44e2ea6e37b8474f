"""Every line a gated catalogue rule matches holds one of its gate literals.

The boilerplate step tries a gated whole-line rule only on lines where one of its ``gate`` literals
occurs, so a pattern branch without a gate literal is dead code that silently misses boilerplate
(``contact_writer`` matched "ثم الرمز" while its gate listed only "بالرمز": found by the combined-noise
property). Lines are spelled out from each rule's own pattern by `arcorpus.strategies`' regex expander.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arcorpus import data
from arcorpus.strategies._regex import lines_of

_GATED = [
    (row["id"], row["gate"].split("|"), row["pattern"])
    for row in (r.cells for r in data.table("boilerplate.tsv").rows)
    if row.get("gate") and row.get("pattern") and row.get("scope") == "line"
]


def test_the_catalogue_has_gated_rules() -> None:
    assert len(_GATED) >= 5


@pytest.mark.parametrize(("rule", "gates", "pattern"), _GATED, ids=[g[0] for g in _GATED])
@settings(max_examples=60)
@given(data=st.data())
def test_every_matched_line_holds_a_gate_literal(
    rule: str, gates: list[str], pattern: str, data: st.DataObject
) -> None:
    lines = lines_of(pattern)
    if lines is None:
        pytest.skip(f"{rule}: the expander cannot spell this pattern")
    line = data.draw(lines)
    if re.fullmatch(pattern, line) is None:
        return
    assert any(g in line for g in gates), f"{rule}: {line!r} matches but holds none of {gates}"


def test_the_check_fails_on_a_gate_that_misses_a_branch() -> None:
    line = "ثم الرمز"
    assert re.fullmatch(r"[^\n]{0,40}(?:ثم|تبدأ ب) (?:مسافة|الرمز)[^\n]{0,80}", line)
    assert not any(g in line for g in ["بالرمز", "مسافة"])
