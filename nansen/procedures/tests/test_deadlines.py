"""Counting legal periods on the real calendar: Japanese holidays (substitute and citizens'
holidays included), the year-end closure, weekends, month ends and leap years."""

from datetime import date

import pytest

from nansen.procedures import profiles
from nansen.procedures.calendars import Calendar
from nansen.procedures.deadlines import Counting, Period, last_day


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to("2026-03-02 09:00 +09:00", tick=False)


def _last(profile_id: str, rule: str, event_on: str) -> date:
    return profiles.get(profile_id).last_day(rule, date.fromisoformat(event_on)).last_day


@pytest.mark.parametrize(
    ("notified_on", "last"),
    [
        # Golden Week 2025: 5 May (Children's Day) and 6 May (substitute holiday for
        # Greenery Day on a Sunday) are closed.
        ("2025-04-28", "2025-05-07"),
        # Golden Week 2026: 4, 5 and 6 May (substitute for Constitution Day, a Sunday).
        ("2026-04-27", "2026-05-07"),
        # The year-end closure (29 December – 3 January) and the weekend after it.
        ("2025-12-22", "2026-01-05"),
        # A last day on a Sunday runs to Monday.
        ("2025-06-08", "2025-06-16"),
        # 22 September 2026 is a citizens' holiday between two national holidays.
        ("2026-09-14", "2026-09-24"),
        # An ordinary week: notified on a Tuesday, last day the next Tuesday.
        ("2025-07-01", "2025-07-08"),
    ],
)
def test_the_request_for_review_runs_seven_days_and_skips_closed_days(notified_on, last):
    assert _last("jp-icrra", "review-request", notified_on) == date.fromisoformat(last)


@pytest.mark.parametrize(
    ("notified_on", "last"),
    [
        ("2025-03-31", "2025-09-30"),  # counting from 1 April: six whole months
        # Counting from 31 August: February has no 31st, the month's last day (Civil Code
        # Art. 143(2)), here in leap years 2024 and 2028 and in 2025.
        ("2023-08-30", "2024-02-29"),
        ("2027-08-30", "2028-02-29"),
        ("2024-08-30", "2025-02-28"),
        # 28 February 2026 is a Saturday: the period runs to Monday 2 March.
        ("2025-08-31", "2026-03-02"),
        # Notified on 29 February 2024: counting from 1 March ends on Saturday 31 August,
        # moved past the weekend.
        ("2024-02-29", "2024-09-02"),
    ],
)
def test_the_court_action_runs_six_calendar_months(notified_on, last):
    assert _last("jp-icrra", "court-action", notified_on) == date.fromisoformat(last)


@pytest.mark.parametrize(
    ("rule", "served_on", "last"),
    [
        # Served on Tuesday 21 April 2026: two weeks from the next day end on Tuesday 5 May,
        # Children's Day, then 6 May (substitute for Constitution Day on a Sunday): 7 May.
        ("court-appeal", "2026-04-21", "2026-05-07"),
        ("final-appeal", "2026-04-21", "2026-05-07"),
        # An ordinary fortnight: served on a Wednesday, the last day two Wednesdays on.
        ("court-appeal", "2025-06-11", "2025-06-25"),
        # Two weeks ending on 31 December: the courts reopen on Monday 5 January.
        ("final-appeal", "2025-12-17", "2026-01-05"),
        # 22 September 2026, a citizens' holiday, then the equinox.
        ("final-appeal", "2026-09-08", "2026-09-24"),
        # Served on a Saturday: the fortnight ends on a Saturday, so on Monday.
        ("court-appeal", "2025-08-02", "2025-08-18"),
    ],
)
def test_an_appeal_against_a_judgment_runs_two_weeks_from_its_service(rule, served_on, last):
    assert _last("jp-icrra", rule, served_on) == date.fromisoformat(last)


@pytest.mark.parametrize(
    ("rule", "notified_on", "last"),
    [
        ("appeal", "2025-05-16", "2025-06-15"),  # a Sunday stays the last day
        ("appeal", "2024-01-30", "2024-02-29"),
        ("appeal", "2028-01-30", "2028-02-29"),
        ("appeal", "2025-01-30", "2025-03-01"),
        # Six weeks after the last day of the appeal (9 February 2025).
        ("appeal-late", "2025-01-10", "2025-03-23"),
        ("abandonment", "2025-03-03", "2025-04-14"),
    ],
)
def test_unhcr_periods_count_calendar_days(rule, notified_on, last):
    assert _last("unhcr-mandate", rule, notified_on) == date.fromisoformat(last)


def test_the_computation_explains_each_step():
    computation = profiles.get("jp-icrra").last_day("review-request", date(2025, 4, 28))
    text = "\n".join(computation.steps)
    assert "counting begins 2025-04-29" in text
    assert "2025-05-05 is closed (Children's Day)" in text
    assert "2025-05-06 is closed (Substitute Holiday)" in text
    assert computation.steps[-1] == "last day: 2025-05-07 (Wednesday)"


def test_the_japanese_calendar_comes_from_the_holiday_law_not_a_typed_list():
    calendar = profiles.get("jp-icrra").calendars["jp-administrative"]
    assert calendar.public_holidays == "JP"
    assert calendar.is_closed(date(2019, 4, 30))  # citizens' holiday, the 2019 enthronement
    assert calendar.is_closed(date(2031, 12, 30))
    assert not calendar.is_closed(date(2025, 12, 26))


def test_periods_of_weeks_days_and_months_add_up():
    counting = Counting("plain", calendar=Calendar("open"))
    assert last_day(date(2025, 1, 31), Period(months=1), counting).last_day == date(2025, 2, 28)
    assert last_day(date(2025, 2, 28), Period(months=1), counting).last_day == date(2025, 3, 31)
    assert last_day(date(2025, 1, 1), Period(weeks=2), counting).last_day == date(2025, 1, 15)
    counted = Counting("first-day", first_day_counted=True)
    assert last_day(date(2025, 1, 1), Period(days=7), counted).last_day == date(2025, 1, 7)
