"""No decision on the claim without a complete eligibility assessment, over HTTP: the decision
page and the API refuse it with the rule's message and record nothing (the rule itself:
eligibility.selectors.assessment_blocks_decision)."""

from datetime import date

import pytest
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.audit.models import CaseEvent, Verb
from nansen.eligibility.testing import complete_assessment
from nansen.procedures import services
from nansen.procedures.models import Decision
from nansen.procedures.tests.conftest import at

NO_ASSESSMENT = (
    "No eligibility assessment has been drafted for this application: a decision on the "
    "claim needs one."
)


@pytest.fixture
def application(time_machine, personas, family, members):
    """An application whose applicant was interviewed, with no assessment."""
    time_machine.move_to(at("2025-03-10 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:1], lodged_on=date(2025, 3, 3)
    )
    services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date(2025, 3, 5),
    )
    application.refresh_from_db()
    return application


def _recognition(application) -> dict:
    return {
        "version": application.version,
        "outcome": "recognized",
        "decided_on": "2025-03-10",
        "reasons": "A credible account of persecution for political opinion.",
    }


def _nothing_recorded(application) -> bool:
    stage, version = application.stage, application.version
    application.refresh_from_db()
    return (
        not Decision.objects.exists()
        and not CaseEvent.objects.filter(verb=Verb.DECISION_RECORDED).exists()
        and (application.stage, application.version) == (stage, version)
    )


def _api(client, user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_the_decision_page_refuses_a_decision_without_an_assessment(client, personas, application):
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]), _recognition(application)
    )
    assert response.status_code == 400
    assert NO_ASSESSMENT in response.content.decode()
    assert _nothing_recorded(application)


def test_the_decision_page_signs_it_once_the_assessment_concludes_the_same(
    client, personas, application
):
    complete_assessment(personas.officer, application, conclusion="recognized")
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]), _recognition(application)
    )
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "recognized"


def test_the_api_refuses_a_decision_without_an_assessment(client, personas, application):
    response = _api(client, personas.officer).post(
        f"/api/applications/{application.pk}/decision",
        _recognition(application),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == NO_ASSESSMENT
    assert _nothing_recorded(application)


def test_the_api_signs_it_once_the_assessment_concludes_the_same(client, personas, application):
    complete_assessment(personas.officer, application, conclusion="recognized")
    response = _api(client, personas.officer).post(
        f"/api/applications/{application.pk}/decision",
        _recognition(application),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Decision.objects.get().outcome == "recognized"
