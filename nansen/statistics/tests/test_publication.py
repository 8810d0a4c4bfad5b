import pytest
from django.urls import reverse

from nansen.statistics.cube import Filters
from nansen.statistics.publication import PublicationRefused, mask
from nansen.statistics.rates import DecisionCounts, as_percent
from nansen.statistics.selectors import (
    application_table,
    decision_table,
    processing_times,
    statistics_report,
)


def test_counts_from_one_to_four_are_published_as_five():
    assert [mask(n) for n in range(0, 8)] == [0, 5, 5, 5, 5, 5, 6, 7]


def test_published_tables_mask_cells_and_compute_totals_and_rates_from_them(personas, caseload):
    table = decision_table(
        user=personas.statistician,
        by=("origin", "year"),
        filters=Filters(instance="first"),
        published=True,
    )
    rows = {r.key: r for r in table.rows}
    # True: 2 recognized, 1 complementary, 1 closed; published: 5, 5, 0, 5.
    assert rows[("SYR", 2024)].counts == DecisionCounts(5, 5, 0, 5)
    assert rows[("SYR", 2024)].masked
    assert as_percent(rows[("SYR", 2024)].counts.recognition_rate) == 50.0  # published counts
    assert rows[("SYR", 2023)].counts == DecisionCounts(rejected=5)
    # The total is the sum of published cells: no masked cell can be found by subtraction.
    assert table.total == DecisionCounts(5, 5, 5, 5)
    applications = {
        r.key: r.values for r in application_table(user=personas.statistician, published=True).rows
    }
    assert applications[("SYR", 2024)] == {"new": 5, "repeat": 5}


def test_a_breakdown_that_would_identify_persons_is_refused(personas, caseload):
    with pytest.raises(PublicationRefused, match="fewer than 5 persons"):
        decision_table(
            user=personas.statistician,
            by=("origin", "sex", "age_group"),
            filters=Filters(instance="first"),
            published=True,
        )
    # The same breakdown unmasked is for the statistics roles only, and is given.
    assert decision_table(user=personas.statistician, by=("origin", "sex", "age_group")).rows


def test_published_processing_times_need_five_decisions(personas, caseload):
    rows = {r.key: r for r in processing_times(user=personas.statistician, published=True).rows}
    assert rows[("appeal", 2023)].median_days is None  # two appeal decisions: not published
    assert rows[("first", 2023)].median_days is None  # three
    assert rows[("first", 2024)].decisions == 5  # four, published as five
    assert rows[("first", 2024)].median_days is None


def test_a_published_report_gives_refusals_in_place_of_identifying_tables(personas, caseload):
    report = statistics_report(user=personas.statistician, published=True)
    assert isinstance(report["decisions_by_sex_and_age_group"], PublicationRefused)
    assert report["decisions_by_origin_and_year"].published


def test_the_api_answers_400_to_an_identifying_published_breakdown(client, personas, caseload):
    client.force_login(personas.statistician)
    response = client.get(
        "/api/statistics/decisions", {"by": ["sex", "age_group"], "published": "true"}
    )
    assert response.status_code == 400
    assert "cannot be published" in response.json()["detail"]


def test_the_published_page_marks_masked_rows(client, personas, caseload):
    client.force_login(personas.statistician)
    page = client.get(reverse("statistics:statistics"), {"published": "on"}).content.decode()
    assert "Computed from masked counts" in page
