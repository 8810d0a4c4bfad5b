"""Recording pledges and carrying referrals from identification to arrival.

Each write is one transaction that starts with the permission check; pledge changes go to
the audit log, every referral change to the case history as well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import audit_record, case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import country_name, is_country, is_language
from nansen.core.weblinks import web_url_clean
from nansen.procedures.models import Outcome
from nansen.registration.guard import NOBODY, Recipient, guard_check, outward_road
from nansen.registration.models import Case, Person
from nansen.resettlement.models import (
    OPEN_STATUSES,
    TERMS_FIELDS,
    Pledge,
    PledgeRevision,
    Priority,
    ProgrammeType,
    Referral,
    ReferralMember,
    ReferralStatus,
    SubmissionCategory,
)
from nansen.resettlement.rules import (
    DEPENDANTS_FOLLOW_THE_FAMILY,
    ProfileField,
    profile_fields,
    programme_rules,
)
from nansen.resettlement.selectors import PENDING, current_status
from nansen.resettlement.transitions import EDITABLE_STATUSES, STEPS

MAX_TEXT = 200


def _refuse_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise NotAllowed(_("The %(what)s cannot be in the future.") % {"what": what})


# --- pledges ---------------------------------------------------------------------------------


@dataclass
class PledgeInput:
    """The terms of a pledge, as a form or the API gives them."""

    receiving_country: str
    programme_type: str
    title: str
    announced_on: date
    source_title: str
    places: int | None = None
    source_url: str = ""
    target_nationalities: list[str] = field(default_factory=list)
    target_first_asylum: list[str] = field(default_factory=list)
    target_groups: str = ""
    period_start: date | None = None
    period_end: date | None = None
    notes: str = ""
    eligible_outcomes: list[str] | None = None  # None: the programme's default


def _pledge_terms(data: PledgeInput) -> dict:
    if data.programme_type not in ProgrammeType.values:
        raise NotAllowed(_("Unknown programme."))
    countries = [data.receiving_country, *data.target_nationalities, *data.target_first_asylum]
    unknown = [code for code in countries if not is_country(code)]
    if unknown:
        raise NotAllowed(
            _("Not ISO 3166-1 alpha-3 country codes: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    if not data.title.strip() or not data.source_title.strip():
        raise NotAllowed(_("A pledge has a title and names its source."))
    web_url_clean(data.source_url)
    _refuse_future(data.announced_on, _("announcement date"))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise NotAllowed(_("The period cannot end before it starts."))
    if data.places is not None and data.places < 0:
        raise NotAllowed(_("Places are counted in persons, from zero up."))
    outcomes = data.eligible_outcomes
    if outcomes is None:
        outcomes = list(programme_rules(data.programme_type).eligible_outcomes)
    if not outcomes or any(o not in Outcome.values for o in outcomes):
        raise NotAllowed(_("Choose the statuses that may be submitted under this pledge."))
    terms = asdict(data)
    terms.update(
        title=data.title.strip(),
        source_title=data.source_title.strip(),
        target_groups=data.target_groups.strip(),
        notes=data.notes.strip(),
        target_nationalities=list(dict.fromkeys(data.target_nationalities)),
        target_first_asylum=list(dict.fromkeys(data.target_first_asylum)),
        eligible_outcomes=[o for o in Outcome.values if o in outcomes],
    )
    return terms


def _keep_revision(pledge: Pledge, *, number: int, actor: User, reason: str) -> PledgeRevision:
    return PledgeRevision.objects.create(
        pledge=pledge,
        number=number,
        reason=reason,
        revised_by=actor,
        **{name: getattr(pledge, name) for name in TERMS_FIELDS},
    )


@transaction.atomic
def pledge_record(*, actor: User, data: PledgeInput) -> Pledge:
    """Record a pledge as announced; its terms are kept as revision 1."""
    require(actor, Action.MANAGE_PLEDGES)
    pledge = Pledge.objects.create(created_by=actor, **_pledge_terms(data))
    _keep_revision(pledge, number=1, actor=actor, reason="")
    audit_record(
        user=actor,
        action="pledge_recorded",
        object_type="pledge",
        object_id=pledge.pk,
        details={"receiving_country": pledge.receiving_country, "places": pledge.places},
    )
    return pledge


@transaction.atomic
def pledge_revise(
    *, actor: User, pledge: Pledge, expected_version: int, data: PledgeInput, reason: str
) -> Pledge:
    """Change a pledge's terms; the terms before and after are both kept as revisions."""
    require(actor, Action.MANAGE_PLEDGES)
    if not reason.strip():
        raise NotAllowed(_("Say why the pledge is revised (e.g. a new announcement)."))
    terms = _pledge_terms(data)
    changed = [name for name in TERMS_FIELDS if getattr(pledge, name) != terms[name]]
    if not changed:
        raise NotAllowed(_("Nothing was changed."))
    fixed = {"receiving_country", "programme_type"} & set(changed)
    if fixed and pledge.referrals.exists():
        raise NotAllowed(
            _(
                "Cases were referred under this pledge: its country and programme stay as "
                "they are. Record a new pledge instead."
            )
        )
    claim_version(pledge, expected_version)
    for name in changed:
        setattr(pledge, name, terms[name])
    pledge.save(update_fields=[*changed, "version", "updated_at"])
    number = pledge.revisions.count() + 1
    _keep_revision(pledge, number=number, actor=actor, reason=reason.strip())
    audit_record(
        user=actor,
        action="pledge_revised",
        object_type="pledge",
        object_id=pledge.pk,
        details={"revision": number, "changed": changed},
    )
    return pledge


# --- referrals -------------------------------------------------------------------------------


def _clean_profile(programme_type: str, raw: dict) -> dict:
    """The pathway profile with only the programme's fields, each of its kind."""
    fields: dict[str, ProfileField] = {f.name: f for f in profile_fields(programme_type)}
    unknown = set(raw) - set(fields)
    if unknown:
        raise NotAllowed(
            _("This programme's profile has no %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    profile: dict = {}
    for name, value in raw.items():
        spec = fields[name]
        if value in (None, "", []):
            continue
        if spec.kind == "languages":
            codes = value if isinstance(value, list) else [value]
            if not all(isinstance(c, str) and is_language(c) for c in codes):
                raise NotAllowed(_("Languages are given as ISO 639-3 codes, e.g. ara."))
            profile[name] = list(dict.fromkeys(codes))
        elif spec.kind == "choice":
            if value not in spec.choices.values:  # type: ignore[union-attr]
                raise NotAllowed(
                    _("“%(value)s” is not a choice for %(field)s.")
                    % {
                        "value": value,
                        "field": spec.label,
                    }
                )
            profile[name] = value
        else:
            text = str(value).strip()
            if len(text) > MAX_TEXT:
                raise NotAllowed(_("%(field)s is too long.") % {"field": spec.label})
            profile[name] = text
    return profile


def _clean_categories(programme_type: str, categories: list[str]) -> list[str]:
    if any(c not in SubmissionCategory.values for c in categories):
        raise NotAllowed(_("Unknown submission category."))
    if programme_rules(programme_type).categories_required and not categories:
        raise NotAllowed(_("A resettlement referral names at least one submission category."))
    return [c for c in SubmissionCategory.values if c in categories]


def _target_refusal(pledge: Pledge, persons: list[Person], case: Case) -> str:
    """Why the persons are outside the pledge's target population, or ""."""
    wanted = set(pledge.target_nationalities)
    if wanted and not any(wanted & {p.country_of_origin, *p.nationalities} for p in persons):
        return _("This pledge is for nationals of %(countries)s; no referred member is one.") % {
            "countries": ", ".join(pledge.target_nationality_names)
        }
    if pledge.target_first_asylum and case.office.country not in pledge.target_first_asylum:
        return _("This pledge takes refugees from %(countries)s, not from %(here)s.") % {
            "countries": ", ".join(pledge.target_first_asylum_names),
            "here": country_name(case.office.country),
        }
    return ""


def _receiving(country: str) -> Recipient:
    return Recipient(kind="resettlement", country=country)


@outward_road(
    "referral",
    description="A case referred for resettlement or a pathway to a receiving country",
)
def referral_identify(
    *,
    actor: User,
    case: Case,
    persons: list[Person],
    identified_on: date,
    pledge: Pledge | None = None,
    programme_type: str = "",
    receiving_country: str = "",
    categories: list[str] | None = None,
    priority: str = Priority.NORMAL,
    profile: dict | None = None,
    notes: str = "",
) -> Referral:
    """Refer the chosen members of a case (the whole family, or some of them) to a pledge, or
    to a programme of a receiving country."""
    require(actor, Action.REFER_RESETTLEMENT)
    member_ids = set(case.members.values_list("person_id", flat=True))
    if not persons or any(p.pk not in member_ids for p in persons):
        raise NotAllowed(_("Choose the members of this case who are referred."))
    if pledge is not None:
        if programme_type and programme_type != pledge.programme_type:
            raise NotAllowed(_("The programme is the pledge's own."))
        programme_type, receiving_country = pledge.programme_type, pledge.receiving_country
    if programme_type not in ProgrammeType.values:
        raise NotAllowed(_("Choose a pledge, or a programme and a receiving country."))
    if not is_country(receiving_country):
        raise NotAllowed(_("Choose a pledge, or a programme and a receiving country."))
    if priority not in Priority.values:
        raise NotAllowed(_("Unknown priority."))
    _refuse_future(identified_on, _("date of identification"))
    # Resettlement is to a third country (UNHCR Resettlement Handbook, 2011, ch. 1), never to
    # one any member of the case fled, was born in, is a national of, or fears, even when
    # only some members are referred: the dossier speaks of the family.
    guard_check(road="referral", recipient=_receiving(receiving_country), cases=[case])
    if pledge is not None:
        refusal = _target_refusal(pledge, persons, case)
        if refusal:
            raise NotAllowed(refusal)
    categories = _clean_categories(programme_type, categories or [])
    profile = _clean_profile(programme_type, profile or {})
    if Referral.objects.open().filter(case=case).exists():
        raise NotAllowed(_("This case already has an open referral; close it first."))
    elsewhere = ReferralMember.objects.filter(
        person__in=persons, referral__status__in=OPEN_STATUSES
    ).exclude(referral__case=case)
    if elsewhere.exists():
        raise NotAllowed(_("A referred member already has an open referral in another case."))
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                case=case,
                office=case.office,
                pledge=pledge,
                programme_type=programme_type,
                receiving_country=receiving_country,
                categories=categories,
                priority=priority,
                profile=profile,
                status=ReferralStatus.IDENTIFIED,
                status_on=identified_on,
                identified_on=identified_on,
                notes=notes.strip(),
                created_by=actor,
            )
    except IntegrityError as exc:  # another referral of the case was opened meanwhile
        raise NotAllowed(_("This case already has an open referral; close it first.")) from exc
    ReferralMember.objects.bulk_create(ReferralMember(referral=referral, person=p) for p in persons)
    case_event_record(
        case=case,
        actor=actor,
        verb=Verb.REFERRAL_IDENTIFIED,
        obj=referral,
        state_after=referral.status,
        details={
            "persons": [p.pk for p in persons],
            "pledge": pledge.pk if pledge else None,
            "programme_type": programme_type,
            "receiving_country": receiving_country,
            "categories": categories,
            "priority": priority,
            "identified_on": identified_on.isoformat(),
        },
    )
    return referral


@outward_road("referral_update", description="A referral's details, changed before submission")
def referral_update(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    categories: list[str],
    priority: str,
    profile: dict,
    notes: str = "",
) -> Referral:
    """Change the categories, priority, profile or notes of a referral still in preparation."""
    require(actor, Action.REFER_RESETTLEMENT)
    if referral.status not in EDITABLE_STATUSES:
        raise NotAllowed(_("A referral can be changed only before it is submitted."))
    if priority not in Priority.values:
        raise NotAllowed(_("Unknown priority."))
    # The case may have changed since the referral (a member added, a feared country).
    guard_check(
        road="referral_update",
        recipient=_receiving(referral.receiving_country),
        cases=[referral.case],
        obj=referral,
    )
    new = {
        "categories": _clean_categories(referral.programme_type, categories),
        "priority": priority,
        "profile": _clean_profile(referral.programme_type, profile),
        "notes": notes.strip(),
    }
    changed = [name for name, value in new.items() if getattr(referral, name) != value]
    if not changed:
        return referral
    claim_version(referral, expected_version)
    for name in changed:
        setattr(referral, name, new[name])
    referral.save(update_fields=[*changed, "version"])
    case_event_record(
        case=referral.case,
        actor=actor,
        verb=Verb.REFERRAL_UPDATED,
        obj=referral,
        details={"changed": changed},
    )
    return referral


def _eligible_outcomes(referral: Referral) -> list[str]:
    if referral.pledge is not None:
        return list(referral.pledge.eligible_outcomes)
    return list(programme_rules(referral.programme_type).eligible_outcomes)


def eligibility_refusal(referral: Referral) -> str:
    """Why the referred persons may not be submitted, or "": each member who applied must
    hold a status the pledge (or programme) accepts; members who never applied travel as
    dependants of one who does (rules.DEPENDANTS_FOLLOW_THE_FAMILY)."""
    eligible = _eligible_outcomes(referral)
    names = ", ".join(str(Outcome(o).label) for o in eligible)
    persons = [m.person for m in referral.members.select_related("person")]
    statuses = current_status(person_ids=[p.pk for p in persons])
    for person in persons:
        status = statuses.get(person.pk)
        if status is None and DEPENDANTS_FOLLOW_THE_FAMILY:
            continue
        if status == PENDING or status is None:
            return _(
                "%(person)s cannot be submitted: no decision has recognised their status yet."
            ) % {"person": person.latin_name}
        if status not in eligible:
            return _(
                "%(person)s cannot be submitted: their current status is “%(status)s”, and "
                "this programme accepts only: %(eligible)s."
            ) % {"person": person.latin_name, "status": Outcome(status).label, "eligible": names}
    if not any(statuses.get(p.pk) in eligible for p in persons):
        return _("No referred member holds a status this programme accepts (%(eligible)s).") % {
            "eligible": names
        }
    return ""


def profile_refusal(referral: Referral) -> str:
    missing = [
        str(f.label)
        for f in profile_fields(referral.programme_type)
        if f.required and not referral.profile.get(f.name)
    ]
    if missing:
        return _("The pathway profile is not complete: %(fields)s.") % {
            "fields": ", ".join(missing)
        }
    return ""


STEP_CHECKS = {"eligible_status": eligibility_refusal, "profile_complete": profile_refusal}


# Steps that send the dossier (submit) or the persons (accept, then depart) to the receiving
# country; rejection, withdrawal and arrival send nothing, and closing a referral that the
# guard would now refuse must stay possible.
STEPS_THAT_SEND = frozenset({"submit", "accept", "depart"})


@outward_road("referral_step", description="A referral submitted, accepted or departed")
def referral_move(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    step: str,
    on: date,
    reason: str = "",
    reason_details: str = "",
) -> Referral:
    """Take one step of the table in ``transitions.STEPS`` (submit, accept, reject, depart,
    arrive, withdraw) on the date it happened."""
    transition = STEPS.check(step, referral.status, actor=actor)
    guard_check(
        road="referral_step",
        recipient=_receiving(referral.receiving_country) if step in STEPS_THAT_SEND else NOBODY,
        cases=[referral.case],
        obj=referral,
    )
    _refuse_future(on, _("date"))
    if on < referral.status_on:
        raise NotAllowed(
            _("The date cannot come before the referral's current status (%(date)s).")
            % {"date": referral.status_on.isoformat()}
        )
    if transition.reason_field:
        if reason not in transition.reasons.values:  # type: ignore[union-attr]
            raise NotAllowed(_("Say why."))
    elif reason:
        raise NotAllowed(_("This step takes no reason."))
    for check in transition.checks:
        refusal = STEP_CHECKS[check](referral)
        if refusal:
            raise NotAllowed(refusal)
    claim_version(referral, expected_version)
    before = referral.status
    referral.status = transition.target
    referral.status_on = on
    setattr(referral, transition.date_field, on)
    updated = ["status", "status_on", transition.date_field]
    if transition.reason_field:
        setattr(referral, transition.reason_field, reason)
        referral.reason_details = reason_details.strip()
        updated += [transition.reason_field, "reason_details"]
    referral.save(update_fields=updated)
    case_event_record(
        case=referral.case,
        actor=actor,
        verb=transition.verb,
        obj=referral,
        state_before=before,
        state_after=referral.status,
        details={"on": on.isoformat(), **({"reason": reason} if reason else {})},
    )
    return referral
