"""The country-of-origin guard holds on every road out, for every member of the case, whatever
the recipient is called; the one way past it is consent plus a second supervisor's approval.

The family: Tesfay, from Eritrea, fears Eritrea; his wife Saba is Ethiopian. Nothing about
either may reach Eritrea (issue 19, section 1).
"""

from datetime import date

import pytest
from django.urls import reverse

from nansen.accounts.roles import Role
from nansen.audit.models import AuditEntry, CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures.services import application_lodge, decision_record
from nansen.procedures.services.letters import letter_issue, letter_notify
from nansen.protection.models import Disclosure, GuardException
from nansen.protection.services import (
    disclosure_record,
    guard_exception_approve,
    guard_exception_request,
)
from nansen.registration.guard import GuardRefused
from nansen.registration.models import Person
from nansen.registration.services import MemberInput, case_register
from nansen.testing import make_user, person_input


@pytest.fixture
def family(personas):
    return case_register(
        actor=personas.clerk,
        principal=person_input(
            given_name="Tesfay",
            family_name="Haile",
            given_name_original="",
            family_name_original="",
            country_of_origin="ERI",
            nationalities=["ERI"],
            languages=["tir"],
        ),
        dependants=[
            MemberInput(
                person=person_input(
                    given_name="Saba",
                    family_name="Haile",
                    given_name_original="",
                    family_name_original="",
                    sex="F",
                    birth_date=date(1991, 5, 4),
                    country_of_origin="ETH",
                    nationalities=["ETH"],
                    languages=["amh"],
                ),
                relationship="spouse",
            )
        ],
    )


@pytest.fixture
def second_supervisor(personas):
    return make_user("supervisor2", personas.tokyo, Role.SUPERVISOR)


def _members(case):
    return [m.person for m in case.members.select_related("person").order_by("pk")]


def _disclose(personas, case, **overrides):
    values = dict(
        actor=personas.officer,
        case=case,
        persons=_members(case)[:1],
        recipient="Embassy of Eritrea",
        recipient_kind="authority",
        recipient_country="ERI",
        legal_basis="consent",
        shared="Name, date of birth and address",
    )
    values.update(overrides)
    return disclosure_record(**values)


def _refusals(road):
    return [
        e
        for e in CaseEvent.objects.filter(verb__in=["guard_refused", "disclosure_refused"])
        if e.details.get("road") == road
    ]


# --- disclosures -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["other", "un_agency", "resettlement", "ngo", "lawyer"])
def test_no_kind_of_recipient_opens_the_way_to_the_country_feared(personas, family, kind):
    with pytest.raises(GuardRefused, match="Eritrea"):
        _disclose(personas, family, recipient_kind=kind)
    refused = Disclosure.objects.get()
    assert refused.refused and refused.recipient_kind == kind
    (event,) = CaseEvent.objects.filter(case=family, verb="disclosure_refused")
    assert event.details["country"] == "ERI" and event.object_id == refused.pk
    assert AuditEntry.objects.filter(action="disclosure_refused", case_id=family.pk).exists()
    assert not Disclosure.objects.filter(refused=False).exists()


def test_a_disclosure_about_the_wife_alone_is_refused_for_her_husbands_country(personas, family):
    _tesfay, saba = _members(family)
    with pytest.raises(GuardRefused, match="a member of this case"):
        _disclose(personas, family, persons=[saba], recipient="Eritrean Immigration")
    refused = Disclosure.objects.get()
    assert refused.refused and list(refused.persons.all()) == [saba]
    event = CaseEvent.objects.get(verb="disclosure_refused")
    assert event.details["persons"] == [_tesfay.pk]  # whose country it is


def test_a_recipient_acting_for_the_country_is_refused_wherever_it_is(personas, family):
    with pytest.raises(GuardRefused):
        _disclose(
            personas, family, recipient="Liaison office", recipient_country="JPN",
            acts_for_country="ERI", recipient_kind="other",
        )  # fmt: skip
    assert Disclosure.objects.get().acts_for_country == "ERI"


@pytest.mark.parametrize(
    "name", ["Embassy of Eritrea", "Eritrean community office", "エリトリア大使館", "سفارة إريتريا"]
)
def test_a_recipient_named_after_the_country_is_refused(personas, family, name):
    with pytest.raises(GuardRefused, match="names Eritrea"):
        _disclose(personas, family, recipient=name, recipient_country="JPN", recipient_kind="other")


def test_the_country_of_birth_is_shielded(personas):
    case = case_register(
        actor=personas.clerk,
        principal=person_input(country_of_origin="SYR", country_of_birth="IRQ"),
    )
    with pytest.raises(GuardRefused, match="Iraq"):
        _disclose(personas, case, recipient="Ministry", recipient_country="IRQ")


def test_others_still_receive_what_the_law_allows(personas, family):
    court = _disclose(personas, family, recipient="Tokyo District Court", recipient_country="JPN")
    unhcr = _disclose(
        personas, family, recipient="UNHCR Tokyo", recipient_kind="un_agency",
        recipient_country="JPN", legal_basis="mandate",
    )  # fmt: skip
    assert not court.refused and not unhcr.refused
    assert CaseEvent.objects.filter(verb="disclosure_recorded").count() == 2
    assert not _refusals("disclosure")


def test_the_disclosure_page_refuses_the_acting_country(client, personas, family):
    client.force_login(personas.officer)
    tesfay, _saba = _members(family)
    response = client.post(
        reverse("protection:disclosure_new", args=[family.pk]),
        {
            "persons": [tesfay.pk],
            "recipient": "Consular section",
            "recipient_kind": "other",
            "recipient_country": "JPN",
            "acts_for_country": "ERI",
            "legal_basis": "consent",
            "shared": "Address",
        },
    )
    assert response.status_code == 400
    assert "Nothing about an applicant is ever disclosed" in response.content.decode()
    assert Disclosure.objects.get().refused


def test_the_disclosure_api_refuses_any_kind(client, personas, family):
    client.force_login(personas.officer)
    _tesfay, saba = _members(family)
    response = client.post(
        "/api/protection/disclosures",
        {
            "case_id": family.pk,
            "person_ids": [saba.pk],
            "recipient": "Embassy",
            "recipient_kind": "un_agency",
            "recipient_country": "ERI",
            "legal_basis": "consent",
            "shared": "Address",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "Eritrea" in response.json()["detail"]
    assert Disclosure.objects.get().refused


# --- letters ---------------------------------------------------------------------------------


def _decision(personas, case, person):
    (application,) = application_lodge(
        actor=personas.clerk, case=case, persons=[person], lodged_on=date(2013, 1, 1)
    )
    return decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="recognized",
        decided_on=date(2014, 3, 1),
        reasons="A well-founded fear.",
        without_interview_reason="Decided on the file.",
    )


@pytest.mark.usefixtures("assessments_drafted")
def test_a_letter_about_the_wife_never_goes_to_her_husbands_country(personas, family):
    _tesfay, saba = _members(family)
    decision = _decision(personas, family, saba)
    with pytest.raises(GuardRefused, match="Eritrea"):
        letter_issue(
            actor=personas.officer,
            decision=decision,
            language="en",
            notification_on=date(2014, 3, 3),
            addressee_kind="authority",
            addressee_country="ERI",
        )
    assert not decision.letters.exists()
    (refusal,) = _refusals("letter")
    assert refusal.object_type == "decision" and refusal.object_id == decision.pk
    assert AuditEntry.objects.filter(action="guard_refused", case_id=family.pk).exists()


@pytest.mark.usefixtures("assessments_drafted")
def test_a_letter_copy_is_refused_at_notification_when_the_case_changed(personas, family):
    tesfay, saba = _members(family)
    decision = _decision(personas, family, saba)
    copy = letter_issue(
        actor=personas.officer,
        decision=decision,
        language="en",
        notification_on=date(2014, 3, 3),
        addressee_kind="authority",
        addressee_country="SDN",
    )
    Person.objects.filter(pk=tesfay.pk).update(feared_countries=["SDN"])
    with pytest.raises(GuardRefused, match="Sudan"):
        letter_notify(actor=personas.officer, letter=copy, notified_on=date(2014, 3, 3))
    copy.refresh_from_db()
    assert copy.notified_on is None
    assert _refusals("letter_notification")


# --- the person's own copy -------------------------------------------------------------------


def test_the_persons_copy_goes_to_them_but_not_to_the_country(client, personas, family):
    _tesfay, saba = _members(family)
    client.force_login(personas.supervisor)
    url = reverse("protection:person_export_json", args=[saba.pk])
    assert client.get(url).status_code == 200
    response = client.get(
        url,
        {"recipient": "Consulate", "recipient_kind": "other", "recipient_country": "ERI"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:person_detail", args=[saba.pk])
    (refusal,) = _refusals("person_export")
    assert refusal.object_type == "person" and refusal.object_id == saba.pk
    assert CaseEvent.objects.filter(verb="person_exported").count() == 1


# --- exceptions: consent, and another supervisor's approval ----------------------------------


def _consent(personas, family, actor=None, persons=None, **overrides):
    values = dict(
        actor=actor or personas.officer,
        case=family,
        country="ERI",
        road="disclosure",
        recipient="Embassy of Eritrea",
        purpose="A birth certificate for the child, which only the embassy can issue.",
        consenting_persons=persons if persons is not None else _members(family),
        consent_wording="I agree that my name and date of birth are given to the embassy.",
        consent_reference="Signed form C-12",
        consent_given_on=date(2015, 1, 5),
    )
    values.update(overrides)
    return guard_exception_request(**values)


def test_consent_alone_lets_nothing_through(personas, family):
    _consent(personas, family)
    with pytest.raises(GuardRefused):
        _disclose(personas, family)


def test_the_consent_of_each_member_concerned_is_needed(personas, family):
    _tesfay, saba = _members(family)
    with pytest.raises(NotAllowed, match="Tesfay"):
        _consent(personas, family, persons=[saba])


def test_no_one_approves_the_consent_they_recorded(personas, family):
    exception = _consent(personas, family, actor=personas.supervisor)
    with pytest.raises(NotAllowed, match="another supervisor"):
        guard_exception_approve(actor=personas.supervisor, exception=exception)
    exception.refresh_from_db()
    assert exception.approved_at is None
    with pytest.raises(GuardRefused):
        _disclose(personas, family)


def test_an_officer_cannot_approve(personas, family):
    from django.http import Http404

    exception = _consent(personas, family, actor=personas.supervisor)
    with pytest.raises(Http404):
        guard_exception_approve(actor=personas.officer, exception=exception)


def test_consent_and_a_second_supervisor_let_one_sending_through(
    personas, family, second_supervisor
):
    exception = _consent(personas, family)
    guard_exception_approve(actor=second_supervisor, exception=exception)
    disclosure = _disclose(personas, family)
    assert not disclosure.refused
    exception.refresh_from_db()
    assert exception.used_at is not None and exception.used_on_road == "disclosure"
    with pytest.raises(GuardRefused):  # used once
        _disclose(personas, family)

    requested = AuditEntry.objects.get(action="guard_exception_requested")
    approved = AuditEntry.objects.get(action="guard_exception_approved")
    assert requested.user == personas.officer and approved.user == second_supervisor
    assert requested.details["consent_sha256"] == approved.details["consent_sha256"]
    assert requested.details["persons"] == sorted(p.pk for p in _members(family))
    assert AuditEntry.objects.filter(action="guard_exception_used").count() == 1
    assert requested.sequence < approved.sequence


def test_an_exception_for_one_road_opens_no_other(personas, family, second_supervisor):
    exception = _consent(personas, family, road="letter")
    guard_exception_approve(actor=second_supervisor, exception=exception)
    with pytest.raises(GuardRefused):
        _disclose(personas, family)


def test_the_database_refuses_an_approval_by_the_requester(personas, family):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    exception = _consent(personas, family, actor=personas.supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardException.objects.filter(pk=exception.pk).update(
            approved_by=personas.supervisor,
            approved_at=timezone.now(),
            expires_at=timezone.now(),
        )


def test_the_exception_pages(client, personas, family, second_supervisor):
    tesfay, saba = _members(family)
    url = reverse("protection:guard_exceptions", args=[family.pk])
    client.force_login(personas.officer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "consenting_persons": [tesfay.pk, saba.pk],
            "country": "ERI",
            "road": "disclosure",
            "recipient": "Embassy of Eritrea",
            "purpose": "A birth certificate.",
            "consent_wording": "I agree.",
            "consent_given_on": "2015-01-05",
        },
    )
    assert response.status_code == 302, response.content.decode()
    exception = GuardException.objects.get()
    approve = reverse("protection:guard_exception_approve", args=[family.pk, exception.pk])
    assert client.post(approve).status_code == 404  # an officer does not approve
    client.force_login(second_supervisor)
    assert "Approve" in client.get(url).content.decode()
    client.post(approve)
    exception.refresh_from_db()
    assert exception.approved_by == second_supervisor
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


def test_the_exception_api(client, personas, family, second_supervisor):
    tesfay, saba = _members(family)
    client.force_login(personas.officer)
    created = client.post(
        "/api/protection/guard-exceptions",
        {
            "case_id": family.pk,
            "country": "ERI",
            "recipient": "Embassy of Eritrea",
            "purpose": "A birth certificate.",
            "consenting_person_ids": [tesfay.pk, saba.pk],
            "consent_wording": "I agree.",
            "consent_given_on": "2015-01-05",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    path = f"/api/protection/guard-exceptions/{created.json()['id']}/approve"
    assert client.post(path).status_code == 404
    client.force_login(second_supervisor)
    approved = client.post(path)
    assert approved.status_code == 200 and approved.json()["approved_by_id"] == second_supervisor.pk
    listed = client.get(f"/api/protection/cases/{family.pk}/guard-exceptions").json()
    assert [x["id"] for x in listed] == [created.json()["id"]]
