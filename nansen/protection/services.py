"""Data-protection actions: disclosures, holds, the person's own copy, anonymisation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.permissions import NotAllowed, require
from nansen.identity.index import identity_unindex_person
from nansen.procedures.models import Decision
from nansen.protection.guard import guard_refusal
from nansen.protection.models import Disclosure, LegalHold
from nansen.registration.models import SENSITIVE_FIELDS, Case, DatePrecision, Person

ANONYMISED_NAME = "ANONYMISED"


class DisclosureRefused(NotAllowed):
    """The country-of-origin guard refused a disclosure; the refusal itself is recorded."""


def disclosure_record(
    *,
    actor: User,
    case: Case,
    persons: list[Person],
    recipient: str,
    recipient_kind: str,
    recipient_country: str,
    legal_basis: str,
    shared: str,
) -> Disclosure:
    """Record information shared about members of a case, after the country-of-origin guard.

    A refused disclosure is recorded too (as refused) and then raises DisclosureRefused.
    """
    require(actor, Action.DISCLOSE)
    member_ids = set(case.members.values_list("person_id", flat=True))
    if not persons or any(p.pk not in member_ids for p in persons):
        raise NotAllowed(_("Choose the members of this case the disclosure is about."))
    reason = guard_refusal(
        persons=persons, recipient_kind=recipient_kind, recipient_country=recipient_country
    )
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            case=case,
            recipient=recipient,
            recipient_kind=recipient_kind,
            recipient_country=recipient_country,
            legal_basis=legal_basis,
            shared=shared,
            refused=bool(reason),
            refusal_reason=reason,
            recorded_by=actor,
        )
        disclosure.persons.set(persons)
        case_event_record(
            case=case,
            actor=actor,
            verb=Verb.DISCLOSURE_REFUSED if reason else Verb.DISCLOSURE_RECORDED,
            obj=disclosure,
            details={
                "recipient_kind": recipient_kind,
                "recipient_country": recipient_country,
                "legal_basis": legal_basis,
                "persons": [p.pk for p in persons],
            },
        )
    if reason:
        raise DisclosureRefused(reason)
    return disclosure


@transaction.atomic
def legal_hold_place(*, actor: User, case: Case, reason: str) -> LegalHold:
    require(actor, Action.PROTECT_DATA)
    if not reason.strip():
        raise NotAllowed(_("Say why the case is held."))
    if LegalHold.objects.active().filter(case=case).exists():
        raise NotAllowed(_("This case is already under a legal hold."))
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), placed_by=actor)
    case_event_record(case=case, actor=actor, verb=Verb.LEGAL_HOLD_PLACED, obj=hold)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    require(actor, Action.PROTECT_DATA)
    if hold.lifted_at is not None:
        raise NotAllowed(_("This legal hold was already lifted."))
    hold.lifted_by, hold.lifted_at = actor, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    case_event_record(case=hold.case, actor=actor, verb=Verb.LEGAL_HOLD_LIFTED, obj=hold)
    return hold


def person_export_record(*, actor: User, person: Person, form: str) -> None:
    """Record in every case of the person that their data was exported for them."""
    require(actor, Action.PROTECT_DATA)
    with transaction.atomic():
        for membership in person.memberships.select_related("case"):
            case_event_record(
                case=membership.case,
                actor=actor,
                verb=Verb.PERSON_EXPORTED,
                obj=person,
                details={"person": person.pk, "form": form},
            )


@transaction.atomic
def person_anonymise(*, actor: User, person: Person, reason: str) -> Person:
    """Erase what identifies a person, keeping what the statistics count (country of origin,
    sex, year of birth, applications and their outcomes and dates).

    Refused while any case of the person is under a legal hold.
    """
    require(actor, Action.PROTECT_DATA)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise NotAllowed(_("This person's data has already been anonymised."))
    held = LegalHold.objects.active().filter(case__members__person=person).exists()
    if held:
        raise NotAllowed(_("A case of this person is under a legal hold; nothing may be erased."))
    for name in (
        "given_name",
        "given_name_original",
        "family_name_original",
        "place_of_birth",
        "phone",
        "email",
        "address",
    ):
        setattr(person, name, "")
    person.family_name = ANONYMISED_NAME
    person.other_names, person.specific_needs, person.languages = [], [], []
    if person.birth_date is not None:
        person.birth_date = person.birth_date.replace(month=1, day=1)
        person.birth_date_precision = DatePrecision.YEAR
    for name in SENSITIVE_FIELDS:
        setattr(person, name, "")
    person.anonymised_at = timezone.now()
    person.version += 1
    person.refresh_search_text()
    person.save()
    person.documents.all().delete()
    identity_unindex_person(person)  # no name keys left behind (data minimisation)
    Decision.objects.filter(application__person=person).update(reasons="")
    for membership in person.memberships.select_related("case"):
        case_event_record(
            case=membership.case,
            actor=actor,
            verb=Verb.PERSON_ANONYMISED,
            obj=person,
            details={"person": person.pk, "reason": reason[:200]},
        )
    return person
