"""Cells of CSV and XLSX exports: text a spreadsheet would run as a formula is defused."""

from datetime import UTC, date, datetime

import pytest

from nansen.core.spreadsheet import spreadsheet_cell


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1+cmd", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
)
def test_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert spreadsheet_cell(text) == "'" + text


def test_other_values_pass_unchanged():
    assert spreadsheet_cell("officer") == "officer"
    assert spreadsheet_cell("a=b") == "a=b"
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(date(2025, 1, 2)) == "2025-01-02"
    at = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    assert spreadsheet_cell(at) == "2025-01-02T03:04:00+00:00"
