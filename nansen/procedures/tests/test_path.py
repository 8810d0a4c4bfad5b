from datetime import date

import pytest
from django.urls import reverse

from nansen.audit.models import CaseEvent
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Application, Decision
from nansen.procedures.services import (
    application_lodge,
    application_record_interview,
    decision_record,
)
from nansen.testing import register_family

PAPERS = "The applicant asked for the claim to be decided on the written statement."


@pytest.fixture
def family(personas):
    return register_family(personas.clerk, children=1)


def _members(case):
    return [m.person for m in case.members.select_related("person").order_by("pk")]


@pytest.mark.usefixtures("assessments_drafted")
def test_it_lodges_interviews_and_decides_through_the_pages(client, personas, family):
    persons = _members(family)
    client.force_login(personas.clerk)
    data = {"lodged_on": "2025-02-03"}
    data.update({f"person_{p.pk}": "on" for p in persons[:2]})
    response = client.post(reverse("procedures:application_lodge", args=[family.pk]), data)
    assert response.status_code == 302
    application = Application.objects.get(person=persons[0])
    assert (application.ordinal, application.stage) == (1, "lodged")
    assert not Application.objects.filter(person=persons[2]).exists()

    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:application_interview", args=[application.pk]),
        {"interview_on": "2025-03-10", "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == "interviewed"

    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]),
        {
            "outcome": "recognized",
            "decided_on": "2025-05-01",
            "reasons": "Well-founded fear.",
            "version": application.version,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.decided_by) == ("recognized", personas.officer)
    application.refresh_from_db()
    assert application.stage == "recognized"
    verbs = list(
        CaseEvent.objects.filter(case=family)
        .exclude(verb__startswith="assessment_")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "case_registered",
        "application_lodged",
        "application_lodged",
        "interview_recorded",
        "decision_recorded",
    ]
    decided = CaseEvent.objects.get(verb="decision_recorded")
    assert (decided.state_before, decided.state_after, decided.actor) == (
        "interviewed",
        "recognized",
        personas.officer,
    )

    page = client.get(reverse("registration:case_detail", args=[family.pk])).content.decode()
    assert "Recognized as a refugee" in page
    assert "Decision recorded" in page


def test_a_closed_decision_needs_its_reason_and_the_form_keeps_the_reasons(
    client, personas, family
):
    (application,) = application_lodge(
        actor=personas.clerk, case=family, persons=_members(family)[:1], lodged_on=date(2025, 1, 5)
    )
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]),
        {
            "outcome": "closed",
            "decided_on": "2025-02-01",
            "reasons": "He left Japan.",
            "version": application.version,
        },
    )
    assert response.status_code == 400
    assert "Say why the application is closed." in response.content.decode()
    assert "He left Japan." in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.usefixtures("assessments_drafted")
def test_repeat_applications_are_numbered(personas, family):
    principal = _members(family)[0]
    (first,) = application_lodge(
        actor=personas.clerk, case=family, persons=[principal], lodged_on=date(2022, 1, 10)
    )
    with pytest.raises(NotAllowed, match="awaiting a decision"):
        application_lodge(
            actor=personas.clerk, case=family, persons=[principal], lodged_on=date(2022, 6, 1)
        )
    decision_record(
        actor=personas.officer,
        application=first,
        expected_version=first.version,
        outcome="rejected",
        decided_on=date(2022, 12, 1),
        reasons="No nexus.",
        without_interview_reason=PAPERS,
    )
    (second,) = application_lodge(
        actor=personas.clerk, case=family, persons=[principal], lodged_on=date(2023, 3, 1)
    )
    assert second.ordinal == 2 and second.is_repeat
    decision_record(
        actor=personas.officer,
        application=second,
        expected_version=second.version,
        outcome="rejected",
        decided_on=date(2023, 5, 1),
        reasons="No new facts.",
        without_interview_reason=PAPERS,
    )
    with pytest.raises(NotAllowed, match="number 3 or later"):
        application_lodge(
            actor=personas.supervisor,
            case=family,
            persons=[principal],
            lodged_on=date(2023, 6, 1),
            ordinals={principal.pk: 1},
        )


def test_an_application_counted_from_before_nansen_keeps_its_number(personas, family):
    principal = _members(family)[0]
    (application,) = application_lodge(
        actor=personas.clerk,
        case=family,
        persons=[principal],
        lodged_on=date(2024, 1, 10),
        ordinals={principal.pk: 3},
    )
    assert application.ordinal == 3


@pytest.mark.usefixtures("assessments_drafted")
def test_it_refuses_a_second_decision_and_dates_out_of_order(personas, family):
    (application,) = application_lodge(
        actor=personas.clerk, case=family, persons=_members(family)[:1], lodged_on=date(2025, 1, 5)
    )
    with pytest.raises(NotAllowed, match="before the application was lodged"):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome="rejected",
            decided_on=date(2024, 12, 1),
            reasons="x",
            without_interview_reason=PAPERS,
        )
    decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 2, 1),
        reasons="x",
        without_interview_reason=PAPERS,
    )
    application.refresh_from_db()
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome="recognized",
            decided_on=date(2025, 2, 2),
            reasons="y",
            without_interview_reason=PAPERS,
        )


@pytest.mark.usefixtures("assessments_drafted")
def test_a_stale_version_is_refused(personas, family):
    (application,) = application_lodge(
        actor=personas.clerk, case=family, persons=_members(family)[:1], lodged_on=date(2025, 1, 5)
    )
    stale = application.version
    application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=stale,
        interview_on=date(2025, 1, 20),
    )
    with pytest.raises(ConcurrentEditError):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=stale,
            outcome="rejected",
            decided_on=date(2025, 2, 1),
            reasons="x",
        )
    assert not Decision.objects.exists()


@pytest.mark.parametrize("username", ["clerk", "statistician", "lawyer", "appeals"])
def test_only_deciding_roles_may_record_a_decision(client, personas, family, username):
    (application,) = application_lodge(
        actor=personas.clerk, case=family, persons=_members(family)[:1], lodged_on=date(2025, 1, 5)
    )
    family.representatives.add(personas.lawyer)
    client.force_login(getattr(personas, username))
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]),
        {
            "outcome": "recognized",
            "decided_on": "2025-05-01",
            "reasons": "x",
            "version": application.version,
        },
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


@pytest.mark.usefixtures("assessments_drafted")
def test_dates_follow_the_order_of_the_procedure(personas, family):
    principal = _members(family)[0]
    (first,) = application_lodge(
        actor=personas.clerk, case=family, persons=[principal], lodged_on=date(2022, 1, 10)
    )
    application_record_interview(
        actor=personas.officer,
        application=first,
        expected_version=first.version,
        interview_on=date(2022, 3, 1),
    )
    first.refresh_from_db()
    with pytest.raises(NotAllowed, match="before the interview"):
        decision_record(
            actor=personas.officer,
            application=first,
            expected_version=first.version,
            outcome="rejected",
            decided_on=date(2022, 2, 1),
            reasons="x",
        )
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        application_record_interview(
            actor=personas.officer,
            application=first,
            expected_version=first.version,
            interview_on=date(2022, 3, 2),
        )
    decision_record(
        actor=personas.officer,
        application=first,
        expected_version=first.version,
        outcome="rejected",
        decided_on=date(2022, 6, 1),
        reasons="x",
    )
    with pytest.raises(NotAllowed, match="before the decision on the previous one"):
        application_lodge(
            actor=personas.clerk, case=family, persons=[principal], lodged_on=date(2022, 5, 1)
        )


def test_a_decision_on_the_claim_needs_a_complete_assessment(personas, family):
    from nansen.eligibility.testing import complete_assessment

    (application,) = application_lodge(
        actor=personas.clerk,
        case=family,
        persons=_members(family)[:1],
        lodged_on=date(2025, 1, 5),
    )
    application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date(2025, 1, 20),
    )
    application.refresh_from_db()
    with pytest.raises(NotAllowed, match="No eligibility assessment"):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome="recognized",
            decided_on=date(2025, 2, 1),
            reasons="x",
        )
    complete_assessment(personas.officer, application, conclusion="rejected")
    with pytest.raises(NotAllowed, match="concludes"):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome="recognized",
            decided_on=date(2025, 2, 1),
            reasons="x",
        )
    decision = decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 2, 1),
        reasons="x",
    )
    assert not decision.historical


def test_closing_a_file_and_entering_a_historical_decision_need_no_assessment(personas, family):
    first, second = application_lodge(
        actor=personas.clerk,
        case=family,
        persons=_members(family)[:2],
        lodged_on=date(2019, 1, 5),
    )
    closed = decision_record(
        actor=personas.officer,
        application=first,
        expected_version=first.version,
        outcome="closed",
        closure_reason="withdrawn",
        decided_on=date(2019, 2, 1),
        reasons="Withdrawn in writing.",
        without_interview_reason="Withdrawn before it.",
    )
    historical = decision_record(
        actor=personas.officer,
        application=second,
        expected_version=second.version,
        outcome="rejected",
        decided_on=date(2019, 6, 1),
        reasons="From the paper file.",
        without_interview_reason="Not in the paper file.",
        historical=True,
    )
    assert (closed.historical, historical.historical) == (False, True)
    event = CaseEvent.objects.filter(verb="decision_recorded").latest("pk")
    assert event.details["historical"] is True
