"""Types the API's schemas share.

Booleans in request bodies are ``pydantic.StrictBool``: JSON's true and false, not 0, 1 or
"yes" (query parameters stay lax: a query string has only text).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    """A date is written YYYY-MM-DD. Pydantic would also read a number, or a string of
    digits, as seconds since 1970: ``on=0`` would quietly mean 1 January 1970."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
