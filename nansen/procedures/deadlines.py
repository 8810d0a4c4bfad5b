"""Counting legal periods: from the day of an event to the last day of a period.

The rules are data (a profile's ``counting`` entries); this module only carries them out and
writes down each step, so that a page can show how a last day was reached.

Japanese law, which the ``jp-icrra`` profile declares, counts like this:

* the day of the event is not counted (Civil Code Art. 140);
* a period in weeks, months or years runs by the calendar and ends on the day before the day
  that corresponds, in the last week, month or year, to the day counting began; when that
  month has no such day, it ends on the last day of the month (Civil Code Art. 143(2));
* a period whose last day is a closed day runs to the next open day (Act on Holidays of
  Administrative Organs Art. 2; Code of Civil Procedure Art. 95(3)).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from nansen.procedures.calendars import OPEN_EVERY_DAY, Calendar


@dataclass(frozen=True)
class Period:
    days: int = 0
    weeks: int = 0
    months: int = 0
    years: int = 0

    def __str__(self) -> str:
        parts = [
            f"{n} {unit if n == 1 else unit + 's'}"
            for n, unit in (
                (self.years, "year"),
                (self.months, "month"),
                (self.weeks, "week"),
                (self.days, "day"),
            )
            if n
        ]
        return " ".join(parts) or "0 days"


@dataclass(frozen=True)
class Counting:
    """How one family of periods is counted (declared in a profile)."""

    id: str
    first_day_counted: bool = False
    extend_past_closed_days: bool = False
    calendar: Calendar = OPEN_EVERY_DAY
    source: str = ""


@dataclass
class Computation:
    """The last day of a period and the steps that led to it."""

    event_on: date
    last_day: date
    steps: list[str] = field(default_factory=list)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _calendar_end(start: date, period: Period) -> date:
    """The last day of a calendar period beginning on ``start`` (start counted)."""
    months = period.months + 12 * period.years
    end = start
    if months:
        year, month = _add_months(start.year, start.month, months)
        last_of_month = _calendar.monthrange(year, month)[1]
        if start.day > last_of_month:
            # Civil Code Art. 143(2) proviso: no corresponding day, the month's last day.
            end = date(year, month, last_of_month)
        else:
            end = date(year, month, start.day) - timedelta(days=1)
        if period.weeks or period.days:
            end += timedelta(days=1)  # the next part of the period begins the day after
    if period.weeks or period.days:
        end += timedelta(days=7 * period.weeks + period.days - 1)
    return end


def last_day(event_on: date, period: Period, counting: Counting) -> Computation:
    """The last day of ``period`` after an event on ``event_on``, counted by ``counting``."""
    steps = [f"event on {event_on.isoformat()} ({event_on:%A})"]
    if counting.first_day_counted:
        start = event_on
        steps.append("the day of the event is counted")
    else:
        start = event_on + timedelta(days=1)
        steps.append(f"the day of the event is not counted: counting begins {start.isoformat()}")
    end = _calendar_end(start, period)
    steps.append(f"{period} → {end.isoformat()} ({end:%A})")
    if counting.extend_past_closed_days:
        reason = counting.calendar.closed_reason(end)
        while reason:
            steps.append(f"{end.isoformat()} is closed ({reason})")
            end += timedelta(days=1)
            reason = counting.calendar.closed_reason(end)
        steps.append(f"last day: {end.isoformat()} ({end:%A})")
    return Computation(event_on=event_on, last_day=end, steps=steps)
