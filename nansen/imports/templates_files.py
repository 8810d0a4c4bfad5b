"""The template files offered for download: the header, one example family, and (XLSX)
a second sheet explaining each column."""

from __future__ import annotations

import csv
import io
from functools import cache

from django.utils import translation

from nansen.imports.columns import COLUMNS

_EXAMPLE_SPOUSE = {
    "household": "F001",
    "relationship": "spouse",
    "given_name": "Rania",
    "family_name": "Al-Hassan",
    "given_name_original": "رانيا",
    "sex": "F",
    "birth_date": "1990",
    "country_of_origin": "SYR",
    "nationalities": "SYR",
    "languages": "ara",
}


def _rows() -> list[list[str]]:
    header = [c.name for c in COLUMNS]
    principal = [c.example for c in COLUMNS]
    spouse = [_EXAMPLE_SPOUSE.get(c.name, "") for c in COLUMNS]
    return [header, principal, spouse]


def template_csv() -> bytes:
    """UTF-8 with a byte-order mark, which spreadsheet programs need to read it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_rows())
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """Built once per language, as the column descriptions are translated: formatting a
    thousand rows as text takes most of a second."""
    return _template_xlsx(translation.get_language())


@cache
def _template_xlsx(language: str | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "persons"
    for row in _rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        # Keep codes and dates as text: a spreadsheet would turn 1990-05 into a date.
    for column in sheet.iter_cols(min_row=1, max_row=1000):
        for cell in column:
            cell.number_format = "@"
    help_sheet = workbook.create_sheet("columns")
    help_sheet.append(["column", "required", "meaning"])
    for column in COLUMNS:
        help_sheet.append([column.name, "yes" if column.required else "", str(column.description)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
