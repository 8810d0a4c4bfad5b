"""Consistency aids: how similar claims were decided in the office."""

from datetime import date

from django.urls import reverse

from nansen.eligibility import services
from nansen.eligibility.selectors import similar_claims
from nansen.eligibility.testing import complete_assessment
from nansen.eligibility.tests.conftest import lodge
from nansen.procedures.services import decision_record
from nansen.testing import register_family


def decided(personas, *, conclusion, origin="SYR", profile="draft_evader", clerk=None):
    case = register_family(clerk or personas.clerk, origin=origin, children=0)
    application = lodge(personas, case)
    assessment = complete_assessment(personas.officer, application, conclusion=conclusion)
    if profile != "draft_evader":
        services.assessment_general_save(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            language="en",
            risk_profile=profile,
        )
    application.refresh_from_db()
    decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome=conclusion,
        decided_on=date(2025, 3, 1),
        reasons="Reasons.",
    )
    return application


def test_similar_claims_are_counted_by_nationality_ground_and_profile(personas, application):
    first = decided(personas, conclusion="recognized")
    decided(personas, conclusion="recognized")
    decided(personas, conclusion="complementary", profile="civilian_conflict")
    decided(personas, conclusion="rejected", origin="AFG")
    assessment = complete_assessment(personas.officer, application)
    found = similar_claims(user=personas.officer, assessment=assessment)
    rows = [(r.recognized, r.complementary, r.rejected) for r in found.rows]
    # Same nationality: 3 (the Afghan claim is not counted). The complementary one was not
    # established on political opinion, but it was claimed: same claimed ground.
    assert rows == [(2, 1, 0), (2, 1, 0), (2, 0, 0)]
    assert found.rows[0].protection_rate == 100
    assert first.pk in {d.application_id for d in found.examples}
    assert application.pk not in {d.application_id for d in found.examples}


def test_claims_of_other_offices_are_not_counted(personas, application):
    from nansen.accounts.roles import Role
    from nansen.testing import make_user

    osaka_clerk = make_user("osaka_clerk", personas.osaka, Role.CLERK)
    case = register_family(osaka_clerk, children=0)
    principal = case.members.get(relationship="principal").person
    from nansen.procedures.services import application_lodge

    application_lodge(
        actor=osaka_clerk, case=case, persons=[principal], lodged_on=date(2025, 1, 10)
    )
    assessment = complete_assessment(personas.officer, application)
    found = similar_claims(user=personas.officer, assessment=assessment)
    assert [r.total for r in found.rows] == [0, 0, 0]


def test_the_page_shows_the_counts_with_links(client, personas, application):
    other = decided(personas, conclusion="recognized")
    complete_assessment(personas.officer, application)
    client.force_login(personas.officer)
    response = client.get(reverse("eligibility:assessment", args=[application.pk]))
    assert "How similar claims were decided in this office" in response.text
    assert reverse("procedures:application_detail", args=[other.pk]) in response.text
