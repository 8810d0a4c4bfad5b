import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from nansen.audit.models import AuditEntry
from nansen.procedures.services import application_lodge
from nansen.testing import register_family


@pytest.fixture
def activity(client, personas):
    tokyo_case = register_family(personas.clerk, children=0)
    principal = tokyo_case.members.get(relationship="principal").person
    application_lodge(
        actor=personas.clerk, case=tokyo_case, persons=[principal], lodged_on=date(2025, 1, 1)
    )
    client.force_login(personas.officer)
    client.get(reverse("registration:case_detail", args=[tokyo_case.pk]))
    client.get(reverse("registration:person_detail", args=[principal.pk]))
    osaka_case = register_family(personas.outsider, children=0)
    return tokyo_case, principal, osaka_case


def test_an_auditor_sees_who_read_and_changed_a_case(client, personas, activity):
    tokyo_case, _principal, _osaka_case = activity
    client.force_login(personas.auditor)
    response = client.get(reverse("audit:audit_log"), {"case": tokyo_case.number})
    page = response.content.decode()
    assert response.status_code == 200
    assert "case_view" in page and "application_lodged" in page and "case_registered" in page
    assert ">officer<" in page and ">clerk<" in page
    entries = response.context["page"].object_list
    assert {e.case_id for e in entries} == {tokyo_case.pk}


def test_an_auditor_does_not_see_another_offices_entries(client, personas, activity):
    _tokyo_case, _principal, osaka_case = activity
    client.force_login(personas.auditor)
    response = client.get(reverse("audit:audit_log"))
    seen_cases = {e.case_id for e in response.context["page"].object_list}
    assert osaka_case.pk not in seen_cases
    response = client.get(reverse("audit:audit_log"), {"case": osaka_case.number})
    assert list(response.context["page"].object_list) == []


def test_filters_by_person_user_and_period(client, personas, activity):
    _tokyo_case, principal, _osaka = activity
    client.force_login(personas.auditor)
    by_person = client.get(reverse("audit:audit_log"), {"person": principal.pk}).context["page"]
    actions = {e.action for e in by_person.object_list}
    assert {"person_view_sensitive", "case_view"} <= actions
    by_user = client.get(reverse("audit:audit_log"), {"user": "officer"}).context["page"]
    assert {e.username for e in by_user.object_list} == {"officer"}
    past = client.get(reverse("audit:audit_log"), {"until": "2020-01-01"}).context["page"]
    assert list(past.object_list) == []


def test_reading_and_exporting_the_log_is_recorded(client, personas, activity):
    client.force_login(personas.auditor)
    client.get(reverse("audit:audit_log"), {"user": "officer"})
    response = client.get(reverse("audit:audit_log_export"), {"user": "officer"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["sequence", "at", "username"]
    assert {row[2] for row in rows[1:]} == {"officer"}
    recorded = AuditEntry.objects.filter(user=personas.auditor).values_list("action", flat=True)
    assert set(recorded) >= {"audit_log_view", "audit_log_export"}


@pytest.mark.parametrize(
    "role", ["clerk", "officer", "supervisor", "admin", "lawyer", "statistician"]
)
def test_only_auditors_read_the_log(client, personas, role):
    client.force_login(getattr(personas, role))
    assert client.get(reverse("audit:audit_log")).status_code == 404
    assert client.get(reverse("audit:audit_log_export")).status_code == 404


def test_a_refusal_is_recorded(client, personas, activity):
    tokyo_case, _principal, _osaka = activity
    client.force_login(personas.outsider)
    assert client.get(reverse("registration:case_detail", args=[tokyo_case.pk])).status_code == 404
    entry = AuditEntry.objects.filter(action="refused").latest("sequence")
    assert entry.user == personas.outsider
    assert entry.details == {"method": "GET", "path": f"/cases/{tokyo_case.pk}/", "status": 404}


def test_the_export_defuses_a_formula_typed_as_a_user_name(client, personas):
    formula = '=HYPERLINK("http://x")'
    client.post(reverse("accounts:login"), {"username": formula, "password": "not the password"})
    client.force_login(personas.auditor)
    response = client.get(reverse("audit:audit_log_export"), {"action": "login_failed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[2] for row in rows[1:]] == ["'" + formula]
