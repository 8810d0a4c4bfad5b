"""Registration: every write to persons and cases, each one transaction with its history."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action, Role
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.registration.models import (
    SENSITIVE_FIELDS,
    Case,
    CaseMember,
    CaseNumberSequence,
    DatePrecision,
    IdentityDocument,
    Person,
    Relationship,
)
from nansen.registration.selectors import person_get
from nansen.registration.signals import persons_saved


@dataclass(frozen=True, kw_only=True)
class DocumentInput:
    document_type: str
    number: str
    issuing_country: str
    expires_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class PersonInput:
    """Validated personal details, as a form or an API schema hands them over."""

    given_name: str = ""
    family_name: str = ""
    given_name_original: str = ""
    family_name_original: str = ""
    other_names: list[str] = field(default_factory=list)
    sex: str
    birth_date: date | None = None
    birth_date_precision: str = DatePrecision.EXACT
    place_of_birth: str = ""
    country_of_birth: str = ""
    country_of_origin: str
    nationalities: list[str] = field(default_factory=list)
    feared_countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interpreter_needed: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    specific_needs: list[str] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "documents"]


@dataclass(frozen=True, kw_only=True)
class ExistingPerson:
    """A person already registered in the office (found by the identity check), linked to
    the case instead of being registered a second time."""

    person_id: int


@dataclass(frozen=True, kw_only=True)
class MemberInput:
    person: PersonInput | ExistingPerson
    relationship: str


def _person_values(data: PersonInput) -> dict:
    return {name: getattr(data, name) for name in PersonInput.field_names()}


def _person_create(*, actor: User, office, data: PersonInput) -> Person:
    person = Person(office=office, created_by=actor, **_person_values(data))
    person.refresh_search_text()
    person.full_clean(exclude=["office", "created_by"])
    person.save()
    IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, **vars(doc)) for doc in data.documents
    )
    return person


def _members_saved(case: Case) -> None:
    """Announce the case's members once they are all in the case (identity indexes them):
    each one's record names the others (the family evidence and household key of
    matching)."""
    persons = [member.person for member in case.members.select_related("person")]
    persons_saved.send(sender=Person, persons=persons)


def _member_person(*, actor: User, office, data: PersonInput | ExistingPerson) -> Person:
    if isinstance(data, ExistingPerson):
        return person_get(user=actor, pk=data.person_id)
    return _person_create(actor=actor, office=office, data=data)


def _next_case_number(office) -> str:
    year = timezone.localdate().year
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
        office=office, year=year
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{office.code}-{year}-{sequence.last_value:06d}"


@transaction.atomic
def case_register(
    *,
    actor: User,
    principal: PersonInput | ExistingPerson,
    dependants: list[MemberInput] | None = None,
) -> Case:
    """Register a family: the principal applicant and dependants, in one new case of the
    actor's office."""
    require(actor, Action.REGISTER)
    dependants = dependants or []
    if any(m.relationship == Relationship.PRINCIPAL for m in dependants):
        raise NotAllowed(_("A case has exactly one principal applicant."))
    office = actor.office
    case = Case.objects.create(office=office, number=_next_case_number(office), created_by=actor)  # type: ignore[misc]
    members = [MemberInput(person=principal, relationship=Relationship.PRINCIPAL), *dependants]
    linked = []
    for member in members:
        person = _member_person(actor=actor, office=office, data=member.person)
        CaseMember.objects.create(case=case, person=person, relationship=member.relationship)
        if isinstance(member.person, ExistingPerson):
            linked.append(person.pk)
    _members_saved(case)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.CASE_REGISTERED,
        obj=case,
        state_after="registered",
        details={"members": len(members), **({"linked_persons": linked} if linked else {})},
    )
    return case


@transaction.atomic
def case_member_add(
    *, actor: User, case: Case, expected_version: int, member: MemberInput
) -> Person:
    require(actor, Action.REGISTER)
    if member.relationship == Relationship.PRINCIPAL:
        raise NotAllowed(_("A case has exactly one principal applicant."))
    claim_version(case, expected_version)
    person = _member_person(actor=actor, office=case.office, data=member.person)
    if case.members.filter(person=person).exists():
        raise NotAllowed(_("This person is already a member of the case."))
    CaseMember.objects.create(case=case, person=person, relationship=member.relationship)
    _members_saved(case)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.MEMBER_ADDED,
        obj=person,
        details={"relationship": member.relationship},
    )
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, expected_version: int, data: PersonInput
) -> Person:
    """Correct a person's details. Refused if the person changed since ``expected_version``."""
    require(actor, Action.EDIT_REGISTRATION)
    if person.anonymised_at is not None:
        raise NotAllowed(_("This person's data was anonymised; it can no longer be changed."))
    claim_version(person, expected_version)
    values = _person_values(data)
    changed = sorted(name for name, value in values.items() if getattr(person, name) != value)
    for name, value in values.items():
        setattr(person, name, value)
    person.refresh_search_text()
    person.full_clean(exclude=["office", "created_by"])
    person.save(update_fields=[*values, "search_text", "updated_at"])
    person.documents.all().delete()
    IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, **vars(doc)) for doc in data.documents
    )
    persons_saved.send(sender=Person, persons=[person])
    for membership in person.memberships.select_related("case"):
        case_event_record(
            case=membership.case,
            actor=actor,
            verb=Verb.PERSON_UPDATED,
            obj=person,
            details={"fields": changed, "person": person.pk},
        )
    return person


@transaction.atomic
def case_representative_add(*, actor: User, case: Case, representative: User) -> None:
    require(actor, Action.EDIT_REGISTRATION)
    if not representative.has_role(Role.LEGAL_REPRESENTATIVE):
        raise NotAllowed(_("Only a user with the legal representative role can represent a case."))
    if case.representatives.filter(pk=representative.pk).exists():
        raise NotAllowed(
            _("%(name)s already represents this case.") % {"name": representative.display_name}
        )
    case.representatives.add(representative)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.REPRESENTATIVE_ADDED,
        obj=case,
        details={"representative": representative.username},
    )


@transaction.atomic
def case_representative_remove(*, actor: User, case: Case, representative: User) -> None:
    require(actor, Action.EDIT_REGISTRATION)
    case.representatives.remove(representative)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.REPRESENTATIVE_REMOVED,
        obj=case,
        details={"representative": representative.username},
    )


@dataclass(frozen=True, kw_only=True)
class SensitiveInput:
    ethnicity: str = ""
    religion: str = ""
    medical_notes: str = ""
    flight_reasons: str = ""


@transaction.atomic
def person_sensitive_update(
    *, actor: User, person: Person, expected_version: int, data: SensitiveInput
) -> Person:
    """Record a person's sensitive data; only roles that need it may (Action.VIEW_SENSITIVE)."""
    require(actor, Action.VIEW_SENSITIVE)
    require(actor, Action.EDIT_REGISTRATION)
    if person.anonymised_at is not None:
        raise NotAllowed(_("This person's data was anonymised; it can no longer be changed."))
    claim_version(person, expected_version)
    changed = sorted(
        name for name in SENSITIVE_FIELDS if getattr(person, name) != getattr(data, name)
    )
    for name in SENSITIVE_FIELDS:
        setattr(person, name, getattr(data, name))
    person.save(update_fields=[*SENSITIVE_FIELDS, "updated_at"])
    for membership in person.memberships.select_related("case"):
        case_event_record(
            case=membership.case,
            actor=actor,
            verb=Verb.PERSON_UPDATED,
            obj=person,
            details={"fields": changed, "person": person.pk},
        )
    return person
