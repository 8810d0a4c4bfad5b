"""Applications and first-instance decisions: each write one transaction that also writes
the case history, and asks the application's profile whether the step is allowed."""

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
from nansen.procedures import profiles
from nansen.procedures.hooks import decision_hooks
from nansen.procedures.models import (
    Application,
    ClosureReason,
    Deadline,
    DeadlineStatus,
    Decision,
    Instance,
    Interview,
    InterviewStatus,
    Outcome,
)
from nansen.procedures.profiles import Profile
from nansen.procedures.services._engine import (
    deadlines_on_event,
    decision_form_for,
    interview_held,
    is_dependant,
    refuse_future,
    step_begin,
)
from nansen.procedures.transitions import refusal, refuse
from nansen.registration.models import Case, Person


def _removal_suspension(profile: Profile, ordinal: int, lodged_on: date) -> tuple[bool | None, str]:
    """Whether a new application suspends removal under the profile, and the exception."""
    if profile.removal is None:
        return None, ""
    for exception in profile.on(lodged_on).removal.exceptions:  # type: ignore[union-attr]
        if exception.recorded:
            continue
        applies_from = exception.lodged_from is None or lodged_on >= exception.lodged_from
        if ordinal >= exception.from_ordinal and applies_from:
            return False, exception.id
    return profile.removal.suspends, ""


@transaction.atomic
def application_lodge(
    *,
    actor: User,
    case: Case,
    persons: list[Person],
    lodged_on: date,
    ordinals: dict[int, int] | None = None,
    profile: str | None = None,
    processing_mode: str | None = None,
) -> list[Application]:
    """Lodge one application for each of the chosen members of the case.

    Each follows ``profile`` (by default the one the office follows). A person's application
    number follows their earlier applications (a repeat application is number 2, 3…);
    ``ordinals`` may set a higher one for applications made before the office used Nansen.
    """
    require(actor, Action.LODGE_APPLICATION)
    procedure = profiles.get(profile) if profile else profiles.default_for_office(case.office)
    mode = processing_mode or procedure.default_mode
    # The processing modes the profile had on the day the applications are lodged.
    if mode not in procedure.on(lodged_on).modes:
        raise NotAllowed(
            _("The procedure %(profile)s has no processing mode “%(mode)s”.")
            % {"profile": procedure.id, "mode": mode}
        )
    refuse_future(lodged_on, _("date lodged"))
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
    # An application still before the authority blocks a new one; one before a court does
    # not (the court reviews the refusal; a new application may be lodged meanwhile).
    pending = set(
        Application.objects.filter(person__in=persons)
        .pending_at_authority()
        .values_list("person_id", flat=True)
    )
    last_decided = dict(
        Decision.objects.filter(application__person__in=persons)
        .values("application__person_id")
        .annotate(last=Max("decided_on"))
        .values_list("application__person_id", "last")
    )
    created = []
    for person in persons:
        if person.pk in pending:
            raise NotAllowed(
                _("%(person)s already has an application awaiting a decision.")
                % {"person": person.latin_name}
            )
        if person.pk in last_decided and lodged_on < last_decided[person.pk]:
            raise NotAllowed(
                _(
                    "A repeat application of %(person)s cannot be lodged before the decision "
                    "on the previous one (%(date)s)."
                )
                % {"person": person.latin_name, "date": last_decided[person.pk].isoformat()}
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
        suspends, exception = _removal_suspension(procedure, ordinal, lodged_on)
        application = Application.objects.create(
            case=case,
            person=person,
            office=case.office,
            profile=procedure.id,
            processing_mode=mode,
            stage=procedure.initial_stage,
            lodged_on=lodged_on,
            ordinal=ordinal,
            suspends_removal=suspends,
            removal_exception=exception,
            created_by=actor,
        )
        case_event_record(
            case=case,
            actor=actor,
            verb=Verb.APPLICATION_LODGED,
            obj=application,
            state_after=application.stage,
            details={
                "person": person.pk,
                "ordinal": ordinal,
                "lodged_on": lodged_on.isoformat(),
                "profile": procedure.id,
                "processing_mode": mode,
                "suspends_removal": suspends,
                "removal_exception": exception,
            },
        )
        deadlines_on_event(application, "lodged", lodged_on)
        created.append(application)
    return created


@transaction.atomic
def application_record_interview(
    *, actor: User, application: Application, expected_version: int, interview_on: date
) -> Application:
    """Record that the applicant was interviewed on a day, without a scheduled slot (an
    interview held before the office used Nansen's scheduling). The full record, with the
    account given, goes through ``interview_schedule`` and ``interview_record``."""
    require(actor, Action.RECORD_INTERVIEW)
    taking = step_begin(
        actor=actor, application=application, step_id="record_interview", on=interview_on
    )
    refuse_future(interview_on, _("interview date"))
    if interview_on < application.lodged_on:
        raise NotAllowed(_("The interview cannot come before the application was lodged."))
    taking.claim(expected_version)
    interview = Interview.objects.create(
        application=application,
        status=InterviewStatus.HELD,
        interviewer=actor,
        held_on=interview_on,
        present=["applicant", "interviewer"],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    interview_held(
        taking,
        held_on=interview_on,
        obj=application,
        details={"interview": interview.pk, "interview_on": interview_on.isoformat()},
    )
    return application


def _check_interview(application: Application, outcome: str, without_interview_reason: str) -> str:
    """A decision on the claim needs a held interview, unless the processing mode (or, for a
    dependant, the profile) lets that outcome be decided without one — under UNHCR's mandate
    a recognition only — and the reason is recorded."""
    if outcome == Outcome.CLOSED:
        return ""
    if application.interviews.filter(status=InterviewStatus.HELD).exists():
        return ""
    profile = application.procedure
    mode = profile.modes[application.processing_mode]
    # Each rule that may let a decision go without an interview: (its name, the outcomes it
    # lets go, its sources).
    rules = [(f"modes.{mode.id}", mode.decision_without_interview, mode.citations)]
    if profile.interview.dependants_without_interview and is_dependant(application):
        rules.append(
            (
                "interview.dependants_without_interview",
                profile.interview.dependants_without_interview,
                profile.interview.citations,
            )
        )
    if not any(outcome in allowed for _rule, allowed, _cited in rules):
        rule, allowed, citations = next((r for r in reversed(rules) if r[1]), rules[0])
        if not allowed:
            raise refuse(
                profile,
                rule,
                _(
                    "in the processing mode “%(mode)s” a decision needs an interview of the "
                    "applicant first."
                )
                % {"mode": mode.label},
                citations=citations,
            )
        raise refuse(
            profile,
            rule,
            _(
                "without an interview of the applicant only this may be decided: %(allowed)s. "
                "“%(outcome)s” needs an interview of the applicant first."
            )
            % {
                "allowed": ", ".join(str(label) for o, label in Outcome.choices if o in allowed),
                "outcome": Outcome(outcome).label,
            },
            citations=citations,
        )
    if not without_interview_reason.strip():
        raise NotAllowed(
            _(
                "The applicant was not interviewed: record why the decision is made without an "
                "interview."
            )
        )
    return without_interview_reason.strip()


def _check_closure(application: Application, closure_reason: str, decided_on: date) -> None:
    """A closure the profile ties to a lapsed deadline (abandonment) waits for it."""
    profile = application.procedure
    rule = profile.closures.get(closure_reason)
    if rule is None:
        return
    lapsed = Deadline.objects.filter(
        application=application,
        rule=rule.after_deadline,
        status=DeadlineStatus.OPEN,
        due_on__lt=decided_on,
    ).exists()
    if not lapsed:
        deadline = profile.deadlines[rule.after_deadline]
        raise refuse(
            profile,
            f"closure.{rule.reason}",
            _(
                "the file can only be closed for this reason once the period “%(deadline)s” "
                "has run out without the applicant acting."
            )
            % {"deadline": deadline.label},
            citations=rule.citations,
        )


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
    form: str = "",
    without_interview_reason: str = "",
    historical: bool = False,
) -> Decision:
    """Record the first-instance decision on one person's application.

    A decision on the claim needs the application's eligibility assessment complete,
    consistent and concluding the same outcome (eligibility.selectors). ``historical``
    enters a decision taken before the office used Nansen, from its paper file, without an
    assessment; it is offered to data migrations and the demo, never to the pages or the API.
    """
    require(actor, Action.DECIDE_FIRST_INSTANCE)
    if outcome not in Outcome.values:
        raise NotAllowed(_("Unknown outcome."))
    taking = step_begin(
        actor=actor, application=application, step_id="decide", on=decided_on, key=outcome
    )
    profile = application.procedure
    if outcome == Outcome.CLOSED and closure_reason not in ClosureReason.values:
        raise NotAllowed(_("Say why the application is closed."))
    if outcome != Outcome.CLOSED and closure_reason:
        raise NotAllowed(_("Only a closed application has a reason for closing."))
    if not reasons.strip():
        raise NotAllowed(_("A decision states its reasons."))
    refuse_future(decided_on, _("date of decision"))
    if decided_on < application.lodged_on:
        raise NotAllowed(_("The decision cannot come before the application was lodged."))
    if application.interview_on and decided_on < application.interview_on:
        raise NotAllowed(_("The decision cannot come before the interview."))
    if not form and not historical:
        # A conclusion only some kinds of decision record (UNHCR's broader mandate) chooses it.
        form = decision_hooks.form(application=application, outcome=outcome)
    form = decision_form_for(profile, outcome, form, decided_on)
    without_interview_reason = _check_interview(application, outcome, without_interview_reason)
    if outcome == Outcome.CLOSED:
        _check_closure(application, closure_reason, decided_on)
    if not historical and (
        blocked := decision_hooks.blocked(application=application, outcome=outcome, form=form)
    ):
        raise NotAllowed(blocked)
    taking.claim(expected_version)
    decision = Decision.objects.create(
        historical=historical,
        application=application,
        instance=Instance.FIRST,
        outcome=outcome,
        form=form,
        closure_reason=closure_reason,
        decided_on=decided_on,
        decided_by=actor,
        reasons=reasons.strip(),
        without_interview_reason=without_interview_reason,
    )
    if application.officer_id is None:
        application.officer = actor
        application.save(update_fields=["officer"])
    taking.finish(
        verb=Verb.DECISION_RECORDED,
        obj=decision,
        details={
            "outcome": outcome,
            "form": form,
            "closure_reason": closure_reason,
            "decided_on": decided_on.isoformat(),
            "without_interview": bool(without_interview_reason),
            "historical": historical,
        },
    )
    return decision


def notify(*, actor: User, decision: Decision, notified_on: date, letter=None) -> list[Deadline]:
    """Record the notification of a decision: it starts the periods the profile attaches to
    it (appeal, review, court action). Runs inside the caller's transaction."""
    if decision.notified_on is not None:
        raise NotAllowed(
            _("This decision was already notified on %(date)s.")
            % {"date": decision.notified_on.isoformat()}
        )
    refuse_future(notified_on, _("date of notification"))
    if notified_on < decision.decided_on:
        raise NotAllowed(_("A decision cannot be notified before it was made."))
    decision.notified_on = notified_on
    decision.save(update_fields=["notified_on"])
    application = decision.application
    deadlines = deadlines_on_event(application, "notified", notified_on, decision=decision)
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.DECISION_NOTIFIED,
        obj=decision,
        details={
            "person": application.person_id,
            "notified_on": notified_on.isoformat(),
            "letter": letter.pk if letter else None,
            "deadlines": {d.rule: d.due_on.isoformat() for d in deadlines},
        },
    )
    return deadlines


@transaction.atomic
def decision_notify(*, actor: User, decision: Decision, notified_on: date) -> list[Deadline]:
    """Record that a decision was notified by a letter made outside Nansen."""
    require(actor, Action.ISSUE_LETTER)
    return notify(actor=actor, decision=decision, notified_on=notified_on)


@transaction.atomic
def application_mode_set(
    *, actor: User, application: Application, expected_version: int, mode: str, reason: str
) -> Application:
    """Process the application in another of its profile's processing modes."""
    require(actor, Action.DECIDE_FIRST_INSTANCE)
    profile = application.procedure
    if mode not in profile.modes:
        raise NotAllowed(
            _("The procedure %(profile)s has no processing mode “%(mode)s”.")
            % {"profile": profile.id, "mode": mode}
        )
    if application.stage not in profile.steps["decide"].sources:
        raise refusal(
            profile,
            profile.steps["decide"],
            "decide",
            _("the processing mode can only change before the first-instance decision."),
        )
    if not reason.strip():
        raise NotAllowed(_("Say why the processing mode changes."))
    claim_version(application, expected_version)
    before = application.processing_mode
    application.processing_mode = mode
    application.save(update_fields=["processing_mode"])
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.PROCESSING_MODE_CHANGED,
        obj=application,
        details={
            "person": application.person_id,
            "from": before,
            "to": mode,
            "reason": reason.strip(),
        },
    )
    return application


@transaction.atomic
def application_reasonable_grounds_record(
    *, actor: User, application: Application, expected_version: int, note: str
) -> Application:
    """Record that the applicant of a repeat application the profile excepts from the
    suspension of removal submitted material showing reasonable grounds: it suspends it."""
    require(actor, Action.DECIDE_FIRST_INSTANCE)
    if not application.removal_exception:
        raise NotAllowed(_("This application already suspends removal."))
    exception = next(
        (
            e
            for e in application.procedure.removal.exceptions
            if e.id == application.removal_exception
        ),
        None,
    )
    if exception is None or not exception.lifted_by_reasonable_grounds:
        raise NotAllowed(
            _("Material showing reasonable grounds does not lift this exception: %(label)s")
            % {"label": exception.label if exception else application.removal_exception}
        )
    if not note.strip():
        raise NotAllowed(_("Describe the material submitted."))
    claim_version(application, expected_version)
    application.reasonable_grounds_shown = True
    application.suspends_removal = True
    application.save(update_fields=["reasonable_grounds_shown", "suspends_removal"])
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.REASONABLE_GROUNDS_RECORDED,
        obj=application,
        details={
            "person": application.person_id,
            "exception": application.removal_exception,
            "note": note.strip(),
        },
    )
    return application


@transaction.atomic
def application_removal_exception_record(
    *, actor: User, application: Application, expected_version: int, exception: str, reasons: str
) -> Application:
    """Record that one of the grounds the profile lists as excepting an application from the
    suspension of removal applies (a serious sentence, terrorism…), with the reasons; an
    empty ``exception`` withdraws a ground recorded earlier (the reasons say why)."""
    require(actor, Action.DECIDE_FIRST_INSTANCE)
    profile = application.procedure
    if profile.removal is None:
        raise NotAllowed(_("This procedure has no rule on the suspension of removal."))
    if not reasons.strip():
        raise NotAllowed(_("State the reasons."))
    recorded = {e.id: e for e in profile.removal.exceptions if e.recorded}
    if exception:
        chosen = recorded.get(exception)
        if chosen is None:
            raise NotAllowed(
                _("“%(ground)s” is not a ground this procedure lets the office record.")
                % {"ground": exception}
            )
        if chosen.lodged_from is not None and application.lodged_on < chosen.lodged_from:
            raise refuse(
                profile,
                f"removal.exceptions.{chosen.id}",
                _("it applies only to applications lodged from %(date)s.")
                % {"date": chosen.lodged_from.isoformat()},
                citations=chosen.citations,
            )
        if application.removal_exception and application.removal_exception not in recorded:
            raise NotAllowed(_("This application is already excepted from the suspension."))
    elif application.removal_exception not in recorded:
        raise NotAllowed(_("No ground recorded by the office applies to this application."))
    claim_version(application, expected_version)
    before = application.removal_exception
    application.removal_exception = exception
    application.suspends_removal = not exception
    application.save(update_fields=["removal_exception", "suspends_removal"])
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.REMOVAL_EXCEPTION_RECORDED,
        obj=application,
        details={
            "person": application.person_id,
            "exception": exception,
            "before": before,
            "reasons": reasons.strip(),
        },
    )
    return application


@transaction.atomic
def application_contact_record(
    *, actor: User, application: Application, contacted_on: date, note: str = ""
) -> Application:
    """Record that the applicant made contact (after a missed interview, for example)."""
    require(actor, Action.SCHEDULE_INTERVIEW)
    refuse_future(contacted_on, _("date of contact"))
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.CONTACT_RECORDED,
        obj=application,
        details={
            "person": application.person_id,
            "contacted_on": contacted_on.isoformat(),
            "note": note.strip(),
        },
    )
    deadlines_on_event(application, "contact", contacted_on)
    return application


def _check_late_appeal_ground(
    application: Application, first: Decision | None, reopened_on: date, step
) -> None:
    """Reopening because the applicant did not appeal in time for a valid reason is the road
    once no appeal can be lodged any more: the file stands refused at first instance, no
    appeal was lodged against that refusal, and the last day on which a late appeal is still
    accepted (the profile's ``lodge_appeal`` timeliness) has passed."""
    profile = application.procedure

    def refuse(message):
        return refusal(profile, step, "reopening_grounds.late-appeal", message)

    if first is None or first.outcome != Outcome.REJECTED:
        raise refuse(
            _(
                "a file is reopened for an appeal not lodged in time only while it stands "
                "refused at first instance."
            )
        )
    if first.appeals.exists():
        raise refuse(
            _(
                "an appeal was lodged against the refusal; a file is reopened for an appeal not "
                "lodged in time only when none was."
            )
        )
    appeal_step = profile.steps.get("lodge_appeal")
    timeliness = appeal_step.timeliness if appeal_step else None
    rule = (timeliness.late_deadline or timeliness.deadline) if timeliness else ""
    last = (
        Deadline.objects.filter(application=application, decision=first, rule=rule)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if last is None:
        raise refuse(_("the refusal was not notified, so the period for an appeal has not run."))
    if reopened_on <= last:
        raise refuse(
            _(
                "an appeal is still accepted until %(date)s (%(deadline)s): lodge the appeal, "
                "saying why it is late."
            )
            % {"date": last.isoformat(), "deadline": profile.deadlines[rule].label}
        )


@transaction.atomic
def application_reopen(
    *,
    actor: User,
    application: Application,
    expected_version: int,
    ground: str,
    reopened_on: date,
    note: str = "",
) -> Application:
    """Reopen a closed or refused file on one of the grounds the profile lists (``abandoned``
    and ``late-appeal`` each with its own conditions)."""
    require(actor, Action.DECIDE_FIRST_INSTANCE)
    taking = step_begin(actor=actor, application=application, step_id="reopen", on=reopened_on)
    step = taking.step
    profile = application.procedure
    if ground not in profile.reopening_grounds:
        raise refusal(profile, step, "reopen", _("this is not a ground for reopening a file."))
    standing = list(application.decisions.standing().order_by("instance"))
    first = next((d for d in standing if d.instance == Instance.FIRST), None)
    if ground == "abandoned" and not (first and first.closure_reason == ClosureReason.ABANDONED):
        raise refusal(profile, step, "reopen", _("the file was not closed for abandonment."))
    refuse_future(reopened_on, _("date of reopening"))
    if ground == "late-appeal":
        _check_late_appeal_ground(application, first, reopened_on, step)
    taking.claim(expected_version)
    now = timezone.now()
    for decision in standing:
        decision.superseded_at = now
        decision.save(update_fields=["superseded_at"])
    taking.finish(
        verb=Verb.APPLICATION_REOPENED,
        obj=application,
        details={
            "ground": ground,
            "reopened_on": reopened_on.isoformat(),
            "note": note.strip(),
            "superseded": [d.pk for d in standing],
            "rule": taking.rule,
        },
    )
    return application
