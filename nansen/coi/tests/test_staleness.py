"""A source older than the office's limit is flagged."""

from datetime import date

import pytest

from nansen.coi.models import CoiSettings
from nansen.coi.selectors import months_before, search_passages, stale_cutoff
from nansen.coi.services import coi_settings_set
from nansen.coi.tests.conftest import add


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 24, date(2022, 2, 28)),
        (date(2026, 1, 15), 24, date(2024, 1, 15)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_the_default_limit_is_two_years(personas):
    assert stale_cutoff(personas.tokyo, date(2026, 1, 15)) == date(2024, 1, 15)


def test_each_office_sets_its_own_limit(personas):
    coi_settings_set(
        actor=personas.supervisor,
        office=personas.tokyo,
        stale_after_months=12,
        expected_version=None,
    )
    assert stale_cutoff(personas.tokyo, date(2026, 1, 15)) == date(2025, 1, 15)
    assert stale_cutoff(personas.osaka, date(2026, 1, 15)) == date(2024, 1, 15)
    assert CoiSettings.objects.get(office=personas.tokyo).stale_after_months == 12


def test_search_results_flag_sources_older_than_the_offices_limit(personas):
    add(personas.officer, "Evaders are arrested.", title="Old", published_on=date(2023, 6, 1))
    add(personas.officer, "Evaders are conscripted.", title="New", published_on=date(2025, 6, 1))
    results = search_passages(query="evaders", office=personas.tokyo, today=date(2026, 1, 15))
    assert {r.source.title: r.stale for r in results} == {"Old": True, "New": False}


def test_only_a_supervisor_sets_the_limit_of_their_own_office(personas):
    from django.http import Http404

    from nansen.core.permissions import NotAllowed

    with pytest.raises(Http404):
        coi_settings_set(
            actor=personas.officer,
            office=personas.tokyo,
            stale_after_months=6,
            expected_version=None,
        )
    with pytest.raises(NotAllowed):
        coi_settings_set(
            actor=personas.supervisor,
            office=personas.osaka,
            stale_after_months=6,
            expected_version=None,
        )
