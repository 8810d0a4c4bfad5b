"""Applications and decisions: each write one transaction that also writes the case history."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.procedures.models import (
    Application,
    ClosureReason,
    Decision,
    Instance,
    Outcome,
    Stage,
)
from nansen.procedures.transitions import TRANSITIONS, transition_check
from nansen.registration.models import Case, Person


def _refuse_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise NotAllowed(_("The %(what)s cannot be in the future.") % {"what": what})


@transaction.atomic
def application_lodge(
    *,
    actor: User,
    case: Case,
    persons: list[Person],
    lodged_on: date,
    ordinals: dict[int, int] | None = None,
) -> list[Application]:
    """Lodge one application for each of the chosen members of the case.

    A person's application number follows their earlier applications (a repeat application
    is number 2, 3…); ``ordinals`` may set a higher one for applications made before the
    office used Nansen.
    """
    require(actor, Action.LODGE_APPLICATION)
    _refuse_future(lodged_on, _("date lodged"))
    if not persons:
        raise NotAllowed(_("Choose at least one member of the case."))
    member_ids = set(case.members.values_list("person_id", flat=True))
    if any(p.pk not in member_ids for p in persons):
        raise NotAllowed(_("Applications can only be lodged for members of this case."))
    ordinals = ordinals or {}
    earlier = dict(
        Application.objects.filter(person__in=persons)
        .values("person_id")
        .annotate(last=Max("ordinal"))
        .values_list("person_id", "last")
    )
    pending = set(
        Application.objects.filter(person__in=persons)
        .exclude(stage=Stage.DECIDED)
        .values_list("person_id", flat=True)
    )
    created = []
    for person in persons:
        if person.pk in pending:
            raise NotAllowed(
                _("%(person)s already has an application awaiting a decision.")
                % {"person": person.latin_name}
            )
        next_ordinal = earlier.get(person.pk, 0) + 1
        ordinal = ordinals.get(person.pk, next_ordinal)
        if ordinal < next_ordinal:
            raise NotAllowed(
                _(
                    "%(person)s has already lodged %(count)s application(s); this one is number "
                    "%(next)s or later."
                )
                % {"person": person.latin_name, "count": next_ordinal - 1, "next": next_ordinal}
            )
        application = Application.objects.create(
            case=case,
            person=person,
            office=case.office,
            lodged_on=lodged_on,
            ordinal=ordinal,
            created_by=actor,
        )
        case_event_record(
            case=case,
            actor=actor,
            verb=Verb.APPLICATION_LODGED,
            obj=application,
            state_after=Stage.LODGED,
            details={"person": person.pk, "ordinal": ordinal, "lodged_on": lodged_on.isoformat()},
        )
        created.append(application)
    return created


@transaction.atomic
def application_record_interview(
    *, actor: User, application: Application, expected_version: int, interview_on: date
) -> Application:
    require(actor, TRANSITIONS["record_interview"].action)
    transition = transition_check("record_interview", application.stage)
    _refuse_future(interview_on, _("interview date"))
    if interview_on < application.lodged_on:
        raise NotAllowed(_("The interview cannot come before the application was lodged."))
    claim_version(application, expected_version)
    before = application.stage
    application.interview_on = interview_on
    application.stage = transition.target
    application.save(update_fields=["interview_on", "stage"])
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.INTERVIEW_RECORDED,
        obj=application,
        state_before=before,
        state_after=application.stage,
        details={"person": application.person_id, "interview_on": interview_on.isoformat()},
    )
    return application


@transaction.atomic
def decision_record(
    *,
    actor: User,
    application: Application,
    expected_version: int,
    outcome: str,
    decided_on: date,
    reasons: str,
    closure_reason: str = "",
) -> Decision:
    """Record the first-instance decision on one person's application."""
    require(actor, TRANSITIONS["decide"].action)
    transition = transition_check("decide", application.stage)
    if outcome not in Outcome.values:
        raise NotAllowed(_("Unknown outcome."))
    if outcome == Outcome.CLOSED and closure_reason not in ClosureReason.values:
        raise NotAllowed(_("Say why the application is closed."))
    if outcome != Outcome.CLOSED and closure_reason:
        raise NotAllowed(_("Only a closed application has a reason for closing."))
    if not reasons.strip():
        raise NotAllowed(_("A decision states its reasons."))
    _refuse_future(decided_on, _("date of decision"))
    if decided_on < application.lodged_on:
        raise NotAllowed(_("The decision cannot come before the application was lodged."))
    claim_version(application, expected_version)
    before = application.stage
    decision = Decision.objects.create(
        application=application,
        instance=Instance.FIRST,
        outcome=outcome,
        closure_reason=closure_reason,
        decided_on=decided_on,
        decided_by=actor,
        reasons=reasons.strip(),
    )
    application.stage = transition.target
    application.save(update_fields=["stage"])
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.DECISION_RECORDED,
        obj=decision,
        state_before=before,
        state_after=application.stage,
        details={
            "person": application.person_id,
            "outcome": outcome,
            "closure_reason": closure_reason,
            "decided_on": decided_on.isoformat(),
        },
    )
    return decision
