"""The Python recipes in docs/ run as written (each ```python block, in a fresh directory); a recipe that
defines ``test_*`` functions (property tests, docs/strategies.md) has them called too."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
RECIPES = {
    "index.md": "arcorpus",
    "formats.md": "pyarrow",
    "hf.md": "datasets",
    "datatrove.md": "datatrove",
    "strategies.md": "hypothesis",
}
"""Every page with a ```python block, and the module it needs; the others are listed in `NOT_RUN`."""
NOT_RUN = {"scale.md": "needs a Dask cluster (tests/run/test_dask.py runs arcorpus.dask on a local one)"}
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_every_recipe_page_has_a_recipe() -> None:
    for page in RECIPES:
        assert _BLOCK.findall((DOCS / page).read_text(encoding="utf-8")), page
    with_recipes = {p.name for p in DOCS.glob("*.md") if _BLOCK.search(p.read_text(encoding="utf-8"))}
    assert with_recipes == set(RECIPES) | set(NOT_RUN), "a new page with a recipe: add it to RECIPES"


@pytest.mark.parametrize("page", sorted(RECIPES))
def test_recipe_runs(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip(RECIPES[page], reason=f"docs/{page} needs the {RECIPES[page]} extra")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(DOCS.parent), os.environ.get("PYTHONPATH", "")]))
    for block in _BLOCK.findall((DOCS / page).read_text(encoding="utf-8")):
        namespace: dict[str, object] = {"__name__": "__recipe__"}
        exec(compile(block, f"docs/{page}", "exec"), namespace)
        for name, test in sorted(namespace.items()):
            if name.startswith("test_") and callable(test):
                test()


_SHELL = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def test_format_commands_run_as_written(tmp_path: Path) -> None:
    """The ```sh block of docs/formats.md, line by line, on the files it names (made here: a Parquet crawl
    with `content`/`url` columns, a JSON array dump): each command exits 0 and writes what it says."""
    pytest.importorskip("pyarrow", reason="docs/formats.md's commands read and write Parquet")
    import json
    import shlex

    import pyarrow as pa
    import pyarrow.parquet as pq
    from _corpus_factory import arabic_sentence, run_cli

    (tmp_path / "crawl").mkdir()
    rows = [{"url": f"https://example.com/{i}", "content": arabic_sentence(i, 30)} for i in range(20)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "crawl" / "part-0000.parquet")
    dump = [{"id": i, "text": arabic_sentence(100 + i, 30)} for i in range(20)]
    (tmp_path / "dump.json").write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    (block,) = _SHELL.findall((DOCS / "formats.md").read_text(encoding="utf-8"))
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert len(commands) == 3 and all(c[:2] == ["arcorpus", "clean"] for c in commands)
    for command in commands:
        proc = run_cli(*command[1:], "-q", cwd=tmp_path)
        assert proc.returncode == 0, (command, proc.stderr.decode())
        assert (tmp_path / command[command.index("-o") + 1]).stat().st_size > 0, command
    kept = pq.read_table(tmp_path / "clean.parquet").to_pylist()
    assert [r["url"] for r in kept] == [r["url"] for r in rows]  # the user's column names, kept
