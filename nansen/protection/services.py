"""Data-protection actions: disclosures, holds, the person's own copy, anonymisation."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import country_name, is_country
from nansen.identity.candidate_index import identity_unindex_person
from nansen.procedures.models import Decision
from nansen.protection.models import Disclosure, GuardException, LegalHold
from nansen.registration.guard import (
    NOBODY,
    ROADS,
    GuardRefused,
    Recipient,
    countries_to_shield,
    guard_check,
    outward_road,
)
from nansen.registration.models import SENSITIVE_FIELDS, Case, DatePrecision, Person

ANONYMISED_NAME = "ANONYMISED"


# A refused disclosure is a refusal of the guard like any other; the name stays for callers.
DisclosureRefused = GuardRefused

# Who may ask for an exception: those who send something out on one of the roads.
SENDING_ACTIONS = (
    Action.DISCLOSE,
    Action.ISSUE_LETTER,
    Action.REFER_RESETTLEMENT,
    Action.PROTECT_DATA,
)


def _disclosure_refused(
    refusal: GuardRefused,
    *,
    actor: User,
    case: Case,
    persons: list[Person],
    recipient: str,
    recipient_kind: str,
    recipient_country: str,
    legal_basis: str,
    shared: str,
    acts_for_country: str = "",
    **_ignored,
) -> Disclosure:
    """Keep the refused disclosure itself, after the road's writes were rolled back."""
    disclosure = Disclosure.objects.create(
        case=case,
        recipient=recipient,
        recipient_kind=recipient_kind,
        recipient_country=recipient_country,
        acts_for_country=acts_for_country,
        legal_basis=legal_basis,
        shared=shared,
        refused=True,
        refusal_reason=str(refusal),
        recorded_by=actor,
    )
    disclosure.persons.set(persons)
    return disclosure


@outward_road(
    "disclosure",
    description="Information about members of a case shared with a third party",
    refused_verb=Verb.DISCLOSURE_REFUSED,
    on_refusal=_disclosure_refused,
)
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
    acts_for_country: str = "",
) -> Disclosure:
    """Record information shared about members of a case, after the country-of-origin guard.

    The guard applies whatever the kind of recipient, and to every member of the case, not
    only those the disclosure is about. A refused disclosure is recorded too (as refused)
    and then raises GuardRefused.
    """
    require(actor, Action.DISCLOSE)
    member_ids = set(case.members.values_list("person_id", flat=True))
    if not persons or any(p.pk not in member_ids for p in persons):
        raise NotAllowed(_("Choose the members of this case the disclosure is about."))
    for code in (recipient_country, acts_for_country):
        if code and not is_country(code):
            raise NotAllowed(_("Not an ISO 3166-1 alpha-3 country code: %(code)s") % {"code": code})
    if not recipient_country:
        raise NotAllowed(_("Give the recipient's country."))
    guard_check(
        road="disclosure",
        recipient=Recipient(
            name=recipient,
            kind=recipient_kind,
            country=recipient_country,
            acts_for=acts_for_country,
        ),
        cases=[case],
    )
    disclosure = Disclosure.objects.create(
        case=case,
        recipient=recipient,
        recipient_kind=recipient_kind,
        recipient_country=recipient_country,
        acts_for_country=acts_for_country,
        legal_basis=legal_basis,
        shared=shared,
        recorded_by=actor,
    )
    disclosure.persons.set(persons)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.DISCLOSURE_RECORDED,
        obj=disclosure,
        details={
            "recipient_kind": recipient_kind,
            "recipient_country": recipient_country,
            "acts_for_country": acts_for_country,
            "legal_basis": legal_basis,
            "persons": [p.pk for p in persons],
        },
    )
    return disclosure


# --- exceptions to the guard -----------------------------------------------------------------


def _consent_details(exception: GuardException) -> dict:
    """What the audit chain keeps of a consent: ids and a hash of its exact words (the
    chain carries no names; the hash pins the words the record holds)."""
    return {
        "country": exception.country,
        "road": exception.road,
        "persons": sorted(exception.consenting_persons.values_list("pk", flat=True)),
        "consent_given_on": exception.consent_given_on.isoformat(),
        "consent_reference": exception.consent_reference,
        "consent_sha256": hashlib.sha256(exception.consent_wording.encode()).hexdigest(),
    }


@transaction.atomic
def guard_exception_request(
    *,
    actor: User,
    case: Case,
    country: str,
    recipient: str,
    purpose: str,
    consenting_persons: list[Person],
    consent_wording: str,
    consent_given_on: date,
    consent_reference: str = "",
    road: str = "",
) -> GuardException:
    """Record the informed consent of the members concerned to one sending about their case
    to a country the guard shields. Nothing may be sent until a supervisor other than the
    one recording it approves (``guard_exception_approve``)."""
    if not any(actor.may(action) for action in SENDING_ACTIONS):
        raise Http404
    if road and road not in ROADS:
        raise NotAllowed(_("Unknown road."))
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    concerned = {pk for pk, p in members.items() if country in countries_to_shield(p)}
    if not concerned:
        raise NotAllowed(
            _("The guard does not shield %(country)s for this case; no exception is needed.")
            % {"country": country_name(country)}
        )
    consenting = {p.pk for p in consenting_persons}
    if not consenting <= set(members):
        raise NotAllowed(_("Only members of this case can consent."))
    # Consent is personal: each member whose country it is must have given it (UNHCR Policy
    # on the Protection of Personal Data of Persons of Concern, 2015, para. 2.2 and 6.1.2).
    missing = concerned - consenting
    if missing:
        raise NotAllowed(
            _("The consent of %(names)s, for whom %(country)s is shielded, is not recorded.")
            % {
                "names": ", ".join(members[pk].latin_name for pk in sorted(missing)),
                "country": country_name(country),
            }
        )
    if not consent_wording.strip() or not recipient.strip() or not purpose.strip():
        raise NotAllowed(
            _("Record the recipient, what is sent and why, and the words of the consent.")
        )
    if consent_given_on > timezone.localdate():
        raise NotAllowed(_("The consent cannot be given in the future."))
    exception = GuardException.objects.create(
        case=case,
        country=country,
        road=road,
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        consent_wording=consent_wording.strip(),
        consent_reference=consent_reference.strip(),
        consent_given_on=consent_given_on,
        requested_by=actor,
    )
    exception.consenting_persons.set([members[pk] for pk in consenting])
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.GUARD_EXCEPTION_REQUESTED,
        obj=exception,
        details=_consent_details(exception),
    )
    return exception


@transaction.atomic
def guard_exception_approve(*, actor: User, exception: GuardException) -> GuardException:
    """A supervisor approves an exception whose consent someone else recorded (four eyes).

    The approval holds for ``GuardException.VALID_FOR`` and for one sending."""
    require(actor, Action.APPROVE_GUARD_EXCEPTION)
    exception = GuardException.objects.select_for_update().get(pk=exception.pk)
    if exception.approved_at is not None:
        raise NotAllowed(_("This exception was already approved."))
    if exception.requested_by_id == actor.pk:
        raise NotAllowed(
            _("You recorded this consent; another supervisor must approve the exception.")
        )
    now = timezone.now()
    exception.approved_by, exception.approved_at = actor, now
    exception.expires_at = now + GuardException.VALID_FOR
    exception.save(update_fields=["approved_by", "approved_at", "expires_at"])
    case_event_record(
        case=exception.case,
        actor=actor,
        verb=Verb.GUARD_EXCEPTION_APPROVED,
        obj=exception,
        details={
            **_consent_details(exception),
            "requested_by": exception.requested_by_id,
            "expires_at": exception.expires_at.isoformat(),
        },
    )
    return exception


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


@outward_road(
    "person_export",
    description="Everything held on a person: for the person, or sent to a third party",
)
def person_export_record(
    *, actor: User, person: Person, form: str, recipient: Recipient = NOBODY
) -> None:
    """Record in every case of the person that their data was exported, for them (no
    ``recipient``) or for a third party, which the guard checks like any other."""
    require(actor, Action.PROTECT_DATA)
    cases = [m.case for m in person.memberships.select_related("case")]
    guard_check(road="person_export", recipient=recipient, cases=cases, obj=person)
    for case in cases:
        case_event_record(
            case=case,
            actor=actor,
            verb=Verb.PERSON_EXPORTED,
            obj=person,
            details={
                "person": person.pk,
                "form": form,
                "recipient_kind": recipient.kind,
                "recipient_country": recipient.country,
                "acts_for_country": recipient.acts_for,
            },
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
