"""Appeals, requests for review and court actions: lodging (in time or late, in person, by
post or electronically), assignment to an appeals officer who took no part in the first
instance, the oral hearing where the profile has one, and the decision (including a dismissal
as inadmissible). The counsellors, the refusal of the hearing and the withdrawal of a request
for review are in ``review``."""

from __future__ import annotations

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
from nansen.procedures.models import (
    Appeal,
    AppealOutcome,
    Application,
    ClosureReason,
    CourtLevel,
    Decision,
    Instance,
    InterviewStatus,
    LodgingMethod,
    Outcome,
)
from nansen.procedures.selectors import appealed_decision, last_day_for
from nansen.procedures.services._engine import (
    decision_form_for,
    lateness_judge,
    refuse_future,
    step_begin,
)
from nansen.procedures.services.courts import court_judgment_record, court_proceeding_lodge
from nansen.procedures.transitions import refuse

LODGE_STEPS: dict[str, str] = {
    Instance.APPEAL: "lodge_appeal",
    Instance.JUDICIAL: "lodge_court_action",
}
DECIDE_STEPS: dict[str, str] = {
    Instance.APPEAL: "decide_appeal",
    Instance.JUDICIAL: "record_judgment",
}


@transaction.atomic
def appeal_lodge(
    *,
    actor: User,
    application: Application,
    expected_version: int,
    lodged_on: date,
    grounds: str,
    late_justification: str = "",
    instance: str = Instance.APPEAL,
    lodging_method: str = LodgingMethod.IN_PERSON,
    posted_on: date | None = None,
) -> Appeal:
    """Lodge an appeal or request for review (``instance="appeal"``) or record a court
    action (``"judicial"``). Whether it is in time is computed from the notification by the
    profile's rule; a late one needs a justification, and is refused past the last day the
    profile still accepts one. ``lodged_on`` is the day it was received; one sent by post
    also has the day it was posted (the postmark), which is the day that counts where the
    profile says so."""
    if instance == Instance.JUDICIAL:
        # Court proceedings, at every court level, have their own service.
        return court_proceeding_lodge(
            actor=actor,
            application=application,
            expected_version=expected_version,
            level=CourtLevel.DISTRICT,
            lodged_on=lodged_on,
            grounds=grounds,
            late_justification=late_justification,
        )
    require(actor, Action.LODGE_APPEAL)
    step_id = LODGE_STEPS.get(instance)
    if step_id is None:
        raise NotAllowed(_("Unknown instance."))
    taking = step_begin(actor=actor, application=application, step_id=step_id, on=lodged_on)
    step = taking.step
    profile = application.procedure
    decision = appealed_decision(application, instance)
    refuse_future(lodged_on, _("date lodged"))
    if lodged_on < decision.decided_on:
        raise NotAllowed(_("An appeal cannot be lodged before the decision."))
    if not grounds.strip():
        raise NotAllowed(_("State the grounds of the appeal."))
    _check_posting(lodging_method, posted_on, lodged_on, decision)
    timeliness = step.timeliness
    due = late_until = None
    in_time, justification = True, ""
    if timeliness is not None:
        # The day that counts against the period: the postmark, where the profile says so.
        filed_on = lodged_on
        if timeliness.by_post == "posted" and posted_on is not None:
            filed_on = posted_on
        due = last_day_for(application, timeliness.deadline, decision)
        if timeliness.late_deadline:
            late_until = last_day_for(application, timeliness.late_deadline, decision)
        in_time, justification = lateness_judge(
            profile,
            step,
            filed_on=filed_on,
            due=due,
            late_until=late_until,
            late_justification=late_justification,
        )
    taking.claim(expected_version)
    appeal = Appeal.objects.create(
        application=application,
        instance=instance,
        decision=decision,
        lodged_on=lodged_on,
        lodging_method=lodging_method,
        posted_on=posted_on,
        due_on=due,
        late_until=late_until,
        in_time=in_time,
        late_justification=justification,
        grounds=grounds.strip(),
        lodged_by=actor,
    )
    taking.finish(
        verb=Verb.APPEAL_LODGED,
        obj=appeal,
        details={
            "instance": instance,
            "lodged_on": lodged_on.isoformat(),
            "lodging_method": lodging_method,
            "posted_on": posted_on.isoformat() if posted_on else None,
            "due_on": due.isoformat() if due else None,
            "in_time": in_time,
            "late_accepted": not in_time,
            "rule": taking.rule,
        },
    )
    return appeal


def _check_posting(
    lodging_method: str, posted_on: date | None, lodged_on: date, decision: Decision
) -> None:
    """A posting date for what was sent by post only: not in the future, not after the day
    it was received, not before the decision."""
    if lodging_method not in LodgingMethod.values:
        raise NotAllowed(_("Unknown way of lodging."))
    if lodging_method != LodgingMethod.POST:
        if posted_on is not None:
            raise NotAllowed(_("Only a request sent by post has a posting date."))
        return
    if posted_on is None:
        raise NotAllowed(_("Give the date it was posted (the postmark)."))
    refuse_future(posted_on, _("date posted"))
    if posted_on > lodged_on:
        raise NotAllowed(_("It cannot have been posted after the day it was received."))
    if posted_on < decision.decided_on:
        raise NotAllowed(_("An appeal cannot be posted before the decision."))


def _excluded_officers(appeal: Appeal) -> dict[int, str]:
    """The officers the profile bars from the appeal, with why."""
    rules = appeal.application.procedure.appeal.excluded
    barred: dict[int, str] = {}
    application = appeal.application
    if "first_instance_interviewer" in rules:
        for user_id in application.interviews.filter(status=InterviewStatus.HELD).values_list(
            "interviewer_id", flat=True
        ):
            if user_id:
                barred[user_id] = str(_("interviewed the applicant at first instance"))
    if "first_instance_decider" in rules:
        for user_id in application.decisions.filter(instance=Instance.FIRST).values_list(
            "decided_by_id", flat=True
        ):
            barred[user_id] = str(_("took the first-instance decision"))
    return barred


def _check_not_barred(appeal: Appeal, officer: User, *, on: date | None = None) -> None:
    barred = _excluded_officers(appeal)
    if officer.pk in barred:
        profile = appeal.application.procedure
        raise refuse(
            profile,
            "appeal.excluded",
            _("%(name)s %(why)s and may not decide the appeal.")
            % {"name": officer.display_name, "why": barred[officer.pk]},
            citations=profile.appeal.citations,
            on=on or timezone.localdate(),
        )


@transaction.atomic
def appeal_assign(*, actor: User, appeal: Appeal, expected_version: int, officer: User) -> Appeal:
    """Give the appeal to an appeals officer of the office who took no part in the first
    instance."""
    require(actor, Action.ASSIGN_APPEAL)
    if appeal.instance != Instance.APPEAL:
        raise NotAllowed(_("A court action is decided by the court, not assigned."))
    if appeal.outcome:
        raise NotAllowed(_("This appeal is already decided."))
    if (
        not officer.has_role(Role.APPEALS_OFFICER)
        or officer.office_id != appeal.application.office_id
    ):
        raise NotAllowed(
            _("%(name)s is not an appeals officer of this office.") % {"name": officer.display_name}
        )
    _check_not_barred(appeal, officer)
    claim_version(appeal, expected_version)
    appeal.assigned_to = officer
    appeal.save(update_fields=["assigned_to"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.APPEAL_ASSIGNED,
        obj=appeal,
        details={"person": appeal.application.person_id, "officer": officer.pk},
    )
    return appeal


def _may_work_on(actor: User, appeal: Appeal) -> None:
    if appeal.instance == Instance.APPEAL and appeal.assigned_to_id != actor.pk:
        raise NotAllowed(_("Only the appeals officer the appeal is assigned to may do this."))


def counsellors_heard(actor: User, appeal: Appeal) -> None:
    """Move on once the profile's counsellors have all given their opinion and the oral
    hearing was held, waived or refused."""
    application = appeal.application
    profile = application.procedure
    rules = profile.appeal
    if "hear_counsellors" not in profile.steps or application.stage != "appeal_lodged":
        return
    if appeal.opinions.count() < rules.counsellors:
        return
    if rules.oral_hearing == "unless_waived" and not (
        appeal.hearing_waived or appeal.hearing_on or appeal.hearing_refused_on
    ):
        return
    step_begin(
        actor=actor, application=application, step_id="hear_counsellors", on=timezone.localdate()
    ).finish(verb=Verb.COUNSELLORS_HEARD, obj=appeal, details={"opinions": appeal.opinions.count()})


@transaction.atomic
def appeal_hearing_record(
    *,
    actor: User,
    appeal: Appeal,
    expected_version: int,
    held_on: date | None = None,
    waived: bool = False,
) -> Appeal:
    """Record the oral hearing, or that the applicant waived it."""
    require(actor, Action.DECIDE_APPEAL)
    if appeal.application.procedure.appeal.oral_hearing == "none":
        raise NotAllowed(_("This procedure has no oral hearing."))
    _may_work_on(actor, appeal)
    if waived == (held_on is not None):
        raise NotAllowed(_("Give the date of the hearing, or record that it was waived."))
    if appeal.hearing_refused_on:
        raise NotAllowed(_("The oral hearing was refused."))
    if held_on is not None:
        refuse_future(held_on, _("date of the hearing"))
        if held_on < appeal.lodged_on:
            raise NotAllowed(_("The hearing cannot come before the appeal was lodged."))
    claim_version(appeal, expected_version)
    appeal.hearing_on, appeal.hearing_waived = held_on, waived
    appeal.save(update_fields=["hearing_on", "hearing_waived"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.HEARING_RECORDED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "waived": waived,
            "held_on": held_on.isoformat() if held_on else None,
        },
    )
    counsellors_heard(actor, appeal)
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    expected_version: int,
    outcome: str,
    decided_on: date,
    reasons: str,
    new_outcome: str = "",
    form: str = "",
) -> Appeal:
    """Decide the appeal (or record the court's judgment): upheld, overturned with the new
    decision, sent back to first instance, or dismissed as inadmissible without examining
    the merits (a ruling all the same, closing the appeal)."""
    if appeal.instance == Instance.JUDICIAL:
        # A court's judgment upholds or revokes the refusal, at whichever court level.
        return court_judgment_record(
            actor=actor,
            appeal=appeal,
            expected_version=expected_version,
            outcome=outcome,
            decided_on=decided_on,
            reasons=reasons,
        )
    require(actor, Action.DECIDE_APPEAL)
    application = appeal.application
    profile = application.procedure
    step_id = DECIDE_STEPS[appeal.instance]
    if outcome not in AppealOutcome.values:
        raise NotAllowed(_("Unknown outcome."))
    if outcome == AppealOutcome.WITHDRAWN:
        raise NotAllowed(_("A withdrawal is the applicant's act: record it as such."))
    key = f"{outcome}:{new_outcome}" if outcome == AppealOutcome.OVERTURNED else outcome
    taking = step_begin(
        actor=actor, application=application, step_id=step_id, on=decided_on, key=key
    )
    if appeal.outcome:
        raise NotAllowed(_("This appeal is already decided."))
    _may_work_on(actor, appeal)
    if appeal.instance == Instance.APPEAL:
        _check_not_barred(appeal, actor, on=decided_on)
    if not reasons.strip():
        raise NotAllowed(_("A decision states its reasons."))
    refuse_future(decided_on, _("date of decision"))
    if decided_on < appeal.lodged_on:
        raise NotAllowed(_("The appeal cannot be decided before it was lodged."))
    appealed = appeal.decision
    if outcome == AppealOutcome.OVERTURNED and new_outcome not in (
        Outcome.RECOGNIZED,
        Outcome.COMPLEMENTARY,
    ):
        raise NotAllowed(_("An overturned decision needs the new decision's outcome."))
    if outcome == AppealOutcome.OVERTURNED:
        form = decision_form_for(profile, new_outcome, form, decided_on)
    taking.claim(expected_version, appeal)
    new_decision = None
    if outcome == AppealOutcome.REMITTED:
        now = timezone.now()
        for decision in application.decisions.standing():
            decision.superseded_at = now
            decision.save(update_fields=["superseded_at"])
    elif outcome == AppealOutcome.INADMISSIBLE:
        # The decision appealed stands; the ruling counts as "otherwise closed".
        new_decision = Decision.objects.create(
            application=application,
            instance=appeal.instance,
            outcome=Outcome.CLOSED,
            closure_reason=ClosureReason.INADMISSIBLE,
            decided_on=decided_on,
            decided_by=actor,
            reasons=reasons.strip(),
        )
    else:
        new_decision = Decision.objects.create(
            application=application,
            instance=appeal.instance,
            outcome=appealed.outcome if outcome == AppealOutcome.UPHELD else new_outcome,
            form=appealed.form if outcome == AppealOutcome.UPHELD else form,
            decided_on=decided_on,
            decided_by=actor,
            reasons=reasons.strip(),
        )
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    appeal.decided_by = actor
    appeal.new_decision = new_decision
    appeal.save(update_fields=["outcome", "decided_on", "decided_by", "new_decision"])
    taking.finish(
        verb=Verb.APPEAL_DECIDED if appeal.instance == Instance.APPEAL else Verb.DECISION_RECORDED,
        obj=appeal,
        details={
            "instance": appeal.instance,
            "outcome": outcome,
            "new_outcome": new_decision.outcome if new_decision else "",
            "decided_on": decided_on.isoformat(),
            "rule": taking.rule,
        },
    )
    return appeal
