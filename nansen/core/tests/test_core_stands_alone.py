"""nansen.core is the base every app builds on: it imports no other Nansen app, so that any
app may import it without a cycle."""

import ast
from pathlib import Path

import nansen

ROOT = Path(nansen.__file__).parent


def nansen_imports(app: str) -> dict[str, set[str]]:
    """The Nansen modules each production module of ``app`` imports (tests and migrations
    left out), at any depth of the module, functions included."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT))] = {n for n in names if n.startswith("nansen.")}
    return found


def test_it_imports_no_other_nansen_app():
    outside = {
        module: sorted(n for n in names if n.split(".")[1] not in ("core", "env"))
        for module, names in nansen_imports("core").items()
    }
    assert {module: names for module, names in outside.items() if names} == {}
