"""Reading a procedure record for display is recorded by the selector that fetches it, once,
on the pages and in the API alike."""

from datetime import date

import pytest
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry
from nansen.procedures import services
from nansen.procedures.selectors import application_get
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
    )
    return application


def test_the_selector_records_the_read_with_the_case_and_person(personas, application):
    application_get(user=personas.officer, pk=application.pk, read="application_view")
    entry = AuditEntry.objects.get(action="application_view")
    assert (entry.object_type, entry.object_id, entry.case_id, entry.person_ids) == (
        "application",
        application.pk,
        application.case_id,
        [application.person_id],
    )


def test_a_fetch_without_read_records_nothing(personas, application):
    application_get(user=personas.officer, pk=application.pk)
    assert not AuditEntry.objects.filter(action__endswith="_view").exists()


def test_the_page_records_one_read(client, personas, application):
    client.force_login(personas.officer)
    client.get(reverse("procedures:application_detail", args=[application.pk]))
    reads = AuditEntry.objects.filter(user=personas.officer, object_type="application")
    assert [e.action for e in reads] == ["application_view_sensitive"]


def test_the_api_records_one_read(client, personas, application):
    _token, raw = ApiToken.issue(user=personas.officer, name="t", scope=ApiToken.Scope.READ)
    response = client.get(
        f"/api/procedures/applications/{application.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(user=personas.officer, object_type="application")
    assert [(e.action, e.channel) for e in reads] == [("application_view_sensitive", "api")]
