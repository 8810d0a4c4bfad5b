"""Values for a cell of a CSV or XLSX export.

Text that a spreadsheet would run as a formula is defused with a leading apostrophe (OWASP,
"CSV injection"): a user name typed at a failed sign-in, a pledge title, any free text.
"""

from __future__ import annotations

from datetime import date

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
