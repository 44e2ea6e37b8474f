"""Golden tests: ``arcorpus clean seeds/ --explain`` gives exactly the reviewed outputs in tests/golden/.

On a mismatch the failure shows a unified diff of text lines and changes. If the change is intended,
run ``python tests/update_golden.py``, review ``git diff tests/golden`` and commit it.
"""

from __future__ import annotations

import pytest
from golden_support import GOLDEN, current_outputs, diff, render


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return current_outputs()


def test_every_seed_has_a_golden_file(outputs: dict[str, str]) -> None:
    assert sorted(outputs) == sorted(p.stem for p in GOLDEN.glob("*.jsonl")), (
        "seeds and tests/golden/seeds/ differ: run python tests/update_golden.py"
    )


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.jsonl")))
def test_seed_matches_golden(name: str, outputs: dict[str, str]) -> None:
    expected = (GOLDEN / f"{name}.jsonl").read_text(encoding="utf-8")
    actual = outputs.get(name)
    assert actual is not None, f"seed {name} gave no output"
    if actual != expected:
        pytest.fail(
            f"golden output of seed {name} changed (intended? python tests/update_golden.py):\n"
            + diff(name, expected, actual),
            pytrace=False,
        )


def test_diff_is_readable() -> None:
    """The diff shows changed text lines and changes, not one giant JSON line."""
    a = '{"id": "s/x", "text": "one\\ntwo", "changes": [{"step": "w", "rule": "w.a", "action": "note"}]}\n'
    b = '{"id": "s/x", "text": "one\\n2", "changes": []}\n'
    out = diff("x", a, b)
    assert "-text   1| two" in out and "+text   1| 2" in out and "-change:" in out
    assert render(a)[0] == "id: s/x\n"
