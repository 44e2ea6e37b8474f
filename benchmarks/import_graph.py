"""The import graph of the ``arcorpus`` package: modules, cycles, and imports that point up the layers.

    python benchmarks/import_graph.py                 # this checkout
    python benchmarks/import_graph.py /work/base      # another checkout (e.g. the commit before a change)
    python benchmarks/import_graph.py --edges         # also list every edge

Every ``import`` of an arcorpus module counts, at module level or inside a function (a lazy import is still
a dependency), except those under ``if TYPE_CHECKING:``. `tests/test_import_graph.py` fails on any cycle
and on any upward import not listed, with its reason, in `ALLOWED_UPWARD`.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # (layer, module prefixes), lowest first: a module may import its own layer and the layers below.
    ("model", (
        "arcorpus.document",
        "arcorpus.outcome",
        "arcorpus.report",
        "arcorpus.htmlreport",
        "arcorpus.config",
        "arcorpus.data",
    )),
    ("text", ("arcorpus.text", "arcorpus.explain")),
    ("io", ("arcorpus.io",)),
    ("steps", ("arcorpus.steps",)),
    ("dedup", ("arcorpus.dedup",)),
    ("run", ("arcorpus.run", "arcorpus.pipeline", "arcorpus.resume")),
    ("dask/api", (
        "arcorpus.dask",
        "arcorpus.distributed",
        "arcorpus.api",
        "arcorpus.strategies",
        "arcorpus.hf",
        "arcorpus.datatrove",
    )),
    ("package", ("arcorpus",)),
    ("cli", ("arcorpus.cli",)),
)
"""The layers, in the order of the data flow; the longest matching prefix decides a module's layer."""

FORMER: Mapping[str, str] = {
    # module paths before issue 13's layout, so that the script also reads older checkouts
    "arcorpus.chars": "text",
    "arcorpus.fold": "text",
    "arcorpus.textguard": "text",
    "arcorpus.names": "text",
}

ALLOWED_UPWARD: Mapping[tuple[str, str], str] = {
    ("arcorpus.run.resume", "arcorpus"): "the version recorded in a work directory (arcorpus.__version__)",
}
"""Upward imports that are meant, each with the reason. `tests/test_import_graph.py` also fails on an entry
that no longer occurs, so the list only shrinks."""


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.Module, module: str, is_package: bool) -> Iterator[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import outside ``if TYPE_CHECKING:``."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield base, alias.name


def build_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the arcorpus modules it imports, for every module under ``root/arcorpus``."""
    paths = sorted((root / "arcorpus").rglob("*.py"))
    modules = {module_name(root, p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for base, name in _imports(tree, module, path.name == "__init__.py"):
            if base != "arcorpus" and not base.startswith("arcorpus."):
                continue
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg
            target = f"{base}.{name}" if name and f"{base}.{name}" in modules else base
            if target in modules and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def layer_of(module: str) -> int:
    """The rank of ``module``'s layer in `LAYERS` (the longest matching prefix wins)."""
    names = [layer for layer, _ in LAYERS]
    prefixes = [(prefix, rank) for rank, (_, group) in enumerate(LAYERS) for prefix in group]
    prefixes += [(prefix, names.index(layer)) for prefix, layer in FORMER.items()]
    matches = [(len(p), rank) for p, rank in prefixes if module == p or module.startswith(p + ".")]
    if not matches:
        raise ValueError(f"{module}: in no layer of LAYERS")
    return max(matches)[1]


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def upward(graph: Mapping[str, set[str]]) -> list[tuple[str, str]]:
    """Edges from a module to a module of a higher layer."""
    return sorted((a, b) for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--edges", action="store_true", help="list every edge")
    args = parser.parse_args(argv)
    graph = build_graph(Path(args.root))
    edges = sum(len(t) for t in graph.values())
    found = cycles(graph)
    print(f"{args.root}: {len(graph)} modules, {edges} import edges")
    print(f"cycles (strongly connected components): {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    try:
        ups = upward(graph)
    except ValueError as exc:  # a checkout with modules this layer table does not know
        print(f"upward imports: not computed ({exc})")
    else:
        print(f"upward imports: {len(ups)} ({sum(1 for e in ups if e in ALLOWED_UPWARD)} allowed)")
        for a, b in ups:
            reason = ALLOWED_UPWARD.get((a, b))
            layers = f"{LAYERS[layer_of(a)][0]} -> {LAYERS[layer_of(b)][0]}"
            print(f"  {a} -> {b}  ({layers}{'; allowed: ' + reason if reason else ''})")
    if args.edges:
        for a in sorted(graph):
            for b in sorted(graph[a]):
                print(f"{a} -> {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
