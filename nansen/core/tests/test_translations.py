"""Every interface string ships in English, Japanese and Arabic."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nansen.core import i18n

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated(language):
    assert i18n.problems(language) == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language, tmp_path, monkeypatch):
    _, committed = i18n.catalogue_paths(language)
    monkeypatch.setattr(
        i18n,
        "catalogue_paths",
        lambda lang: (
            PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po",
            tmp_path / "django.mo",
        ),
    )
    fresh = i18n.compile_catalogue(language)
    assert fresh.read_bytes() == committed.read_bytes(), "run `make messages`"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings from a copy of the code and compare with the catalogues."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is needed under CI")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "nansen"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "NANSEN_ENV": "test", "DJANGO_SETTINGS_MODULE": "nansen.settings_test"}
    subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "--no-obsolete",
            "--no-location",
            "-l",
            "ja",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    from babel.messages.pofile import read_po

    with (copy / "locale/ja/LC_MESSAGES/django.po").open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.read("ja") if m.id}
    assert extracted - shipped == set(), "new strings: run `make messages` and translate them"
