"""Sensitive data: encrypted at rest, shown and recorded only by the roles that need it."""

import pytest
from django.db import connection
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry
from nansen.testing import register_family


@pytest.fixture
def person(client, personas):
    case = register_family(personas.clerk, children=0)
    case.representatives.add(personas.lawyer)
    person = case.members.get(relationship="principal").person
    client.force_login(personas.officer)
    response = client.post(
        reverse("registration:person_sensitive_edit", args=[person.pk]),
        {
            "version": person.version,
            "ethnicity": "Kurdish",
            "religion": "Yazidi",
            "medical_notes": "Scars consistent with the account.",
            "flight_reasons": "Detained twice for his writing.",
        },
    )
    assert response.status_code == 302
    client.logout()
    person.refresh_from_db()
    return person


def test_sensitive_data_is_encrypted_in_the_database(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT religion, medical_notes FROM registration_person WHERE id = %s", [person.pk]
        )
        stored = cursor.fetchone()
    assert all(value.startswith("v1.") for value in stored)
    assert "Yazidi" not in str(stored)
    assert person.religion == "Yazidi"


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("officer", True),
        ("supervisor", True),
        ("appeals", True),
        ("lawyer", True),
        ("clerk", False),
    ],
)
def test_only_roles_that_need_it_see_it(client, personas, person, role, sees):
    client.force_login(getattr(personas, role))
    page = client.get(reverse("registration:person_detail", args=[person.pk])).content.decode()
    assert ("Yazidi" in page) is sees
    assert ("Detained twice" in page) is sees
    _token, raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=getattr(personas, role), name="t"
    )
    data = client.get(f"/api/persons/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (data["sensitive"] is not None) is sees
    if sees:
        assert data["sensitive"]["religion"] == "Yazidi"


def test_a_clerk_cannot_record_sensitive_data(client, personas, person):
    client.force_login(personas.clerk)
    url = reverse("registration:person_sensitive_edit", args=[person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": person.version, "religion": "x"}).status_code == 404
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="t")
    response = client.put(
        f"/api/persons/{person.pk}/sensitive",
        {"version": person.version, "religion": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404


def test_a_lawyer_reads_but_does_not_write(client, personas, person):
    client.force_login(personas.lawyer)
    assert (
        client.get(reverse("registration:person_sensitive_edit", args=[person.pk])).status_code
        == 404
    )


def test_reading_sensitive_data_is_recorded_as_such(client, personas, person):
    client.force_login(personas.appeals)
    client.get(reverse("registration:person_detail", args=[person.pk]))
    entry = AuditEntry.objects.filter(user=personas.appeals).latest("sequence")
    assert (entry.action, entry.object_id) == ("person_view_sensitive", person.pk)


def test_a_correction_of_other_fields_keeps_sensitive_data(client, personas, person):
    client.force_login(personas.clerk)
    client.post(
        reverse("registration:person_edit", args=[person.pk]),
        {
            "version": person.version,
            "given_name": "Ahmed",
            "family_name": "Al-Hassan",
            "sex": "M",
            "country_of_origin": "SYR",
            "doc-TOTAL_FORMS": "0",
            "doc-INITIAL_FORMS": "0",
            "doc-MIN_NUM_FORMS": "0",
            "doc-MAX_NUM_FORMS": "20",
        },
    )
    person.refresh_from_db()
    assert (person.given_name, person.religion) == ("Ahmed", "Yazidi")
