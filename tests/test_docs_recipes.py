"""The Python recipes in docs/ run as written (each ```python block, in a fresh directory)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
RECIPES = {"formats.md": "pyarrow", "hf.md": "datasets", "datatrove.md": "datatrove"}
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_every_recipe_page_has_a_recipe() -> None:
    for page in RECIPES:
        assert _BLOCK.findall((DOCS / page).read_text(encoding="utf-8")), page


@pytest.mark.parametrize("page", sorted(RECIPES))
def test_recipe_runs(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip(RECIPES[page], reason=f"docs/{page} needs the {RECIPES[page]} extra")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(DOCS.parent), os.environ.get("PYTHONPATH", "")]))
    for block in _BLOCK.findall((DOCS / page).read_text(encoding="utf-8")):
        exec(compile(block, f"docs/{page}", "exec"), {"__name__": "__recipe__"})
