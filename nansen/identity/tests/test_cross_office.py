"""Repeat applicants in other offices: a notice without disclosure, and a recorded request."""

from datetime import date

from django.urls import reverse

from nansen.audit.models import AuditEntry
from nansen.identity.models import AccessRequest, Announcement
from nansen.procedures.services import application_lodge
from nansen.registration.services import case_register
from nansen.testing import person_input


def register(clerk, **values):
    case = case_register(actor=clerk, principal=person_input(**values))
    return case, case.members.get().person


def earlier_in_osaka(personas):
    case, person = register(
        personas.outsider,
        given_name="Hussein",
        family_name="Al-Khatib",
        birth_date=date(1979, 5, 2),
        place_of_birth="Aleppo",
    )
    application_lodge(
        actor=personas.outsider, case=case, persons=[person], lodged_on=date(2023, 4, 3)
    )
    return person


def test_lodging_page_says_only_that_an_earlier_registration_exists(client, personas):
    other = earlier_in_osaka(personas)
    case, person = register(
        personas.clerk, given_name="Husain", family_name="Alkhatib", birth_date=date(1979, 5, 2)
    )
    client.force_login(personas.clerk)
    response = client.get(reverse("identity:identity_repeat_check", args=[case.pk]))
    text = response.content.decode()
    assert "A possible earlier registration exists in office Osaka Regional Immigration Bureau" in (
        text
    )
    assert person.latin_name in text  # the clerk's own applicant, as the heading
    assert "Hussein" not in text and "2023" not in text and "Aleppo" not in text
    assert f"/{other.pk}/" not in text
    assert "Ask that office for access" not in text
    entries = AuditEntry.objects.filter(action="identity_repeat_check")
    assert all(other.pk not in entry.person_ids for entry in entries)


def test_a_supervisor_asks_for_access_and_the_request_is_recorded(client, personas):
    other = earlier_in_osaka(personas)
    case, person = register(
        personas.clerk, given_name="Husain", family_name="Alkhatib", birth_date=date(1979, 5, 2)
    )
    client.force_login(personas.supervisor)
    text = client.get(reverse("identity:identity_repeat_check", args=[case.pk])).content.decode()
    assert "Ask that office for access" in text
    announcement = Announcement.objects.get(user=personas.supervisor)
    assert str(announcement.uid) in text and f"/{other.pk}/" not in text
    response = client.post(
        reverse("identity:identity_access_request", args=[person.pk, announcement.uid]),
        {"reason": "Possible repeat application."},
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert (request.requested_by, request.to_office) == (personas.supervisor, personas.osaka)
    assert request.other_person == other
    # The asking office's log names its own applicant and the announcement, not the other
    # office's record (the request the other office answers names it).
    entry = AuditEntry.objects.get(action="identity_access_requested")
    assert entry.person_ids == [person.pk]
    assert entry.details["announcement"] == str(announcement.uid)


def test_a_clerk_may_not_ask_for_access(client, personas):
    other = earlier_in_osaka(personas)
    case, person = register(
        personas.clerk, given_name="Husain", family_name="Alkhatib", birth_date=date(1979, 5, 2)
    )
    client.force_login(personas.clerk)
    client.get(reverse("identity:identity_repeat_check", args=[case.pk]))
    announcement = Announcement.objects.get(user=personas.clerk)
    assert announcement.other_person == other
    response = client.post(
        reverse("identity:identity_access_request", args=[person.pk, announcement.uid]),
        {"reason": "x"},
    )
    assert response.status_code == 404
    assert not AccessRequest.objects.exists()
