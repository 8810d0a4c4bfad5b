from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from nansen.statistics.comparison import (
    Figures,
    comparison_by_origin,
    comparison_series,
    protection_gap,
)
from nansen.statistics.rates import DecisionCounts


@pytest.fixture
def unhcr(unhcr_excerpt):
    call_command("statistics", "import-unhcr", str(unhcr_excerpt), stdout=StringIO())


def test_a_rate_far_below_the_worlds_is_flagged_with_its_uncertainty():
    world = Figures.exact(DecisionCounts(recognized=9000, complementary=700, rejected=300))
    office = Figures.exact(DecisionCounts(recognized=3, complementary=2, rejected=45))
    gap = protection_gap(office, world)
    assert gap.difference == pytest.approx(0.1 - 0.97)
    assert gap.interval.low < gap.difference < gap.interval.high < 0
    assert gap.p_value < 1e-6 and gap.flagged
    # One decision, a rejection: far below, but not beyond chance (exact test) — not flagged.
    few = protection_gap(Figures.exact(DecisionCounts(rejected=1)), world)
    assert few.difference < -0.9 and few.p_value > 0.05 and not few.flagged


def test_the_office_stands_beside_japan_and_the_world(personas, caseload, unhcr):
    rows = {
        r.year: r
        for r in comparison_series(
            user=personas.statistician,
            origin="SYR",
            asylum="JPN",
            years=(2011, 2025),
            published=False,
        )
    }
    assert rows[2023].office.counts == DecisionCounts(recognized=1, rejected=4)
    assert rows[2015].country.counts.substantive == 10  # UNHCR: Japan 2015, 5 + 5 masked
    assert rows[2015].country.masked
    assert rows[2015].world.tpr == pytest.approx(0.973, abs=5e-4)
    assert rows[2023].gap.flagged  # 20 % against the world's >90 %: far below
    world_rows = comparison_by_origin(
        user=personas.statistician, year=2023, asylum="JPN", published=False
    )
    assert [r.origin for r in world_rows] == ["SYR"]


def test_others_see_the_office_figures_only_as_published(personas, caseload, unhcr):
    (row,) = [
        r
        for r in comparison_series(
            user=personas.officer, origin="SYR", asylum="JPN", years=(2023, 2023), published=True
        )
    ]
    assert row.office.counts == DecisionCounts(recognized=5, rejected=5)
    assert row.office.masked


def test_the_story_page_shows_chart_and_table(client, personas, caseload, unhcr):
    client.force_login(personas.officer)
    response = client.get(
        reverse("statistics:statistics_compare"), {"origin": "SYR", "asylum": "JPN"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="line-chart"' in page and "<table" in page
    assert "97.3 %" in page and "‡" in page
    client.force_login(personas.statistician)
    page = client.get(reverse("statistics:statistics_world"), {"year": "2023"}).content.decode()
    assert "far below" in page
