"""The apps import one another in one direction only, and `core` imports none of them.

The graph is read from the source with ``ast`` (module-level and function-level imports
alike), over each app's code outside its tests and migrations. A pair of apps importing
each other, whatever the route, would let a change to either break the other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

NANSEN = Path(__file__).resolve().parents[1] / "nansen"
APPS = sorted(p.name for p in NANSEN.iterdir() if (p / "__init__.py").is_file())
# The project's wiring may import any app.
WIRING = {"api"}
# Pairs that still import each other, each for a reason of its own; a pair leaves the list
# when it is given one direction (the test below fails while a listed pair no longer needs
# to be here).
KNOWN_BOTH_WAYS = {
    # The case history (audit.CaseEvent) belongs to a case, and registering writes to it.
    ("audit", "registration"),
    # Registration's API uses the idempotent-write keys kept by operations; the restore
    # drill registers a family through registration's services.
    ("operations", "registration"),
    # The case page and its API show the case's applications, decisions and next deadline.
    ("procedures", "registration"),
}


def _imported_apps(file: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(file.read_text(), filename=str(file))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "nansen" and len(parts) > 1 and parts[1] in APPS:
                found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for app in APPS:
        for file in (NANSEN / app).rglob("*.py"):
            relative = file.relative_to(NANSEN / app).parts
            if relative[0] in {"tests", "migrations"} or file.name in {"testing.py", "conftest.py"}:
                continue
            graph[app] |= _imported_apps(file) - {app}
    return graph


def _both_ways(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (a, b)
        for a in graph
        for b in graph[a]
        if a < b and a in graph.get(b, set()) and not {a, b} & WIRING
    }


def test_no_two_apps_import_each_other():
    assert _both_ways(import_graph()) - KNOWN_BOTH_WAYS == set()


def test_every_pair_listed_as_known_still_imports_both_ways():
    assert KNOWN_BOTH_WAYS - _both_ways(import_graph()) == set()


def test_core_imports_no_other_app():
    assert import_graph()["core"] == set()


def test_the_graph_is_read():
    graph = import_graph()
    assert "registration" in graph["procedures"] and "core" in graph["registration"]


def test_production_code_imports_no_test_helpers():
    """The restore drill and the demo set up their own data: nansen.testing and the apps'
    testing modules may change with the tests."""
    importing = []
    for file in NANSEN.rglob("*.py"):
        parts = file.relative_to(NANSEN).parts
        if {"tests", "migrations"} & set(parts) or file.name in {"testing.py", "conftest.py"}:
            continue
        for node in ast.walk(ast.parse(file.read_text(), filename=str(file))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.startswith("nansen") and name.endswith(".testing") for name in names):
                importing.append(str(file.relative_to(NANSEN)))
    assert importing == []
