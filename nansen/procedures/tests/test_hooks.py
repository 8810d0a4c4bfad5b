"""The procedure engine imports none of the apps built on it; they answer its questions."""

import ast
from dataclasses import fields
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import nansen.procedures
from nansen.eligibility import selectors
from nansen.procedures.hooks import DecisionHooks, decision_hooks

BUILT_ON_PROCEDURES = ("nansen.eligibility", "nansen.protection")


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_procedures_imports_neither_eligibility_nor_protection():
    root = Path(nansen.procedures.__file__).parent
    found = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for name in _imported(path)
        if name.startswith(BUILT_ON_PROCEDURES)
    }
    assert not found


def test_a_question_no_app_answers_stops_the_decision():
    with pytest.raises(ImproperlyConfigured):
        DecisionHooks().blocked(application=None, outcome="recognized", form="")


def test_the_eligibility_app_answers_every_question():
    answers = {getattr(decision_hooks, f.name) for f in fields(DecisionHooks)}
    assert answers == {
        selectors.assessment_blocks_decision,
        selectors.assessment_decision_form,
        selectors.decision_reasons_draft,
        selectors.decision_reasons_language,
    }
