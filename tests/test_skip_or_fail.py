"""A test whose library or reference data is missing is skipped on a developer's machine and
fails under CI (CI=true), where a skip would hide a test that never ran."""

from pathlib import Path

import pytest

from nansen.testing import require_or_skip, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def test_it_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        skip_or_fail("no data")


def test_it_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI: no data"):
        skip_or_fail("no data")


def test_a_missing_library_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="nansen_no_such_module"):
        require_or_skip("nansen_no_such_module")


def test_an_installed_library_is_returned():
    assert require_or_skip("json").__name__ == "json"


def test_no_test_uses_importorskip():
    users = [
        str(path.relative_to(ROOT))
        for folder in ("nansen", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if path != Path(__file__).resolve()
        and "pytest.importorskip(" in path.read_text(encoding="utf-8")
    ]
    assert users == [], "use nansen.testing.require_or_skip, which fails under CI"
