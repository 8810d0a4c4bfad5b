"""Recognition under UNHCR's broader mandate: a claim resting on a serious threat from
indiscriminate violence, with no Convention ground, reaches an outcome under unhcr-mandate
(before, every conclusion was refused) — and only there: the profile decides which
conclusions an assessment has, and Japan's has no broader mandate."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from nansen.core.permissions import NotAllowed
from nansen.eligibility import services
from nansen.eligibility.forms import ConclusionForm
from nansen.eligibility.selectors import (
    assessment_blocks_decision,
    conclusions_for,
    decision_reasons_draft,
)
from nansen.eligibility.testing import complete_assessment
from nansen.eligibility.tests.test_api import auth, put
from nansen.procedures import profiles
from nansen.procedures import services as procedure_services
from nansen.procedures.models import Decision
from nansen.testing import register_family

# UNHCR's mandate does not move with Japan's amendments of 1 December 2023 and 10 June 2024.
DAYS = ("2023-11-30", "2023-12-01", "2024-06-09", "2024-06-10")
BROADER_FORM = "Recognition of refugee status under UNHCR's broader mandate"


def unhcr_application(time_machine, personas, on: str = "2025-01-10"):
    """A principal applicant's claim under UNHCR's mandate, interviewed on ``on``."""
    day = date.fromisoformat(on)
    time_machine.move_to(datetime(day.year, day.month, day.day, 3, tzinfo=UTC), tick=False)
    case = register_family(personas.clerk, children=0)
    principal = case.members.get(relationship="principal").person
    (application,) = procedure_services.application_lodge(
        actor=personas.clerk, case=case, persons=[principal], lodged_on=day, profile="unhcr-mandate"
    )
    procedure_services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=day,
    )
    application.refresh_from_db()
    return application


def conclude(personas, assessment, conclusion: str):
    assessment.refresh_from_db()
    return services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="conclusion",
        values={"conclusion": conclusion, "conclusion_reasons": "As found above."},
    )


def decide(personas, application, on: str, **kwargs):
    application.refresh_from_db()
    return procedure_services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome=kwargs.pop("outcome", "recognized"),
        decided_on=date.fromisoformat(on),
        reasons="Generalised violence in the home governorate.",
        **kwargs,
    )


def test_the_profile_decides_which_conclusions_an_assessment_has():
    assert conclusions_for(profiles.get("unhcr-mandate")) == [
        "recognized",
        "recognized_broader",
        "rejected",
    ]
    assert conclusions_for(profiles.get("jp-icrra")) == ["recognized", "complementary", "rejected"]


@pytest.mark.parametrize("on", DAYS)
def test_a_claim_of_indiscriminate_violence_is_recognised_under_the_broader_mandate(
    time_machine, personas, on
):
    application = unhcr_application(time_machine, personas, on)
    assessment = complete_assessment(personas.officer, application, conclusion="recognized_broader")
    # Neither a Convention recognition nor a rejection is open to this claim.
    with pytest.raises(NotAllowed, match="Recognition needs a Convention ground"):
        conclude(personas, assessment, "recognized")
    with pytest.raises(NotAllowed, match="A ground of complementary protection is established"):
        conclude(personas, assessment, "rejected")

    assert assessment_blocks_decision(application=application, outcome="rejected") == (
        "The eligibility assessment concludes “Refugee under UNHCR's broader mandate”; the "
        "decision cannot be “Rejected”."
    )
    with pytest.raises(NotAllowed, match=f"the decision is “{BROADER_FORM}”"):
        decide(personas, application, on, form="recognition")
    assert not Decision.objects.exists()

    # The kind of decision follows the assessment: a recognition under the broader mandate.
    decision = decide(personas, application, on)
    application.refresh_from_db()
    assert (decision.outcome, decision.form, application.stage) == (
        "recognized",
        "recognition-broader-mandate",
        "recognized",
    )


def test_a_convention_recognition_is_not_recorded_as_one_under_the_broader_mandate(
    time_machine, personas
):
    application = unhcr_application(time_machine, personas)
    complete_assessment(personas.officer, application)
    assert assessment_blocks_decision(
        application=application, outcome="recognized", form="recognition-broader-mandate"
    ) == (
        f"“{BROADER_FORM}” records the conclusion “Refugee under UNHCR's broader mandate”; the "
        "eligibility assessment concludes “Recognized as a refugee”."
    )
    assert decide(personas, application, "2025-01-10").form == "recognition"


@pytest.mark.parametrize("on", DAYS)
def test_a_jp_icrra_assessment_does_not_offer_the_broader_mandate(personas, application, on):
    """The Japanese statute knows complementary protection (from 1 December 2023), not UNHCR's
    broader mandate: the conclusion is neither offered nor accepted, whatever the day."""
    assessment = services.assessment_start(actor=personas.officer, application=application)
    choices = [
        value
        for value, _label in ConclusionForm.for_assessment(assessment).fields["conclusion"].choices
    ]
    assert choices == ["recognized", "complementary", "rejected"]
    with pytest.raises(NotAllowed, match="This procedure does not decide this outcome"):
        complete_assessment(personas.officer, application, conclusion="recognized_broader")


def test_the_assessment_page_offers_the_broader_mandate_under_unhcr_only(
    time_machine, client, personas, application
):
    unhcr = unhcr_application(time_machine, personas)
    for app in (unhcr, application):
        services.assessment_start(actor=personas.officer, application=app)
    client.force_login(personas.officer)
    unhcr_page = client.get(reverse("eligibility:assessment", args=[unhcr.pk])).text
    jp_page = client.get(reverse("eligibility:assessment", args=[application.pk])).text
    radio = 'name="conclusion-conclusion" value="{}"'.format
    assert radio("recognized_broader") in unhcr_page
    assert "Refugee under UNHCR&#x27;s broader mandate" in unhcr_page
    assert radio("complementary") not in unhcr_page
    assert radio("recognized_broader") not in jp_page
    assert radio("complementary") in jp_page


def test_the_api_lists_the_conclusions_and_refuses_the_broader_mandate_outside_unhcr(
    time_machine, client, personas, application
):
    unhcr = unhcr_application(time_machine, personas)
    broader = complete_assessment(personas.officer, unhcr, conclusion="recognized_broader")
    body = client.get(
        f"/api/eligibility/applications/{unhcr.pk}/assessment", **auth(personas.officer)
    ).json()
    assert body["conclusion"] == "recognized_broader" and body["complete"]
    assert body["conclusions"] == ["recognized", "recognized_broader", "rejected"]
    reasons = client.get(
        f"/api/eligibility/applications/{unhcr.pk}/assessment/reasons", **auth(personas.officer)
    ).json()
    assert reasons["blocks_decision"] is None
    assert broader.conclusion == "recognized_broader"

    jp = complete_assessment(personas.officer, application, conclusion="complementary")
    assert client.get(
        f"/api/eligibility/applications/{application.pk}/assessment", **auth(personas.officer)
    ).json()["conclusions"] == ["recognized", "complementary", "rejected"]
    refused = put(
        client,
        f"/api/eligibility/assessments/{jp.pk}/conclusion",
        {"version": jp.version, "conclusion": "recognized_broader", "conclusion_reasons": "x"},
        personas.officer,
    )
    assert refused.status_code == 400
    assert "This procedure does not decide this outcome." in refused.json()["detail"]


def test_the_drafted_reasons_state_the_broader_mandate(time_machine, personas):
    application = unhcr_application(time_machine, personas)
    complete_assessment(personas.officer, application, conclusion="recognized_broader")
    draft = decision_reasons_draft(application=application)
    assert "8. Refugee criteria of UNHCR's broader mandate" in draft
    assert "Complementary protection" not in draft
    assert (
        "– Serious and individual threat to life or person from indiscriminate violence in "
        "armed conflict: Established." in draft
    )
    assert "9. Conclusion\nFinding: Refugee under UNHCR's broader mandate." in draft
    assert "the applicant is a refugee under UNHCR's broader mandate." in draft
