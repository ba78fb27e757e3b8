"""The house rules of the code: no import cycles, and each layer imports only the layers beneath it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "api", "loaders")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every project module ``path`` imports, at the top or inside a function (a lazy import is still a dependency)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] in PACKAGES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in PACKAGES:
            subs = {f"{node.module}.{a.name}" for a in node.names}
            found |= (subs & known) or {node.module}
    return {m for m in found if m in known}


def import_graph() -> nx.DiGraph:
    mods = modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for name, path in mods.items():
        for target in imports_of(path, set(mods)):
            # a package's __init__ that gathers its own submodules (api.cli registering its commands) is not a cycle
            if target != name and not target.startswith(name + "."):
                g.add_edge(name, target)
    return g


def test_the_graph_is_read_whole() -> None:
    g = import_graph()
    assert {"graph.store.db", "graph.rules.catalogue", "graph.plan.suggest", "api.cli.app"} <= set(g)
    assert g.has_edge("graph.store.datasets", "graph.store.db")


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize(("importer", "forbidden"), [
    ("graph", "api"),            # the core knows nothing of its shells
    ("graph", "loaders"),
    ("loaders", "api"),
    ("graph.rules", "graph.store"),  # rules are plain functions of a graph, never of the database
    ("graph.plan", "graph.store"),
])
def test_layers(importer: str, forbidden: str) -> None:
    g = import_graph()
    bad = [(a, b) for a, b in g.edges if (a == importer or a.startswith(importer + "."))
           and (b == forbidden or b.startswith(forbidden + "."))]
    assert not bad, f"{importer} must not import {forbidden}: {bad}"


def test_only_the_seam_imports_the_driver() -> None:
    users = [name for name, path in modules().items()
             if any(isinstance(n, ast.Import | ast.ImportFrom)
                    and any(x == "neo4j" or x.startswith("neo4j.") for x in
                            ([a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""]))
                    and not (isinstance(n, ast.ImportFrom) and n.level)
                    for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))]
    assert users == ["graph.store.db"]
