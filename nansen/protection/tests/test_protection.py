import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Decision
from nansen.procedures.services import application_lodge, decision_record
from nansen.protection.models import Disclosure, RetentionRule
from nansen.protection.services import (
    DisclosureRefused,
    disclosure_record,
    legal_hold_lift,
    legal_hold_place,
    person_anonymise,
)
from nansen.registration.models import Person
from nansen.registration.services import DocumentInput, MemberInput, case_register
from nansen.testing import person_input, register_family


@pytest.fixture
def case(personas):
    return register_family(personas.clerk, children=0)


def _members(case):
    return [m.person for m in case.members.select_related("person").order_by("pk")]


def _disclose(personas, case, **overrides):
    values = dict(
        actor=personas.supervisor,
        case=case,
        persons=_members(case)[:1],
        recipient="Embassy",
        recipient_kind="authority",
        recipient_country="SYR",
        legal_basis="consent",
        shared="Name and date of birth",
    )
    values.update(overrides)
    return disclosure_record(**values)


@pytest.mark.parametrize("country", ["SYR"])
def test_nothing_reaches_the_authorities_of_the_country_of_origin(personas, case, country):
    with pytest.raises(DisclosureRefused, match="Nothing about an applicant is ever disclosed"):
        _disclose(personas, case, recipient_country=country)
    refused = Disclosure.objects.get()
    assert refused.refused and "Syria" in refused.refusal_reason
    assert CaseEvent.objects.filter(verb="disclosure_refused").count() == 1


def test_a_feared_third_country_is_shielded_too(personas):
    case = case_register(
        actor=personas.clerk,
        principal=person_input(
            country_of_origin="ERI", nationalities=["ERI"], feared_countries=["SDN"]
        ),
    )
    with pytest.raises(DisclosureRefused):
        _disclose(personas, case, recipient_country="SDN")
    with pytest.raises(DisclosureRefused):  # the country of nationality as well
        _disclose(personas, case, recipient_country="ERI")


def test_a_family_member_from_elsewhere_shields_the_whole_disclosure(personas):
    case = case_register(
        actor=personas.clerk,
        principal=person_input(country_of_origin="SYR"),
        dependants=[
            MemberInput(
                person=person_input(
                    given_name="Nour", sex="F", country_of_origin="IRQ", nationalities=["IRQ"]
                ),
                relationship="spouse",
            )
        ],
    )
    with pytest.raises(DisclosureRefused):
        _disclose(personas, case, persons=_members(case), recipient_country="IRQ")


def test_other_disclosures_are_recorded_with_their_basis(personas, case):
    disclosure = _disclose(
        personas,
        case,
        recipient="UNHCR Tokyo",
        recipient_kind="un_agency",
        recipient_country="JPN",
        legal_basis="mandate",
    )
    assert not disclosure.refused
    authority = _disclose(
        personas,
        case,
        recipient="Japanese court",
        recipient_country="JPN",
        legal_basis="legal_obligation",
    )
    assert not authority.refused
    assert CaseEvent.objects.filter(verb="disclosure_recorded").count() == 2


def test_the_disclosure_page_shows_the_refusal(client, personas, case):
    client.force_login(personas.officer)
    principal = _members(case)[0]
    response = client.post(
        reverse("protection:disclosure_new", args=[case.pk]),
        {
            "persons": [principal.pk],
            "recipient": "Consulate",
            "recipient_kind": "authority",
            "recipient_country": "SYR",
            "legal_basis": "consent",
            "shared": "Address",
        },
    )
    assert response.status_code == 400
    assert "Nothing about an applicant is ever disclosed" in response.content.decode()
    assert Disclosure.objects.get().refused


def _decided(personas, case, outcome="rejected", decided_on=date(2014, 3, 1)):
    persons = _members(case)
    for application in application_lodge(
        actor=personas.clerk, case=case, persons=persons, lodged_on=date(2013, 1, 1)
    ):
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome=outcome,
            decided_on=decided_on,
            reasons="Reasons naming the applicant.",
            without_interview_reason="Decided on the file.",
        )
    return persons


@pytest.mark.usefixtures("assessments_drafted")
def test_anonymisation_keeps_statistics_and_erases_identity(personas):
    case = case_register(
        actor=personas.clerk,
        principal=person_input(
            phone="+81 90 0000 0000",
            address="Tokyo",
            other_names=["Ahmed Hasan"],
            documents=[DocumentInput(document_type="passport", number="N1", issuing_country="SYR")],
        ),
    )
    (person,) = _decided(personas, case)
    person_anonymise(actor=personas.supervisor, person=person, reason="retention")
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.given_name_original) == (
        "",
        "ANONYMISED",
        "",
    )
    assert (person.phone, person.address, person.other_names) == ("", "", [])
    assert person.birth_date == date(1988, 1, 1) and person.birth_date_precision == "year"
    assert (person.country_of_origin, person.sex) == ("SYR", "M")
    assert not person.documents.exists()
    decision = Decision.objects.get(application__person=person)
    assert (decision.outcome, decision.reasons) == ("rejected", "")
    assert "ahmad" not in person.search_text
    from nansen.identity.models import MatchProfile, NameKey

    assert not NameKey.objects.filter(person=person).exists()  # no name keys left behind
    assert not MatchProfile.objects.filter(person=person).exists()
    assert CaseEvent.objects.filter(verb="person_anonymised").exists()
    with pytest.raises(NotAllowed):
        person_anonymise(actor=personas.supervisor, person=person, reason="again")


@pytest.mark.usefixtures("assessments_drafted")
def test_a_legal_hold_blocks_anonymisation(personas, case):
    persons = _decided(personas, case)
    hold = legal_hold_place(actor=personas.supervisor, case=case, reason="Court case pending")
    with pytest.raises(NotAllowed, match="legal hold"):
        person_anonymise(actor=personas.supervisor, person=persons[0], reason="retention")
    legal_hold_lift(actor=personas.supervisor, hold=hold)
    person_anonymise(actor=personas.supervisor, person=persons[0], reason="retention")


@pytest.mark.usefixtures("assessments_drafted")
def test_retention_finds_what_is_due_and_the_command_applies_it(personas):
    RetentionRule.objects.create(office=personas.tokyo, outcome="rejected", years=10)
    RetentionRule.objects.create(office=personas.tokyo, outcome="recognized", years=50)
    old = _decided(personas, register_family(personas.clerk, children=0))
    recent = _decided(
        personas, register_family(personas.clerk, children=0), decided_on=date(2024, 1, 1)
    )
    recognized = _decided(
        personas, register_family(personas.clerk, children=0), outcome="recognized"
    )
    held_case = register_family(personas.clerk, children=0)
    held = _decided(personas, held_case)
    legal_hold_place(actor=personas.supervisor, case=held_case, reason="Litigation")
    out = StringIO()
    call_command("protection", "retention", "--office", "TKY", stdout=out)
    assert f"{len(old)} persons due" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "protection",
            "retention",
            "--office",
            "TKY",
            "--apply",
            "--actor",
            "clerk",
            stdout=StringIO(),
        )
    call_command(
        "protection",
        "retention",
        "--office",
        "TKY",
        "--apply",
        "--actor",
        "supervisor",
        stdout=StringIO(),
    )
    anonymised = set(
        Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )
    assert anonymised == {p.pk for p in old}
    assert not anonymised & {p.pk for p in recent + recognized + held}


@pytest.mark.usefixtures("assessments_drafted")
def test_the_person_gets_everything_held_on_them(client, personas, case):
    _decided(personas, case)
    principal = _members(case)[0]
    client.force_login(personas.supervisor)
    response = client.get(reverse("protection:person_export_json", args=[principal.pk]))
    dossier = json.loads(response.content)
    assert dossier["person"]["given_name_original"] == "أحمد"
    assert dossier["applications"][0]["decisions"][0]["reasons"].startswith("Reasons")
    assert {c["number"] for c in dossier["cases"]} == {case.number}
    printable = client.get(reverse("protection:person_export", args=[principal.pk]))
    assert "أحمد" in printable.content.decode()
    assert CaseEvent.objects.filter(verb="person_exported").count() == 2
    assert AuditEntry.objects.filter(action="person_exported").count() == 2


@pytest.mark.parametrize("role", ["clerk", "officer", "lawyer", "statistician", "outsider"])
def test_exports_and_erasure_are_for_supervisors(client, personas, case, role):
    principal = _members(case)[0]
    client.force_login(getattr(personas, role))
    for name in (
        "protection:person_export",
        "protection:person_export_json",
        "protection:person_anonymise",
    ):
        assert client.get(reverse(name, args=[principal.pk])).status_code == 404


def test_exports_and_erasure_ask_for_the_password_and_code_again(client, personas, case):
    from django.utils import timezone

    from nansen.accounts.services import AUTHENTICATED_AT

    principal = _members(case)[0]
    client.force_login(personas.supervisor)
    session = client.session
    session[AUTHENTICATED_AT] = timezone.now().timestamp() - 3600
    session.save()
    for name in (
        "protection:person_export",
        "protection:person_export_json",
        "protection:person_anonymise",
    ):
        response = client.get(reverse(name, args=[principal.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
