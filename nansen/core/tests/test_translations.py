"""Every interface string ships in English, Japanese and Arabic."""

import shutil

import pytest

from nansen.core import i18n
from nansen.testing import skip_or_fail


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated(language):
    assert i18n.problems(language) == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_compiled_catalogues_are_up_to_date(language, tmp_path):
    for root in i18n.catalogue_roots():
        fresh = i18n.compile_catalogue(root, language, target=tmp_path / "fresh.mo")
        committed = i18n.po_path(root, language).with_suffix(".mo")
        assert fresh.read_bytes() == committed.read_bytes(), f"{root.name}: run `make messages`"


def test_every_string_in_the_code_is_in_a_catalogue(tmp_path):
    """Extract the strings from a copy of the code and compare with the shipped catalogues."""
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "nansen"
    shutil.copytree(i18n.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    i18n.extract(copy, languages=("ja",))
    missing = {}
    for root in i18n.catalogue_roots(copy):
        shipped = i18n.message_ids(i18n.PACKAGE_DIR / root.relative_to(copy), "ja")
        new = i18n.message_ids(root, "ja") - shipped
        if new:
            missing[root.name] = sorted(new)
    assert missing == {}, "new strings: run `make messages` and translate them"
