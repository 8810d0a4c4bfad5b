"""docs/security.md proves each claim with a named test. Every test it cites must exist, so
the page cannot outlive the suite: a renamed or deleted test fails here, by name.

A reference is ``path/to/test_file.py::test_name`` or ``path/to/test_file.py::Class::test_name``,
relative to the repository root. It holds when the file defines that test function (at module
level, or in the named class); a parametrized test counts like any other. The files are read
with ``ast``, never imported, so a reference to a test that needs a browser or PostgreSQL is
checked like the others.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
# Fewer would mean the references are no longer being found, not that the page got shorter.
MINIMUM_REFERENCES = 30

REFERENCE = re.compile(r"(?<![\w./-])((?:[\w.-]+/)*test_\w+\.py)((?:::\w+)+)")


def references(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each distinct (file, names) cited, in the order of first citation."""
    found = dict.fromkeys(
        (path, tuple(names.split("::")[1:])) for path, names in REFERENCE.findall(text)
    )
    return list(found)


def _defines(body: list[ast.stmt], names: tuple[str, ...]) -> bool:
    *classes, function = names
    for name in classes:
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == name]
        if not found:
            return False
        body = found[-1].body
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function
        for node in body
    )


def stale(cited: list[tuple[str, tuple[str, ...]]], root: Path = ROOT) -> list[str]:
    """The references that name no test, each with the reason."""
    problems = []
    trees: dict[str, ast.Module | None] = {}
    for path, names in cited:
        reference = "::".join((path, *names))
        if path not in trees:
            file = root / path
            trees[path] = ast.parse(file.read_text(), filename=path) if file.is_file() else None
        tree = trees[path]
        if tree is None:
            problems.append(f"{reference}: no such file")
        elif not names[-1].startswith("test"):
            problems.append(f"{reference}: {names[-1]} is not a test name")
        elif not _defines(tree.body, names):
            problems.append(f"{reference}: {path} defines no such test")
    return problems


def test_the_page_cites_enough_tests_to_prove_its_claims():
    cited = references(DOC.read_text())
    assert len(cited) >= MINIMUM_REFERENCES, f"only {len(cited)} references found in {DOC}"


def test_every_test_the_page_cites_exists():
    problems = stale(references(DOC.read_text()))
    assert not problems, "docs/security.md cites tests that do not exist:\n" + "\n".join(problems)


def test_the_check_finds_a_stale_reference(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_example.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.parametrize('n', [1, 2])\n"
        "def test_kept(n):\n    pass\n\n"
        "class TestGroup:\n    def test_inside(self):\n        pass\n\n"
        "def helper():\n    pass\n"
    )
    text = (
        "| a | `tests/test_example.py::test_kept`<br>"
        "`tests/test_example.py::TestGroup::test_inside` |\n"
        "`tests/test_example.py::test_gone`, `tests/test_example.py::TestGroup::test_kept`,\n"
        "`tests/test_example.py::helper`, `tests/test_missing.py::test_kept`.\n"
        "The fuzzing in tests/test_example.py is named without a test.\n"
    )
    cited = references(text)
    assert len(cited) == 6
    assert stale(cited, root=tmp_path) == [
        "tests/test_example.py::test_gone: tests/test_example.py defines no such test",
        "tests/test_example.py::TestGroup::test_kept: tests/test_example.py defines no such test",
        "tests/test_example.py::helper: helper is not a test name",
        "tests/test_missing.py::test_kept: no such file",
    ]
