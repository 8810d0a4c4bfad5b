from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from nansen.procedures.models import Application
from nansen.statistics.cube import SETTLING_TIME, Filters, cube_refresh
from nansen.statistics.models import CubeSnapshot, DecisionCell
from nansen.statistics.rates import DecisionCounts, as_percent
from nansen.statistics.selectors import (
    application_table,
    decision_table,
    overview_table,
    percentile,
    processing_times,
    statistics_report,
    stock_on,
)
from nansen.statistics.tests.caseload import decide


def _rows(table):
    return {row.key: row for row in table.rows}


def test_each_instance_is_counted_as_unhcr_counts_decision_levels(personas, caseload):
    rows = _rows(decision_table(user=personas.statistician, by=("instance", "year")))
    assert rows[("first", 2024)].counts == DecisionCounts(2, 1, 0, 1)
    assert rows[("first", 2023)].counts == DecisionCounts(0, 0, 3, 0)
    # The man's rejection was overturned on appeal: rejected at first instance, recognized
    # on appeal — two decisions at two levels, never netted against each other.
    assert rows[("appeal", 2023)].counts == DecisionCounts(recognized=1, rejected=1)
    assert as_percent(rows[("appeal", 2023)].counts.recognition_rate) == 50.0
    assert set(rows) == {("first", 2024), ("first", 2023), ("appeal", 2023)}


def test_otherwise_closed_decisions_stay_out_of_both_rates(personas, caseload):
    (row,) = decision_table(
        user=personas.statistician,
        by=("origin",),
        filters=Filters(year_from=2024, instance="first"),
    ).rows
    assert row.counts.total == 4
    assert row.counts.substantive == 3
    assert as_percent(row.counts.recognition_rate) == 66.7  # 2 / 3, the withdrawn file left out
    assert as_percent(row.counts.protection_rate) == 100.0


def test_applications_count_new_and_repeat_persons(personas, caseload):
    rows = _rows(application_table(user=personas.statistician, by=("origin", "year")))
    assert rows[("SYR", 2024)].values == {"new": 4, "repeat": 1}
    assert rows[("SYR", 2023)].values == {"new": 3, "repeat": 0}
    assert rows[("AFG", 2024)].values == {"new": 2, "repeat": 0}
    overview = _rows(overview_table(user=personas.statistician))
    assert overview[("SYR", 2024)].applications_total == 5  # persons: 2 cases, 5 persons
    assert overview[("SYR", 2024)].applications["repeat"] == 1
    # Family C's applications, still pending: a row of applications beside no decisions.
    assert overview[("AFG", 2024)].applications == {"new": 2, "repeat": 0}
    assert overview[("AFG", 2024)].counts == DecisionCounts()


def test_decisions_break_down_by_sex_age_group_quarter_and_profile(personas, caseload):
    first_2024 = Filters(year_from=2024, instance="first")
    by_sex = _rows(decision_table(user=personas.statistician, by=("sex",), filters=first_2024))
    assert by_sex[("M",)].counts == DecisionCounts(recognized=1, complementary=1)
    assert by_sex[("F",)].counts == DecisionCounts(recognized=1, closed=1)
    by_age = _rows(
        decision_table(user=personas.statistician, by=("age_group",), filters=first_2024)
    )
    assert {k: r.counts.total for k, r in by_age.items()} == {("18-59",): 2, ("5-11",): 2}
    by_quarter = _rows(decision_table(user=personas.statistician, by=("year", "quarter", "month")))
    assert set(by_quarter) == {(2024, 3, 9), (2023, 2, 5), (2023, 4, 11), (2023, 4, 12)}
    by_profile = decision_table(user=personas.statistician, by=("profile", "office"))
    (profile,) = set(
        Application.objects.filter(office=personas.tokyo).values_list("profile", flat=True)
    )
    assert [r.labels for r in by_profile.rows] == [[profile, "TKY"]]
    assert by_profile.total.total == 9


def test_the_pending_caseload_on_any_date(personas, caseload):
    before = _rows(stock_on(user=personas.statistician, on=date(2024, 6, 30)))
    assert {k: r.values["pending"] for k, r in before.items()} == {("SYR",): 5, ("AFG",): 2}
    after = _rows(stock_on(user=personas.statistician, on=date(2024, 9, 1)))
    assert {k: r.values["pending"] for k, r in after.items()} == {("SYR",): 1, ("AFG",): 2}
    early = _rows(stock_on(user=personas.statistician, on=date(2023, 3, 1)))
    assert {k: r.values["pending"] for k, r in early.items()} == {("SYR",): 3}


@pytest.mark.parametrize(
    "on",
    [date(2024, 6, 30), date(2024, 6, 29), date(2024, 9, 1), date(2023, 12, 31), date(2024, 2, 29)],
)
def test_the_pending_caseload_is_the_same_from_the_cube_and_counted_live(personas, caseload, on):
    """A month's last day takes its whole month from the cube; any other day counts the
    days of its month live. Either way the figure is the one counted over every row."""
    later = timezone.now() + SETTLING_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        cube_refresh()
        from_cube = _rows(stock_on(user=personas.statistician, on=on))
        live = _rows(stock_on(user=personas.statistician, on=on, snapshot=None))
    assert {k: r.values for k, r in from_cube.items()} == {k: r.values for k, r in live.items()}


def test_processing_times_give_median_and_90th_percentile(personas, caseload):
    rows = _rows(processing_times(user=personas.statistician))
    assert rows[("first", 2024)].median_days == 213  # 2024-02-01 to 2024-09-01
    assert rows[("first", 2023)].median_days == 120
    appeal = rows[("appeal", 2023)]  # 175 and 205 days after the decision appealed
    assert (appeal.decisions, appeal.median_days) == (2, 190)
    assert appeal.p90_days == pytest.approx(202)


def test_percentiles_interpolate_between_ranks_like_numpy():
    import numpy as np

    values = [3, 3, 5, 8, 13, 13, 13, 40]
    histogram = {v: values.count(v) for v in set(values)}
    for q in (0.1, 0.5, 0.9):
        assert percentile(histogram, q) == pytest.approx(np.percentile(values, q * 100))


def test_the_cube_gives_the_live_figures_and_adds_newer_decisions(personas, caseload):
    def everything():
        report = statistics_report(user=personas.statistician, on=date(2024, 6, 30))
        return {name: table.as_dict() for name, table in report.items()}

    live = everything()
    # Refresh as if the settling time had passed since the caseload was recorded.
    later = timezone.now() + SETTLING_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        cube_refresh()
    assert CubeSnapshot.objects.exists() and DecisionCell.objects.exists()
    assert everything() == live
    # A decision recorded after the refresh is counted from the live tail.
    pending = caseload["c"].applications.first()
    decide(personas, pending, "recognized", date(2024, 10, 1))
    (row,) = decision_table(
        user=personas.statistician, by=("origin",), filters=Filters(origin="AFG")
    ).rows
    assert row.counts == DecisionCounts(recognized=1)


def test_breakdown_page_shows_chart_and_table(client, personas, caseload):
    client.force_login(personas.statistician)
    response = client.get(reverse("statistics:statistics_breakdown"), {"by": ["instance", "year"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<table" in page
    assert "Administrative review or appeal" in page
    assert "Ahmad" not in page


def test_report_page_lists_every_standard_table(client, personas, caseload):
    client.force_login(personas.supervisor)
    response = client.get(
        reverse("statistics:statistics_report"),
        {"on": "2024-06-30", "unmask": "on", "purpose": "Quarterly review of waiting times"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pending at first instance at the end of 2024-06-30" in page
    assert "213.0" in page  # the median processing time


@pytest.mark.parametrize("role", ["clerk", "officer", "appeals", "lawyer", "admin", "auditor"])
def test_statistics_pages_answer_404_without_the_statistics_role(client, personas, role):
    client.force_login(getattr(personas, role))
    for name in (
        "statistics:statistics",
        "statistics:statistics_breakdown",
        "statistics:statistics_report",
        "statistics:statistics_world",
    ):
        assert client.get(reverse(name)).status_code == 404
