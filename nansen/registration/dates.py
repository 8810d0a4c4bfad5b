"""Dates of birth as people know them: a full date, a month, or only a year."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

from nansen.registration.models import DatePrecision

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


class PartialDateError(ValueError):
    pass


def parse_partial_date(text: str, *, estimated: bool = False) -> tuple[date, str]:
    """Read YYYY, YYYY-MM or YYYY-MM-DD into the first day it allows and its precision.

    Raises PartialDateError with a message fit for the person who typed it.
    """
    match = _PARTIAL_DATE.match(text or "")
    if not match:
        raise PartialDateError(_("Write the date as YYYY-MM-DD, YYYY-MM or YYYY."))
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < 1880:
        raise PartialDateError(_("The year is too far in the past."))
    try:
        value = date(year, month or 1, day or 1)
    except ValueError as exc:
        raise PartialDateError(_("This date does not exist.")) from exc
    if estimated:
        precision = DatePrecision.ESTIMATED
    elif day is not None:
        precision = DatePrecision.EXACT
    elif month is not None:
        precision = DatePrecision.MONTH
    else:
        precision = DatePrecision.YEAR
    return value, precision


def format_partial_date(value: date | None, precision: str) -> str:
    """The inverse of parse_partial_date, for showing a stored date in a form."""
    if value is None:
        return ""
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
