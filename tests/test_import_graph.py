"""The package's import graph: no cycles, and imports point down the layers (`benchmarks/import_graph.py`).

The layer order is the data flow: model (document, config, data) < text < io < steps < dedup < run <
dask/api < package (``arcorpus/__init__``) < cli. An upward import must be listed, with its reason, in
``ALLOWED_UPWARD`` of the script.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("import_graph", REPO / "benchmarks" / "import_graph.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


GRAPH = _script()


def test_no_import_cycles() -> None:
    assert GRAPH.cycles(GRAPH.build_graph(REPO)) == []


def test_imports_point_down_the_layers() -> None:
    up = GRAPH.upward(GRAPH.build_graph(REPO))
    assert [edge for edge in up if edge not in GRAPH.ALLOWED_UPWARD] == []


def test_every_allowed_upward_import_still_occurs() -> None:
    up = set(GRAPH.upward(GRAPH.build_graph(REPO)))
    assert [edge for edge in GRAPH.ALLOWED_UPWARD if edge not in up] == []


def test_every_module_has_a_layer() -> None:
    for module in GRAPH.build_graph(REPO):
        GRAPH.layer_of(module)


def test_the_graph_sees_lazy_imports_and_skips_type_checking_ones(tmp_path: Path) -> None:
    pkg = tmp_path / "arcorpus"
    (pkg / "steps").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    guarded = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import arcorpus.cli\n"
    (pkg / "document.py").write_text(guarded)
    (pkg / "cli.py").write_text("def f():\n    from arcorpus.steps import x\n")
    (pkg / "steps" / "__init__.py").write_text("")
    (pkg / "steps" / "x.py").write_text("from . import y\nfrom arcorpus import cli\n")
    (pkg / "steps" / "y.py").write_text("")
    graph = GRAPH.build_graph(tmp_path)
    assert graph["arcorpus.document"] == set()
    assert graph["arcorpus.cli"] == {"arcorpus.steps.x"}
    assert graph["arcorpus.steps.x"] == {"arcorpus.steps.y", "arcorpus.cli"}
    assert GRAPH.cycles(graph) == [["arcorpus.cli", "arcorpus.steps.x"]]
    assert GRAPH.upward(graph) == [("arcorpus.steps.x", "arcorpus.cli")]
