"""Days on which a legal period cannot end.

A calendar is declared in a profile's data: the weekdays that are closed, the country whose
public holidays count (taken from the `holidays` library, which follows each country's
holiday law, substitute holidays included, so no list is typed by hand here), and fixed
closures that recur every year (Japan's 29 December to 3 January).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays(country, years=year, language="en_US"))


@dataclass(frozen=True)
class Closure:
    """A span of days closed every year, given as (month, day) pairs; it may wrap the year."""

    start: tuple[int, int]
    end: tuple[int, int]

    def covers(self, day: date) -> bool:
        key = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end


@dataclass(frozen=True)
class Calendar:
    id: str
    closed_weekdays: frozenset[int] = frozenset()
    public_holidays: str = ""  # ISO 3166-1 alpha-2 code understood by `holidays`, or ""
    closures: tuple[Closure, ...] = ()
    source: str = ""
    note: str = field(default="", compare=False)

    def closed_reason(self, day: date) -> str:
        """Why ``day`` is closed (in English, for explanations), or "" when it is open."""
        if day.weekday() in self.closed_weekdays:
            return day.strftime("%A")
        if self.public_holidays:
            name = _public_holidays(self.public_holidays, day.year).get(day)
            if name:
                return name
        for closure in self.closures:
            if closure.covers(day):
                return "year-end closure"
        return ""

    def is_closed(self, day: date) -> bool:
        return bool(self.closed_reason(day))

    def next_open_day(self, day: date) -> date:
        while self.is_closed(day):
            day += timedelta(days=1)
        return day


OPEN_EVERY_DAY = Calendar(id="every-day")


def parse_month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2024, month, day)  # raises on an impossible day; 2024 allows 29 February
    return month, day
