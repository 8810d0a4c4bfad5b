"""Posting to the procedure pages: a form without the version the page showed is refused
and nothing changes; a refusal shows the page again with what was typed."""

from datetime import date

import pytest
from django.urls import reverse

from nansen.procedures import services
from nansen.procedures.tests.conftest import at
from nansen.testing import register_family


@pytest.fixture
def application(time_machine, personas):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    case = register_family(personas.clerk, children=0)
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=case,
        persons=[case.members.get(relationship="principal").person],
        lodged_on=date(2025, 3, 3),
        profile="unhcr-mandate",
        processing_mode="accelerated",
    )
    return application


def test_it_refuses_a_mode_change_without_the_version(client, personas, application):
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:application_mode", args=[application.pk]),
        {"mode": "regular", "reason": "No specific needs."},
        follow=True,
    )
    assert "without the version of the record" in response.content.decode()
    application.refresh_from_db()
    assert (application.processing_mode, application.version) == ("accelerated", 1)


def test_a_refused_change_shows_the_page_again_with_what_was_typed(client, personas, application):
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:application_mode", args=[application.pk]),
        {"version": application.version + 1, "mode": "regular", "reason": "No specific needs."},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this" in page
    assert "No specific needs." in page
    assert "Change the processing mode" in page
