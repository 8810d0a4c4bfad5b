"""docs/architecture.md follows five traces through the code, naming files and functions.
Every name it cites must exist, so the page cannot drift from the code unnoticed.

A code span in the page is checked when it is
- a path under one of the repository's folders (``nansen/…``, ``docs/…``, ``tests/…``,
  ``bench/…``): the file or folder must exist;
- a dotted name starting with one of Nansen's apps (``procedures.services.decision_record``,
  ``registration.models.CaseQuerySet.visible_to``), read as under ``nansen.``: the longest
  importable prefix is imported and the rest looked up attribute by attribute.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
FOLDERS = ("nansen/", "docs/", "tests/", "bench/")
APPS = {p.name for p in (ROOT / "nansen").iterdir() if (p / "__init__.py").is_file()}
# Fewer would mean the references are no longer being found, not that the page got shorter.
MINIMUM_REFERENCES = 40

FILE_ENDINGS = (".py", ".toml", ".md", ".json", ".html", ".lock")
SPAN = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"[a-z_]+(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def cited(text: str) -> tuple[list[str], list[str]]:
    """The distinct paths and dotted names the page cites, in order."""
    paths, names = {}, {}
    for span in SPAN.findall(text):
        span = span.strip()
        if span.startswith(FOLDERS) and " " not in span:
            paths[span.split("::")[0].rstrip("/")] = None
        elif span.endswith(FILE_ENDINGS):
            continue
        elif DOTTED.fullmatch(span) and span.split(".")[0] in APPS:
            names[span.removesuffix("()")] = None
    return list(paths), list(names)


def resolve(dotted: str) -> str | None:
    """None when ``nansen.<dotted>`` names something; else why not."""
    parts = f"nansen.{dotted}".split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return f"{'.'.join(parts[:cut])} has no {'.'.join(parts[cut:])}"
            target = getattr(target, name)
        return None
    return "no such module"


def test_every_path_the_architecture_page_cites_exists():
    paths, _ = cited(DOC.read_text())
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, missing


def test_every_dotted_name_the_architecture_page_cites_resolves():
    _, names = cited(DOC.read_text())
    problems = [f"{name}: {why}" for name in names if (why := resolve(name))]
    assert not problems, problems


def test_the_page_cites_enough_to_be_checked():
    paths, names = cited(DOC.read_text())
    assert len(paths) + len(names) >= MINIMUM_REFERENCES


def test_it_reports_a_name_that_does_not_exist():
    assert resolve("procedures.services.no_such_service") is not None
    assert resolve("registration.selectors.case_get") is None
    assert cited("`nansen/nowhere.py` and `audit.models.Verb`") == (
        ["nansen/nowhere.py"],
        ["audit.models.Verb"],
    )
