"""The request for review where the profile has refugee examination counsellors: the office's
register of counsellors, their designation for a request, their opinions, the refusal of the
oral hearing, and the withdrawal of the request by the applicant."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import audit_record, case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.procedures.models import (
    Appeal,
    AppealOutcome,
    Counsellor,
    CounsellorDesignation,
    CounsellorFinding,
    CounsellorOpinion,
    Deadline,
    Instance,
)
from nansen.procedures.profiles import cited
from nansen.procedures.selectors import appealed_decision
from nansen.procedures.services._engine import refuse_future, step_begin
from nansen.procedures.services.appeals import (
    LODGE_STEPS,
    _excluded_officers,
    _may_work_on,
    counsellors_heard,
)
from nansen.procedures.transitions import refuse, rule_name

# --- the register ----------------------------------------------------------------------------


def _check_register_entry(
    *, office: Office, name: str, user: User | None, counsellor: Counsellor | None = None
) -> None:
    others = Counsellor.objects.filter(office=office)
    if counsellor is not None:
        others = others.exclude(pk=counsellor.pk)
    if not name:
        raise NotAllowed(_("Give the counsellor's name."))
    if others.filter(name=name).exists():
        raise NotAllowed(
            _("The register already has a counsellor named %(name)s.") % {"name": name}
        )
    if user is None:
        return
    if user.office_id != office.pk:
        raise NotAllowed(_("The user account must be of this office."))
    if others.filter(user=user).exists():
        raise NotAllowed(_("%(name)s is already on the register.") % {"name": user.display_name})


@transaction.atomic
def counsellor_register(*, actor: User, name: str, user: User | None = None) -> Counsellor:
    """Put a refugee examination counsellor on the register of the actor's office; link the
    counsellor's user account where they have one, so that Nansen can tell whether they
    took part in a first-instance decision."""
    require(actor, Action.MANAGE_COUNSELLORS)
    name = name.strip()
    _check_register_entry(office=actor.office, name=name, user=user)  # type: ignore[arg-type]
    counsellor = Counsellor.objects.create(office=actor.office, name=name, user=user)  # type: ignore[misc]
    audit_record(
        user=actor,
        action="counsellor_registered",
        object_type="counsellor",
        object_id=counsellor.pk,
        details={"name": name, "user": user.pk if user else None},
    )
    return counsellor


@transaction.atomic
def counsellor_update(
    *,
    actor: User,
    counsellor: Counsellor,
    expected_version: int,
    name: str,
    user: User | None,
    active: bool,
) -> Counsellor:
    """Correct a counsellor's name or user account, or take them off the register (or put
    them back): one taken off can no longer be designated; the designations made and the
    opinions given stay."""
    require(actor, Action.MANAGE_COUNSELLORS)
    if counsellor.office_id != actor.office_id:
        raise NotAllowed(_("This counsellor is on the register of another office."))
    name = name.strip()
    _check_register_entry(office=actor.office, name=name, user=user, counsellor=counsellor)  # type: ignore[arg-type]
    if user is not None and user.pk != counsellor.user_id:
        # A new link may show that a designated counsellor took part in the first instance.
        for designation in counsellor.designations.filter(appeal__outcome="").select_related(
            "appeal__application"
        ):
            _check_not_barred(designation.appeal, counsellor, user=user)
    claim_version(counsellor, expected_version)
    before = {"name": counsellor.name, "user": counsellor.user_id, "active": counsellor.active}
    counsellor.name, counsellor.user, counsellor.active = name, user, active
    counsellor.save(update_fields=["name", "user", "active"])
    after = {"name": name, "user": user.pk if user else None, "active": active}
    audit_record(
        user=actor,
        action="counsellor_changed",
        object_type="counsellor",
        object_id=counsellor.pk,
        details={key: [before[key], after[key]] for key in after if before[key] != after[key]},
    )
    return counsellor


# --- designation and opinions ---------------------------------------------------------------


def _check_not_barred(
    appeal: Appeal, counsellor: Counsellor, *, user: User | None, on: date | None = None
) -> None:
    """A counsellor examines the request as its examiner: one who took part in the decision
    under review may not (the profile's ``appeal.excluded``)."""
    if user is None:
        return
    barred = _excluded_officers(appeal)
    if user.pk not in barred:
        return
    raise refuse(
        appeal.application.procedure,
        "appeal.excluded",
        _("%(name)s %(why)s and may not examine the request as a counsellor.")
        % {"name": counsellor.name, "why": barred[user.pk]},
        citations=appeal.application.procedure.appeal.citations,
        on=on or appeal.lodged_on,
    )


def _check_review_open(appeal: Appeal) -> None:
    profile = appeal.application.procedure
    if appeal.instance != Instance.APPEAL or profile.appeal.counsellors == 0:
        raise NotAllowed(_("This procedure has no counsellors."))
    if appeal.outcome:
        raise NotAllowed(_("This appeal is already decided."))


@transaction.atomic
def counsellor_designate(
    *,
    actor: User,
    appeal: Appeal,
    expected_version: int,
    counsellor: Counsellor,
    designated_on: date,
) -> CounsellorDesignation:
    """Designate one of the office's counsellors to examine the request, up to the number
    the profile says; one who took part in the first instance is refused."""
    require(actor, Action.ASSIGN_APPEAL)
    _check_review_open(appeal)
    application = appeal.application
    wanted = application.procedure.appeal.counsellors
    if counsellor.office_id != application.office_id or not counsellor.active:
        raise NotAllowed(
            _("%(name)s is not on the register of counsellors of this office.")
            % {"name": counsellor.name}
        )
    refuse_future(designated_on, _("date of designation"))
    if designated_on < appeal.lodged_on:
        raise NotAllowed(_("A counsellor cannot be designated before the request was lodged."))
    _check_not_barred(appeal, counsellor, user=counsellor.user, on=designated_on)
    claim_version(appeal, expected_version)
    if appeal.designations.filter(counsellor=counsellor).exists():
        raise NotAllowed(
            _("%(name)s is already designated for this request.") % {"name": counsellor.name}
        )
    if appeal.designations.count() >= wanted:
        raise NotAllowed(
            _("The %(n)s counsellors of this request are already designated.") % {"n": wanted}
        )
    designation = CounsellorDesignation.objects.create(
        appeal=appeal, counsellor=counsellor, designated_on=designated_on, designated_by=actor
    )
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.COUNSELLOR_DESIGNATED,
        obj=appeal,
        details={
            "person": application.person_id,
            "counsellor": counsellor.pk,
            "designated_on": designated_on.isoformat(),
        },
    )
    return designation


@transaction.atomic
def counsellor_designation_cancel(
    *, actor: User, appeal: Appeal, expected_version: int, designation: CounsellorDesignation
) -> None:
    """Cancel the designation of a counsellor who has not given an opinion (one who can no
    longer sit, for instance), so that another can be designated."""
    require(actor, Action.ASSIGN_APPEAL)
    _check_review_open(appeal)
    if designation.appeal_id != appeal.pk:
        raise NotAllowed(_("This counsellor is not designated for this request."))
    if appeal.opinions.filter(counsellor_id=designation.counsellor_id).exists():
        raise NotAllowed(_("This counsellor has already given an opinion."))
    claim_version(appeal, expected_version)
    counsellor_id = designation.counsellor_id
    designation.delete()
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.COUNSELLOR_DESIGNATION_CANCELLED,
        obj=appeal,
        details={"person": appeal.application.person_id, "counsellor": counsellor_id},
    )


@transaction.atomic
def counsellor_opinion_record(
    *,
    actor: User,
    appeal: Appeal,
    counsellor: Counsellor,
    finding: str,
    summary: str,
    given_on: date,
) -> CounsellorOpinion:
    """Record the opinion of one of the counsellors designated for the request."""
    require(actor, Action.DECIDE_APPEAL)
    _check_review_open(appeal)
    profile = appeal.application.procedure
    _may_work_on(actor, appeal)
    if finding not in CounsellorFinding.values:
        raise NotAllowed(_("Unknown finding."))
    if not summary.strip():
        raise NotAllowed(_("Summarise the opinion."))
    refuse_future(given_on, _("date of the opinion"))
    designation = appeal.designations.filter(counsellor=counsellor).first()
    if designation is None:
        raise NotAllowed(
            _("%(name)s is not designated for this request.") % {"name": counsellor.name}
        )
    if given_on < designation.designated_on:
        raise NotAllowed(_("An opinion cannot come before the counsellor was designated."))
    if appeal.opinions.filter(counsellor=counsellor).exists():
        raise NotAllowed(_("This counsellor has already given an opinion."))
    if appeal.opinions.count() >= profile.appeal.counsellors:
        raise NotAllowed(
            _("The %(n)s counsellors have already given their opinions.")
            % {"n": profile.appeal.counsellors}
        )
    opinion = CounsellorOpinion.objects.create(
        appeal=appeal,
        counsellor=counsellor,
        finding=finding,
        summary=summary.strip(),
        given_on=given_on,
        recorded_by=actor,
    )
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.COUNSELLOR_OPINION_RECORDED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "counsellor": counsellor.pk,
            "finding": finding,
            "given_on": given_on.isoformat(),
        },
    )
    counsellors_heard(actor, appeal)
    return opinion


# --- the oral hearing refused ---------------------------------------------------------------


@transaction.atomic
def appeal_hearing_refuse(
    *, actor: User, appeal: Appeal, expected_version: int, refused_on: date, reason: str
) -> Appeal:
    """Record that the oral hearing was refused, on the ground the profile allows, with the
    reason for this request; it counts as the hearing done for moving on."""
    require(actor, Action.DECIDE_APPEAL)
    profile = appeal.application.procedure
    hearing_refusal = profile.appeal.hearing_refusal
    if hearing_refusal is None:
        raise NotAllowed(_("This procedure does not allow the oral hearing to be refused."))
    _may_work_on(actor, appeal)
    if appeal.outcome:
        raise NotAllowed(_("This appeal is already decided."))
    if appeal.hearing_on or appeal.hearing_waived or appeal.hearing_refused_on:
        raise NotAllowed(_("The oral hearing was already held, waived or refused."))
    if not reason.strip():
        raise refuse(
            profile,
            "appeal.hearing_refusal",
            _("state why the hearing is refused."),
            citations=hearing_refusal.citations,
            on=refused_on,
        )
    refuse_future(refused_on, _("date the hearing was refused"))
    if refused_on < appeal.lodged_on:
        raise NotAllowed(_("The hearing cannot be refused before the appeal was lodged."))
    claim_version(appeal, expected_version)
    appeal.hearing_refused_on, appeal.hearing_refused_reason = refused_on, reason.strip()
    appeal.save(update_fields=["hearing_refused_on", "hearing_refused_reason"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.HEARING_REFUSED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "refused_on": refused_on.isoformat(),
            "rule": rule_name(profile, "appeal.hearing_refusal"),
            "cited": cited(hearing_refusal.citations, refused_on, marks=False),
        },
    )
    counsellors_heard(actor, appeal)
    return appeal


# --- withdrawal -----------------------------------------------------------------------------


@transaction.atomic
def appeal_withdraw(
    *, actor: User, appeal: Appeal, expected_version: int, withdrawn_on: date, note: str = ""
) -> Appeal:
    """Record that the applicant withdrew the request for review, on ``withdrawn_on`` (the
    day the written withdrawal arrived), at any time before the ruling. No ruling follows:
    the decision under review stands, and the period for a court action against it runs
    from its notification, as if no request had been made."""
    require(actor, Action.LODGE_APPEAL)
    application = appeal.application
    if appeal.instance != Instance.APPEAL:
        raise NotAllowed(_("Only a request for review or an appeal is withdrawn here."))
    if appeal.outcome:
        raise NotAllowed(_("This appeal is already decided: it can no longer be withdrawn."))
    taking = step_begin(
        actor=actor, application=application, step_id="withdraw_appeal", on=withdrawn_on
    )
    refuse_future(withdrawn_on, _("date of the withdrawal"))
    if withdrawn_on < appeal.lodged_on:
        raise NotAllowed(_("A request cannot be withdrawn before it was lodged."))
    taking.claim(expected_version, appeal)
    appeal.outcome = AppealOutcome.WITHDRAWN
    appeal.decided_on = withdrawn_on
    appeal.decided_by = actor
    appeal.save(update_fields=["outcome", "decided_on", "decided_by"])
    periods, court_last_day = _next_instance_periods(application, withdrawn_on)
    taking.finish(
        verb=Verb.APPEAL_WITHDRAWN,
        obj=appeal,
        details={
            "withdrawn_on": withdrawn_on.isoformat(),
            "note": note.strip(),
            "rule": taking.rule,
            "court_action_last_day": court_last_day.isoformat() if court_last_day else None,
        },
    )
    # Opened after the step, which ends the deadlines open until then.
    for deadline in periods:
        deadline.save()
    return appeal


def _next_instance_periods(application, on: date) -> tuple[list[Deadline], date | None]:
    """After a withdrawal, the periods for the next instance run from the notification of
    the decision that was under review: the deadlines to open (those not already over on
    ``on``, unsaved) and the last day, or none where that decision was never notified."""
    profile = application.procedure
    decision = appealed_decision(application, Instance.JUDICIAL)
    if decision.notified_on is None:
        return [], None
    lodge_next = LODGE_STEPS[Instance.JUDICIAL]
    periods = []
    last = None
    for rule in profile.on(on).deadlines.values():
        if lodge_next not in rule.met_by:
            continue
        due_on = profile.last_day(rule.id, decision.notified_on).last_day
        last = due_on if last is None else max(last, due_on)
        if due_on >= on:
            periods.append(
                Deadline(
                    application=application,
                    rule=rule.id,
                    party=rule.party,
                    event="notified",
                    event_on=decision.notified_on,
                    due_on=due_on,
                    decision=decision,
                )
            )
    return periods, last
