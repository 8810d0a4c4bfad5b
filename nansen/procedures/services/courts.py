"""Court proceedings (instance "judicial"): the action before the District Court, the appeal
to the High Court and the final appeal to the Supreme Court, each one ``Appeal`` of its court
level against the same decision; their court and case number, hearings, judgment and its
service, and the stay of execution the court may order.

A judgment states whether the refusal is upheld or revoked. Upheld, it is a decision of the
judicial instance (replacing the judgment below it); revoked, the decisions standing are set
aside and the Minister decides again ("remitted"). The losing party may appeal within the
profile's period from the service of the judgment: the applicant against a refusal upheld,
the State against a revocation, which takes the application from "remitted" back to court.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.procedures.models import (
    Appeal,
    AppealOutcome,
    Appellant,
    Application,
    CourtHearing,
    CourtLevel,
    Deadline,
    Decision,
    Instance,
    StayOutcome,
)
from nansen.procedures.selectors import appealed_decision, last_day_for
from nansen.procedures.services._engine import (
    deadlines_on_event,
    lateness_judge,
    refuse_future,
    step_begin,
)
from nansen.procedures.transitions import refusal

LEVELS = (CourtLevel.DISTRICT, CourtLevel.HIGH, CourtLevel.SUPREME)
LODGE_STEPS: dict[str, str] = {
    CourtLevel.DISTRICT: "lodge_court_action",
    CourtLevel.HIGH: "lodge_court_appeal",
    CourtLevel.SUPREME: "lodge_final_appeal",
}
JUDGMENT_STEPS: dict[str, str] = {
    CourtLevel.DISTRICT: "record_judgment",
    CourtLevel.HIGH: "record_court_appeal_judgment",
    CourtLevel.SUPREME: "record_final_judgment",
}
# A judgment upholds the refusal or revokes it (the Minister then decides again).
JUDGMENT_OUTCOMES = (AppealOutcome.UPHELD, AppealOutcome.REMITTED)


def latest_proceeding(application: Application) -> Appeal | None:
    """The application's most recent court proceeding, at whatever level."""
    return application.appeals.filter(instance=Instance.JUDICIAL).order_by("-pk").first()


def next_court_level(application: Application) -> str:
    """The court level a proceeding may be lodged at next: the District Court when none is
    pending or a new decision was taken since, else the level above the last judgment; ""
    when the last judgment was the Supreme Court's, or a proceeding is still pending."""
    latest = latest_proceeding(application)
    if latest is None:
        return CourtLevel.DISTRICT
    if not latest.outcome:
        return ""
    standing = application.decisions.standing().filter(instance=Instance.APPEAL).first()
    if standing is not None and standing.pk != latest.decision_id:
        return CourtLevel.DISTRICT
    index = LEVELS.index(latest.court_level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else ""


def _judicial(appeal: Appeal) -> None:
    if appeal.instance != Instance.JUDICIAL:
        raise NotAllowed(_("This is not a court proceeding."))


def _lower_proceeding(application: Application, level: str, step_id: str) -> Appeal:
    """The proceeding whose judgment an appeal at ``level`` is lodged against."""
    profile = application.procedure
    step = profile.steps.get(step_id)
    below = LEVELS[LEVELS.index(level) - 1]
    latest = latest_proceeding(application)
    if latest is None or latest.court_level != below or not latest.outcome:
        raise refusal(
            profile,
            step,
            step_id,
            _("it appeals a judgment of the %(court)s, and none is recorded for this application.")
            % {"court": CourtLevel(below).label},
        )
    return latest


def _due_for_appeal(application: Application, rule_id: str, lower: Appeal) -> date | None:
    """The last day to appeal the judgment of ``lower``: the deadline its service opened,
    else counted from the service; None while the service is not recorded."""
    if lower.new_decision_id:
        stored = (
            Deadline.objects.filter(
                application=application, rule=rule_id, decision_id=lower.new_decision_id
            )
            .order_by("-pk")
            .values_list("due_on", flat=True)
            .first()
        )
        if stored is not None:
            return stored
    if lower.served_on is None:
        return None
    return application.procedure.last_day(rule_id, lower.served_on).last_day


def court_lodging_terms(application: Application, level: str) -> dict:
    """What lodging at ``level`` is against, who lodges it and its last days (for the form
    and the service): the decision, the judgment below, the appellant, due and late_until.
    Refuses when nothing can be appealed at that level."""
    if level not in LEVELS:
        raise NotAllowed(_("Unknown court level."))
    step_id = LODGE_STEPS[level]
    profile = application.procedure
    step = profile.steps.get(step_id)
    if step is None:
        raise refusal(profile, None, step_id, _("this procedure has no such step."))
    timeliness = step.timeliness
    lower = None
    due = late_until = None
    if level == CourtLevel.DISTRICT:
        decision = appealed_decision(application, Instance.JUDICIAL)
        appellant = Appellant.APPLICANT
        if timeliness is not None:
            due = last_day_for(application, timeliness.deadline, decision)
            if timeliness.late_deadline:
                late_until = last_day_for(application, timeliness.late_deadline, decision)
    else:
        lower = _lower_proceeding(application, level, step_id)
        decision = lower.decision
        # The party the judgment went against appeals it.
        appellant = (
            Appellant.APPLICANT if lower.outcome == AppealOutcome.UPHELD else Appellant.STATE
        )
        if timeliness is not None:
            due = _due_for_appeal(application, timeliness.deadline, lower)
            if timeliness.late_deadline and lower.served_on is not None:
                late_until = profile.last_day(timeliness.late_deadline, lower.served_on).last_day
    return {
        "step_id": step_id,
        "decision": decision,
        "lower": lower,
        "appellant": appellant,
        "due": due,
        "late_until": late_until,
    }


@transaction.atomic
def court_proceeding_lodge(
    *,
    actor: User,
    application: Application,
    expected_version: int,
    level: str,
    lodged_on: date,
    grounds: str,
    court: str = "",
    case_number: str = "",
    late_justification: str = "",
) -> Appeal:
    """Record a proceeding before a court: the action before the District Court against the
    decision on review, or an appeal against the judgment of the level below (by the
    applicant against a refusal upheld, by the State against a revocation). Whether it is in
    time is computed by the profile's rule; a late one needs its justification."""
    require(actor, Action.LODGE_APPEAL)
    if level not in LEVELS:
        raise NotAllowed(_("Unknown court level."))
    step_id = LODGE_STEPS[level]
    taking = step_begin(actor=actor, application=application, step_id=step_id, on=lodged_on)
    step = taking.step
    terms = court_lodging_terms(application, level)
    profile = application.procedure
    decision, lower = terms["decision"], terms["lower"]
    refuse_future(lodged_on, _("date lodged"))
    if lodged_on < decision.decided_on:
        raise NotAllowed(_("An appeal cannot be lodged before the decision."))
    if lower is not None and lodged_on < lower.decided_on:
        raise NotAllowed(_("An appeal against a judgment cannot be lodged before the judgment."))
    if Appeal.objects.filter(
        decision=decision, instance=Instance.JUDICIAL, court_level=level
    ).exists():
        raise refusal(
            profile,
            step,
            step_id,
            _("a proceeding before the %(court)s against this decision is already recorded.")
            % {"court": CourtLevel(level).label},
        )
    if not grounds.strip():
        raise NotAllowed(_("State the grounds of the appeal."))
    due, late_until = terms["due"], terms["late_until"]
    in_time, justification = lateness_judge(
        profile,
        step,
        filed_on=lodged_on,
        due=due,
        late_until=late_until,
        late_justification=late_justification,
    )
    taking.claim(expected_version)
    appeal = Appeal.objects.create(
        application=application,
        instance=Instance.JUDICIAL,
        court_level=level,
        appellant=terms["appellant"],
        decision=decision,
        lodged_on=lodged_on,
        due_on=due,
        late_until=late_until,
        in_time=in_time,
        late_justification=justification,
        grounds=grounds.strip(),
        court=court.strip(),
        court_case_number=case_number.strip(),
        lodged_by=actor,
    )
    taking.finish(
        verb=Verb.APPEAL_LODGED,
        obj=appeal,
        details={
            "instance": Instance.JUDICIAL,
            "court_level": level,
            "appellant": appeal.appellant,
            "against_judgment": lower.pk if lower else None,
            "lodged_on": lodged_on.isoformat(),
            "due_on": due.isoformat() if due else None,
            "in_time": in_time,
            "late_accepted": not in_time,
            "rule": taking.rule,
        },
    )
    return appeal


@transaction.atomic
def court_proceeding_update(
    *, actor: User, appeal: Appeal, expected_version: int, court: str, case_number: str
) -> Appeal:
    """Record the court a proceeding is before and the case number the court gave it (e.g.
    令和6年(行ウ)第123号), known only once the court has registered the case."""
    require(actor, Action.LODGE_APPEAL)
    _judicial(appeal)
    court, case_number = court.strip(), case_number.strip()
    if not court:
        raise NotAllowed(_("Name the court."))
    claim_version(appeal, expected_version)
    appeal.court, appeal.court_case_number = court, case_number
    appeal.save(update_fields=["court", "court_case_number"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.COURT_DETAILS_RECORDED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "court_level": appeal.court_level,
            "court": court,
            "case_number": case_number,
        },
    )
    return appeal


@transaction.atomic
def court_hearing_record(
    *, actor: User, appeal: Appeal, held_on: date, note: str = ""
) -> CourtHearing:
    """Record a hearing of a court proceeding (one set by the court may be recorded ahead)."""
    require(actor, Action.LODGE_APPEAL)
    _judicial(appeal)
    if appeal.outcome:
        raise NotAllowed(_("The judgment is recorded: the proceeding has no more hearings."))
    if held_on < appeal.lodged_on:
        raise NotAllowed(_("A hearing cannot come before the proceeding was lodged."))
    hearing = CourtHearing.objects.create(
        appeal=appeal, held_on=held_on, note=note.strip(), recorded_by=actor
    )
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.COURT_HEARING_RECORDED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "court_level": appeal.court_level,
            "hearing": hearing.pk,
            "held_on": held_on.isoformat(),
        },
    )
    return hearing


def _judgment_served(actor: User, appeal: Appeal, served_on: date) -> list[Deadline]:
    application = appeal.application
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.JUDGMENT_SERVED,
        obj=appeal,
        details={
            "person": application.person_id,
            "court_level": appeal.court_level,
            "served_on": served_on.isoformat(),
        },
    )
    return deadlines_on_event(
        application,
        "judgment_served",
        served_on,
        decision=appeal.new_decision,
        court_level=appeal.court_level,
    )


def _check_served_on(appeal: Appeal, served_on: date) -> None:
    refuse_future(served_on, _("date the judgment was served"))
    if served_on < appeal.decided_on:  # type: ignore[operator]
        raise NotAllowed(_("A judgment cannot be served before it was given."))


@transaction.atomic
def court_judgment_record(
    *,
    actor: User,
    appeal: Appeal,
    expected_version: int,
    outcome: str,
    decided_on: date,
    reasons: str,
    served_on: date | None = None,
) -> Appeal:
    """Record the court's judgment: the refusal upheld (a decision of the judicial instance,
    replacing the judgment below) or revoked (the standing decisions are set aside and the
    Minister decides again). With the day it was served, the periods to appeal it start."""
    require(actor, Action.DECIDE_APPEAL)
    _judicial(appeal)
    application = appeal.application
    step_id = JUDGMENT_STEPS[appeal.court_level]
    if outcome not in JUDGMENT_OUTCOMES:
        raise NotAllowed(_("A judgment upholds the refusal or revokes it."))
    taking = step_begin(
        actor=actor, application=application, step_id=step_id, on=decided_on, key=outcome
    )
    if appeal.outcome:
        raise NotAllowed(_("The judgment is already recorded."))
    latest = latest_proceeding(application)
    if latest is None or latest.pk != appeal.pk:
        raise NotAllowed(_("A later court proceeding is recorded: this one is closed."))
    if not reasons.strip():
        raise NotAllowed(_("Summarise the reasons of the judgment."))
    refuse_future(decided_on, _("date of the judgment"))
    if decided_on < appeal.lodged_on:
        raise NotAllowed(_("The judgment cannot come before the proceeding was lodged."))
    if served_on is not None:
        appeal.decided_on = decided_on
        _check_served_on(appeal, served_on)
    taking.claim(expected_version, appeal)
    now = timezone.now()
    new_decision = None
    if outcome == AppealOutcome.REMITTED:
        standing = application.decisions.standing()
    else:
        # The judgment of the court below gives way to this one.
        standing = application.decisions.standing().filter(instance=Instance.JUDICIAL)
    superseded = [d.pk for d in standing]
    standing.update(superseded_at=now)
    if outcome == AppealOutcome.UPHELD:
        refused = appeal.decision
        new_decision = Decision.objects.create(
            application=application,
            instance=Instance.JUDICIAL,
            outcome=refused.outcome,
            form=refused.form,
            closure_reason=refused.closure_reason,
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
        verb=Verb.JUDGMENT_RECORDED,
        obj=appeal,
        details={
            "court_level": appeal.court_level,
            "appellant": appeal.appellant,
            "outcome": outcome,
            "decided_on": decided_on.isoformat(),
            "superseded": superseded,
            "rule": taking.rule,
        },
    )
    if served_on is not None:
        appeal.served_on = served_on
        appeal.save(update_fields=["served_on"])
        _judgment_served(actor, appeal, served_on)
    return appeal


@transaction.atomic
def court_judgment_service_record(
    *, actor: User, appeal: Appeal, expected_version: int, served_on: date
) -> list[Deadline]:
    """Record the day the judgment was served on the applicant: the periods to appeal it
    run from then. Returns the deadlines it opened."""
    require(actor, Action.LODGE_APPEAL)
    _judicial(appeal)
    if not appeal.outcome:
        raise NotAllowed(_("Record the judgment before its service."))
    if appeal.served_on is not None:
        raise NotAllowed(_("The service of this judgment is already recorded."))
    _check_served_on(appeal, served_on)
    claim_version(appeal, expected_version)
    appeal.served_on = served_on
    appeal.save(update_fields=["served_on"])
    return _judgment_served(actor, appeal, served_on)


@transaction.atomic
def court_stay_apply(
    *, actor: User, appeal: Appeal, expected_version: int, applied_on: date
) -> Appeal:
    """Record that a stay of execution of the removal order was applied for in this
    proceeding (ACLA Art. 25(2)). Removal stays possible until the court grants it; after a
    refusal, a new application may be recorded."""
    require(actor, Action.LODGE_APPEAL)
    _judicial(appeal)
    if appeal.outcome:
        raise NotAllowed(_("The judgment is recorded: a stay is applied for while it is pending."))
    if appeal.stay_applied_on and appeal.stay_outcome != StayOutcome.REFUSED:
        raise NotAllowed(
            _("A stay of execution is already granted in this proceeding.")
            if appeal.stay_outcome == StayOutcome.GRANTED
            else _("A stay of execution is already applied for and not yet decided.")
        )
    refuse_future(applied_on, _("date of the application for a stay"))
    if applied_on < appeal.lodged_on:
        raise NotAllowed(_("A stay is applied for in a proceeding already lodged."))
    if appeal.stay_decided_on and applied_on < appeal.stay_decided_on:
        raise NotAllowed(_("A new application for a stay comes after the refusal of the last."))
    claim_version(appeal, expected_version)
    previous = appeal.stay_outcome
    appeal.stay_applied_on = applied_on
    appeal.stay_outcome, appeal.stay_decided_on, appeal.stay_court = "", None, ""
    appeal.save(update_fields=["stay_applied_on", "stay_outcome", "stay_decided_on", "stay_court"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.STAY_APPLIED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "court_level": appeal.court_level,
            "applied_on": applied_on.isoformat(),
            "after_refusal": previous == StayOutcome.REFUSED,
        },
    )
    return appeal


@transaction.atomic
def court_stay_decide(
    *,
    actor: User,
    appeal: Appeal,
    expected_version: int,
    outcome: str,
    decided_on: date,
    court: str = "",
) -> Appeal:
    """Record the court's decision on the stay: granted (removal is suspended) or refused.
    The court is the proceeding's unless another is named."""
    require(actor, Action.LODGE_APPEAL)
    _judicial(appeal)
    if outcome not in StayOutcome.values:
        raise NotAllowed(_("A stay is granted or refused."))
    if appeal.stay_applied_on is None:
        raise NotAllowed(_("No stay of execution was applied for in this proceeding."))
    if appeal.stay_outcome:
        raise NotAllowed(_("The court's decision on this stay is already recorded."))
    refuse_future(decided_on, _("date of the decision on the stay"))
    if decided_on < appeal.stay_applied_on:
        raise NotAllowed(_("The court cannot decide on a stay before it was applied for."))
    claim_version(appeal, expected_version)
    appeal.stay_outcome = outcome
    appeal.stay_decided_on = decided_on
    appeal.stay_court = court.strip() or appeal.court
    appeal.save(update_fields=["stay_outcome", "stay_decided_on", "stay_court"])
    case_event_record(
        case=appeal.application.case,
        actor=actor,
        verb=Verb.STAY_DECIDED,
        obj=appeal,
        details={
            "person": appeal.application.person_id,
            "court_level": appeal.court_level,
            "outcome": outcome,
            "decided_on": decided_on.isoformat(),
            "court": appeal.stay_court,
        },
    )
    return appeal
