"""Interviews: scheduling (no double booking), the record of an interview held, a missed one."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action, Role
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import language_name
from nansen.procedures.models import (
    Application,
    Interpreter,
    Interview,
    InterviewStatus,
    OfficerProfile,
    Presence,
    Room,
)
from nansen.procedures.services._engine import deadlines_on_event, interview_held, step_begin
from nansen.procedures.transitions import refusal, step_check
from nansen.registration.models import Person, Sex


def _lock(application: Application, interviewer: User, interpreter, room) -> None:
    """Lock the rows of everyone and everything booked, always in the same order, so two
    bookings of the same person, officer, interpreter or room wait for each other."""
    Person.objects.select_for_update().filter(pk=application.person_id).get()
    User.objects.select_for_update(no_key=True).filter(pk=interviewer.pk).get()
    if interpreter is not None:
        Interpreter.objects.select_for_update().filter(pk=interpreter.pk).get()
    if room is not None:
        Room.objects.select_for_update().filter(pk=room.pk).get()


def _double_booking(application, starts_at, ends_at, interviewer, interpreter, room, exclude=None):
    clashes = Interview.objects.overlapping(starts_at, ends_at)
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    checks = [
        (Q(application__person_id=application.person_id), _("the applicant")),
        (Q(interviewer=interviewer), _("the interviewer")),
    ]
    if interpreter is not None:
        checks.append((Q(interpreter=interpreter), _("the interpreter")))
    if room is not None:
        checks.append((Q(room=room), _("the room")))
    for condition, who in checks:
        clash = clashes.filter(condition).first()
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            raise NotAllowed(
                _("Double booking: %(who)s already has an interview from %(start)s to %(end)s.")
                % {
                    "who": who,
                    "start": local.strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
                }
            )


def _same_sex_unmet(person: Person, interviewer: User, interpreter) -> list[str]:
    """Who does not match the applicant's sex, or whose sex is not recorded."""
    unmet: list[str] = []
    if person.sex not in (Sex.FEMALE, Sex.MALE):
        return unmet
    officer = OfficerProfile.objects.filter(user=interviewer).first()
    if officer is None or officer.sex != person.sex:
        unmet.append(str(_("the interviewer")))
    if interpreter is not None and interpreter.sex != person.sex:
        unmet.append(str(_("the interpreter")))
    return unmet


@transaction.atomic
def interview_schedule(
    *,
    actor: User,
    application: Application,
    starts_at: datetime,
    ends_at: datetime,
    interviewer: User,
    language: str = "",
    interpreter: Interpreter | None = None,
    room: Room | None = None,
    remote: bool = False,
    same_sex_requested: bool = False,
    same_sex_unmet_reason: str = "",
) -> Interview:
    """Book an interview: an interviewer who may hold it, an interpreter for the applicant's
    language when needed, a room or a remote link, and no double booking of anyone."""
    require(actor, Action.SCHEDULE_INTERVIEW)
    step = step_check(application, "record_interview")
    profile = application.procedure
    person = application.person
    if not (set(interviewer.roles) & step.roles) or interviewer.office_id != application.office_id:
        raise refusal(
            profile,
            step,
            "record_interview",
            _("%(name)s may not hold this interview.") % {"name": interviewer.display_name},
        )
    if ends_at <= starts_at:
        raise NotAllowed(_("The interview must end after it starts."))
    if starts_at < timezone.now():
        raise NotAllowed(_("An interview can only be scheduled in the future."))
    if remote == (room is not None):
        raise NotAllowed(_("Choose a room, or hold the interview remotely."))
    if room is not None and (room.office_id != application.office_id or not room.active):
        raise NotAllowed(_("This room is not one of the office's rooms in use."))
    if language and person.languages and language not in person.languages:
        raise NotAllowed(
            _("%(language)s is not one of the applicant's languages.")
            % {"language": language_name(language)}
        )
    if interpreter is not None:
        if interpreter.office_id != application.office_id or not interpreter.active:
            raise NotAllowed(_("This interpreter is not available to the office."))
        if not language or not interpreter.speaks(language):
            raise NotAllowed(
                _("The interpreter does not speak %(language)s.")
                % {"language": language_name(language) if language else "—"}
            )
    elif person.interpreter_needed:
        # UNHCR RSD Procedural Standards §2.5.1: interpreters at every stage.
        raise NotAllowed(
            _("The applicant needs an interpreter: choose one who speaks their language.")
        )
    # UNHCR RSD Procedural Standards §3.1.3, §2.5.1: the applicant may ask for an
    # interviewer and an interpreter of the same sex; honour it or say why not.
    same_sex_unmet_reason = same_sex_unmet_reason.strip()
    if same_sex_requested:
        unmet = _same_sex_unmet(person, interviewer, interpreter)
        if unmet and not same_sex_unmet_reason:
            raise NotAllowed(
                _(
                    "The applicant asked for an interviewer and interpreter of the same sex, "
                    "and %(who)s is not: choose others or record why the request cannot be met."
                )
                % {"who": ", ".join(unmet)}
            )
        if not unmet:
            same_sex_unmet_reason = ""
    else:
        same_sex_unmet_reason = ""
    _lock(application, interviewer, interpreter, room)
    _double_booking(application, starts_at, ends_at, interviewer, interpreter, room)
    interview = Interview.objects.create(
        application=application,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        remote=remote,
        interviewer=interviewer,
        interpreter=interpreter,
        language=language,
        same_sex_requested=same_sex_requested,
        same_sex_unmet_reason=same_sex_unmet_reason,
        scheduled_by=actor,
    )
    if application.officer_id is None:
        Application.objects.filter(pk=application.pk).update(officer=interviewer)
        application.officer = interviewer
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.INTERVIEW_SCHEDULED,
        obj=interview,
        details={
            "person": application.person_id,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "interviewer": interviewer.pk,
            "interpreter": interpreter.pk if interpreter else None,
            "room": room.pk if room else None,
            "remote": remote,
            "same_sex_requested": same_sex_requested,
            "same_sex_unmet": bool(same_sex_unmet_reason),
        },
    )
    return interview


def _may_record(actor: User, interview: Interview) -> None:
    if interview.interviewer_id != actor.pk and not actor.has_role(Role.SUPERVISOR):
        raise NotAllowed(_("Only the interviewer or a supervisor records this interview."))


@transaction.atomic
def interview_record(
    *,
    actor: User,
    interview: Interview,
    expected_version: int,
    started_at: datetime,
    ended_at: datetime,
    present: list[str],
    account: str,
    read_back: bool,
    confirmed: bool,
    corrections: str = "",
) -> Interview:
    """The record of an interview held: when, who was present, the account given, whether
    it was read back and whether the applicant confirmed it or asked for corrections."""
    require(actor, Action.RECORD_INTERVIEW)
    application = interview.application
    held_on = timezone.localtime(started_at).date()
    taking = step_begin(
        actor=actor, application=application, step_id="record_interview", on=held_on
    )
    _may_record(actor, interview)
    if interview.status != InterviewStatus.SCHEDULED:
        raise NotAllowed(_("Only a scheduled interview can be recorded."))
    if ended_at <= started_at:
        raise NotAllowed(_("The interview must end after it starts."))
    if ended_at > timezone.now():
        raise NotAllowed(_("An interview is recorded once it is over."))
    if held_on < application.lodged_on:
        raise NotAllowed(_("The interview cannot come before the application was lodged."))
    unknown = set(present) - set(Presence.values)
    if unknown or Presence.APPLICANT not in present:
        raise NotAllowed(
            _(
                "The applicant must be present; an interview the applicant missed is recorded as "
                "missed."
            )
        )
    if not account.strip():
        raise NotAllowed(_("Write down the account the applicant gave."))
    if not confirmed and not corrections.strip():
        raise NotAllowed(
            _("The applicant did not confirm the record: write down the corrections asked for.")
        )
    taking.claim(expected_version, interview)
    taking.claim(application.version)
    interview.status = InterviewStatus.HELD
    interview.started_at, interview.ended_at, interview.held_on = started_at, ended_at, held_on
    interview.present = sorted(set(present))
    interview.account = account.strip()
    interview.read_back = read_back
    interview.confirmed = confirmed
    interview.corrections = corrections.strip()
    interview.recorded_by = actor
    interview.recorded_at = timezone.now()
    interview.save()
    interview_held(
        taking,
        held_on=held_on,
        obj=interview,
        details={
            "interview_on": held_on.isoformat(),
            "minutes": int((ended_at - started_at).total_seconds() // 60),
            "present": interview.present,
            "read_back": read_back,
            "confirmed": confirmed,
            "corrections": bool(interview.corrections),
        },
    )
    return interview


@transaction.atomic
def interview_record_missed(
    *, actor: User, interview: Interview, expected_version: int
) -> Interview:
    """The applicant did not come: the profile may start a period to make contact."""
    require(actor, Action.RECORD_INTERVIEW)
    _may_record(actor, interview)
    if interview.status != InterviewStatus.SCHEDULED:
        raise NotAllowed(_("Only a scheduled interview can be missed."))
    if interview.starts_at > timezone.now():  # type: ignore[operator]
        raise NotAllowed(_("The interview has not begun yet."))
    claim_version(interview, expected_version)
    interview.status = InterviewStatus.MISSED
    interview.recorded_by = actor
    interview.recorded_at = timezone.now()
    interview.save(update_fields=["status", "recorded_by", "recorded_at", "version"])
    application = interview.application
    missed_on = timezone.localtime(interview.starts_at).date()
    deadlines = deadlines_on_event(application, "interview_missed", missed_on)
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.INTERVIEW_MISSED,
        obj=interview,
        details={
            "person": application.person_id,
            "missed_on": missed_on.isoformat(),
            "deadlines": {d.rule: d.due_on.isoformat() for d in deadlines},
        },
    )
    return interview


@transaction.atomic
def interview_cancel(
    *, actor: User, interview: Interview, expected_version: int, reason: str
) -> Interview:
    require(actor, Action.SCHEDULE_INTERVIEW)
    if interview.status != InterviewStatus.SCHEDULED:
        raise NotAllowed(_("Only a scheduled interview can be cancelled."))
    if not reason.strip():
        raise NotAllowed(_("Say why the interview is cancelled."))
    claim_version(interview, expected_version)
    interview.status = InterviewStatus.CANCELLED
    interview.save(update_fields=["status", "version"])
    case_event_record(
        case=interview.application.case,
        actor=actor,
        verb=Verb.INTERVIEW_CANCELLED,
        obj=interview,
        details={"person": interview.application.person_id, "reason": reason.strip()},
    )
    return interview
