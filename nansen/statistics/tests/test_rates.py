import json
from datetime import date
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from nansen.procedures.services import application_lodge, decision_record
from nansen.statistics.rates import DecisionCounts, as_percent
from nansen.statistics.selectors import overview_table
from nansen.statistics.templatetags.statistics_extras import rate
from nansen.testing import register_family


def test_rates_follow_unhcr_definitions():
    counts = DecisionCounts(recognized=3, complementary=1, rejected=6, closed=5)
    assert counts.substantive == 10
    assert counts.total == 15
    assert counts.protected == 4
    assert counts.recognition_rate == Fraction(3, 10)
    assert counts.protection_rate == Fraction(4, 10)


def test_rates_are_undefined_without_substantive_decisions():
    only_closed = DecisionCounts(closed=4)
    assert only_closed.recognition_rate is None
    assert only_closed.protection_rate is None


def test_it_shows_a_rate_in_percent_to_one_decimal_as_the_api_gives_it():
    assert rate(Fraction(2, 3)) == "66.7 %" and as_percent(Fraction(2, 3)) == 66.7
    assert rate(None) == "—"


def _decide_family(personas, *, outcomes, origin="SYR", year=2024):
    """One family, one application per member, decided with the given outcomes in order."""
    case = register_family(personas.clerk, origin=origin, children=len(outcomes) - 2)
    persons = [m.person for m in case.members.select_related("person").order_by("pk")]
    applications = application_lodge(
        actor=personas.clerk, case=case, persons=persons, lodged_on=date(year, 2, 1)
    )
    for application, outcome in zip(applications, outcomes, strict=True):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome=outcome,
            closure_reason="withdrawn" if outcome == "closed" else "",
            decided_on=date(year, 9, 1),
            reasons="Reasons.",
            without_interview_reason="Decided on the file (statistics test).",
        )
    return case


@pytest.fixture
def caseload(personas, assessments_drafted):
    # Syria: 2 families, 7 persons decided: 3 recognized, 1 complementary, 2 rejected, 1 closed.
    _decide_family(personas, outcomes=["recognized", "recognized", "complementary", "closed"])
    _decide_family(personas, outcomes=["recognized", "rejected", "rejected"])
    # Afghanistan: one family of 3, all rejected.
    _decide_family(personas, outcomes=["rejected", "rejected", "rejected"], origin="AFG")
    # Another office's decisions never count in Tokyo's statistics.
    other_clerk, other_officer = personas.outsider, personas.outsider
    case = register_family(other_clerk, children=0)
    for application in application_lodge(
        actor=other_clerk,
        case=case,
        persons=[m.person for m in case.members.all()],
        lodged_on=date(2024, 2, 1),
    ):
        decision_record(
            actor=other_officer,
            application=application,
            expected_version=application.version,
            outcome="recognized",
            decided_on=date(2024, 3, 1),
            reasons="x",
            without_interview_reason="Decided on the file (statistics test).",
        )


def test_statistics_count_persons_and_exclude_closed_from_rates(personas, caseload):
    rows = {r.key[0]: r for r in overview_table(user=personas.statistician).rows}
    syria = rows["SYR"]
    assert syria.applications_total == 7  # persons, not the 2 cases
    assert syria.counts == DecisionCounts(recognized=3, complementary=1, rejected=2, closed=1)
    assert as_percent(syria.counts.recognition_rate) == 50.0  # 3 / 6, the closed file left out
    assert as_percent(syria.counts.protection_rate) == 66.7  # 4 / 6
    afghanistan = rows["AFG"]
    assert (afghanistan.counts.recognition_rate, afghanistan.counts.protection_rate) == (0, 0)
    assert set(rows) == {"SYR", "AFG"}


def test_the_statistics_page_shows_rates_and_no_names(client, personas, caseload):
    client.force_login(personas.statistician)
    response = client.get(reverse("statistics:statistics"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "50.0 %" in page and "66.7 %" in page
    assert "Ahmad" not in page and "أحمد" not in page
    assert "<svg" in page and "<table" in page


def test_stats_command_prints_json(personas, caseload):
    out = StringIO()
    call_command("stats", "--json", "--user", "statistician", stdout=out)
    document = json.loads(out.getvalue())
    syria = next(r for r in document["rows"] if r["country_of_origin"] == "SYR")
    assert syria == {
        "country_of_origin": "SYR",
        "year": 2024,
        "applications": 7,
        "applications_new": 7,
        "applications_repeat": 0,
        "recognized": 3,
        "complementary": 1,
        "rejected": 2,
        "closed": 1,
        "total_decisions": 7,
        "recognition_rate": 50.0,
        "protection_rate": 66.7,
    }
    assert document["unit"] == "persons"
    assert document["totals"]["decisions"] == 10


def test_statistics_are_refused_to_a_clerk(client, personas):
    client.force_login(personas.clerk)
    assert client.get(reverse("statistics:statistics")).status_code == 404
