"""The procedure engine over the REST API (mounted at /api/procedures): the same services
and the same scoped querysets as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.api.schemas import DecisionOut, ErrorOut
from nansen.api.types import IsoDate
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.downloads import content_disposition
from nansen.core.permissions import NotAllowed, require
from nansen.procedures import profiles, selectors, services
from nansen.procedures.models import Counsellor, Interpreter, Room
from nansen.procedures.removal import removal_state, running_rules
from nansen.procedures.targets import events_from_record, target_date
from nansen.procedures.transitions import steps_available

router = Router(tags=["procedures"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _casework(request) -> None:
    user = request.user
    if not (user.may(Action.VIEW_CASEWORK) or user.may(Action.VIEW_REPRESENTED)):
        raise Http404


def _audit(request, application, action: str) -> None:
    read_record(
        user=request.user,
        channel=Channel.API,
        action=action,
        object_type="application",
        object_ids=[application.pk],
        case_id=application.case_id,
        person_ids=[application.person_id],
        request=request,
    )


# --- schemas -------------------------------------------------------------------------------


class ProfileCitationOut(Schema):
    source: str
    pinpoint: str
    text: str
    in_force_from: IsoDate | None
    in_force_until: IsoDate | None
    verified: bool


class RuleOut(Schema):
    id: str
    label: str
    starts: str
    period: str
    counting: str
    party: str
    sources: list[str]
    citations: list[ProfileCitationOut]
    in_force_from: IsoDate | None
    in_force_until: IsoDate | None


class StepOut(Schema):
    id: str
    from_stages: list[str]
    targets: dict[str, str]
    roles: list[str]
    cited: list[str]
    citations: list[ProfileCitationOut]
    in_force_from: IsoDate | None
    in_force_until: IsoDate | None


class DecisionFormOut(Schema):
    id: str
    outcome: str
    label: str
    citations: list[ProfileCitationOut]
    in_force_from: IsoDate | None
    in_force_until: IsoDate | None


class ProcedureProfileOut(Schema):
    id: str
    name: str
    jurisdiction: str
    documentation: str
    on: IsoDate | None = Field(None, description="The day the profile is shown as in force")
    stages: list[str]
    modes: list[str]
    steps: list[StepOut]
    rules: list[RuleOut]
    decision_forms: list[DecisionFormOut]


def _citations_out(citations) -> list[dict]:
    return [
        {
            "source": c.source.id,
            "pinpoint": c.pinpoint,
            "text": c.text,
            "in_force_from": c.in_force_from,
            "in_force_until": c.in_force_until,
            "verified": c.verified,
        }
        for c in citations
    ]


def _dates(item) -> dict:
    return {"in_force_from": item.in_force_from, "in_force_until": item.in_force_until}


def _profile_out(profile, on: date | None = None) -> dict:
    if on is not None:
        profile = profile.on(on)
    return {
        "id": profile.id,
        "name": str(profile.name),
        "jurisdiction": profile.jurisdiction,
        "documentation": profile.documentation,
        "on": on,
        "stages": list(profile.stages),
        "modes": list(profile.modes),
        "steps": [
            {
                "id": s.id,
                "from_stages": sorted(s.sources),
                "targets": s.targets,
                "roles": sorted(s.roles),
                "cited": [str(c) for c in s.citations],
                "citations": _citations_out(s.citations),
                **_dates(s),
            }
            for s in profile.steps.values()
        ],
        "rules": [
            {
                "id": r.id,
                "label": str(r.label),
                "starts": r.starts,
                "period": str(r.period),
                "counting": r.counting.id,
                "party": r.party,
                "sources": [str(c) for c in r.citations],
                "citations": _citations_out(r.citations),
                **_dates(r),
            }
            for r in profile.deadlines.values()
        ],
        "decision_forms": [
            {
                "id": f.id,
                "outcome": f.outcome,
                "label": str(f.label),
                "citations": _citations_out(f.citations),
                **_dates(f),
            }
            for f in profile.forms.values()
        ],
    }


class ComputationOut(Schema):
    profile: str
    rule: str
    event_on: IsoDate
    last_day: IsoDate
    steps: list[str]


class DeadlineOut(Schema):
    id: int
    application_id: int
    rule: str
    label: str
    party: str
    event: str
    event_on: IsoDate
    due_on: IsoDate
    status: str


class InterviewOut(Schema):
    id: int
    version: int
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    interviewer: str | None
    interpreter: str | None
    language: str
    room: str | None
    remote: bool
    same_sex_requested: bool
    same_sex_unmet_reason: str
    held_on: IsoDate | None
    started_at: datetime | None
    ended_at: datetime | None
    present: list[str]
    read_back: bool
    confirmed: bool | None
    account: str | None = Field(None, description="Only for roles that may see sensitive data")
    corrections: str | None = None

    @staticmethod
    def resolve_interviewer(obj) -> str | None:
        return obj.interviewer.username if obj.interviewer_id else None

    @staticmethod
    def resolve_interpreter(obj) -> str | None:
        return obj.interpreter.name if obj.interpreter_id else None

    @staticmethod
    def resolve_room(obj) -> str | None:
        return obj.room.name if obj.room_id else None

    @staticmethod
    def resolve_account(obj, context) -> str | None:
        request = (context or {}).get("request")
        return obj.account if request and request.user.may(Action.VIEW_SENSITIVE) else None

    @staticmethod
    def resolve_corrections(obj, context) -> str | None:
        request = (context or {}).get("request")
        return obj.corrections if request and request.user.may(Action.VIEW_SENSITIVE) else None


class OpinionOut(Schema):
    counsellor_id: int
    counsellor: str
    finding: str
    summary: str
    given_on: IsoDate

    @staticmethod
    def resolve_counsellor(obj) -> str:
        return obj.counsellor.name


class DesignationOut(Schema):
    id: int
    counsellor_id: int
    counsellor: str
    designated_on: IsoDate

    @staticmethod
    def resolve_counsellor(obj) -> str:
        return obj.counsellor.name


class CourtHearingOut(Schema):
    id: int
    held_on: IsoDate
    note: str | None = Field(None, description="Only for roles that may see sensitive data")

    @staticmethod
    def resolve_note(obj, context) -> str | None:
        request = (context or {}).get("request")
        return obj.note if request and request.user.may(Action.VIEW_SENSITIVE) else None


class AppealOut(Schema):
    id: int
    version: int
    instance: str
    decision_id: int
    lodged_on: IsoDate = Field(description="The day it was received")
    lodging_method: str = Field(description="in_person, post or electronic")
    posted_on: IsoDate | None = Field(description="Sent by post: the postmark")
    due_on: IsoDate | None
    late_until: IsoDate | None
    in_time: bool
    late_justification: str
    grounds: str | None = Field(None, description="Only for roles that may see sensitive data")
    assigned_to: str | None
    hearing_waived: bool
    hearing_on: IsoDate | None
    hearing_refused_on: IsoDate | None
    hearing_refused_reason: str | None = Field(
        None, description="Only for roles that may see sensitive data"
    )
    outcome: str = Field(
        description="'' while pending; upheld, overturned, remitted, inadmissible or withdrawn"
    )
    decided_on: IsoDate | None = Field(description="The ruling's date, or the withdrawal's")
    new_decision_id: int | None
    designations: list[DesignationOut]
    opinions: list[OpinionOut]
    court_level: str = Field(description="Judicial proceedings: district, high or supreme")
    court: str
    court_case_number: str
    appellant: str = Field(description="applicant, or state (appealing a revocation)")
    served_on: IsoDate | None = Field(description="The day the judgment was served")
    stay_applied_on: IsoDate | None
    stay_outcome: str = Field(description="Stay of execution: '', granted or refused")
    stay_decided_on: IsoDate | None
    stay_court: str
    court_hearings: list[CourtHearingOut]

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return obj.assigned_to.username if obj.assigned_to_id else None

    @staticmethod
    def resolve_grounds(obj, context) -> str | None:
        request = (context or {}).get("request")
        return obj.grounds if request and request.user.may(Action.VIEW_SENSITIVE) else None

    @staticmethod
    def resolve_hearing_refused_reason(obj, context) -> str | None:
        request = (context or {}).get("request")
        sensitive = request and request.user.may(Action.VIEW_SENSITIVE)
        return obj.hearing_refused_reason if sensitive else None

    @staticmethod
    def resolve_designations(obj) -> list:
        return list(obj.designations.select_related("counsellor"))

    @staticmethod
    def resolve_opinions(obj) -> list:
        return list(obj.opinions.select_related("counsellor"))

    @staticmethod
    def resolve_court_hearings(obj) -> list:
        return list(obj.court_hearings.all())


class LetterOut(Schema):
    id: int
    decision_id: int
    language: str
    addressee_kind: str
    notification_on: IsoDate
    rule: str
    last_day: IsoDate | None
    late_last_day: IsoDate | None
    sha256: str
    issued_at: datetime
    notified_on: IsoDate | None


class RemovalOut(Schema):
    status: str = Field(description="suspended, not_suspended or stayed (by the court)")
    suspended: bool
    explanation: str
    exception: str
    stay_pending: bool
    cited: list[str]


class ProcedureOut(Schema):
    application_id: int
    version: int
    profile: str
    processing_mode: str
    stage: str
    stage_label: str
    suspends_removal: bool | None
    removal_exception: str
    removal: RemovalOut | None = Field(
        None, description="Whether removal is suspended today, and why (profiles with such a rule)"
    )
    steps_available: list[str]
    target_on: IsoDate | None = Field(
        None,
        description="The day the office aims to take the decision awaited by, under the "
        "processing mode's target (none when no decision is awaited or the mode sets none)",
    )
    past_target: bool = False
    deadlines: list[DeadlineOut]
    interviews: list[InterviewOut]
    decisions: list[DecisionOut]
    appeals: list[AppealOut]
    letters: list[LetterOut]


class AwaitingOut(Schema):
    application_id: int
    case_number: str
    processing_mode: str
    stage: str
    decision_awaited: str = Field(description="decide (first instance) or decide_appeal")
    priority: int = Field(description="1 first: the tier of the applicant's specific needs")
    target_on: IsoDate | None
    past_target: bool
    days_past_target: int


class WorkOut(Schema):
    today: IsoDate
    overdue: list[DeadlineOut]
    due_soon: list[DeadlineOut]
    interviews: list[InterviewOut]
    appeals: list[AppealOut]
    awaiting_decision: list[AwaitingOut] = Field(
        description="Applications awaiting the user's decision, in order of priority"
    )
    awaiting_count: int
    past_target_count: int


class ScheduleIn(Schema):
    starts_at: datetime
    ends_at: datetime
    interviewer: str = Field(description="User name of the interviewer")
    language: str = Field("", max_length=3)
    interpreter_id: int | None = None
    room_id: int | None = None
    remote: StrictBool = False
    same_sex_requested: StrictBool = False
    same_sex_unmet_reason: str = Field("", max_length=2000)


class InterviewRecordIn(Schema):
    version: int
    started_at: datetime
    ended_at: datetime
    present: list[str] = Field(max_length=10)
    account: str = Field(max_length=200000)
    read_back: StrictBool
    confirmed: StrictBool
    corrections: str = Field("", max_length=50000)


class VersionIn(Schema):
    version: int


class CancelIn(VersionIn):
    reason: str = Field(max_length=2000)


class ModeIn(VersionIn):
    mode: str = Field(max_length=20)
    reason: str = Field(max_length=2000)


class ContactIn(Schema):
    contacted_on: IsoDate
    note: str = Field("", max_length=2000)


class GroundsIn(VersionIn):
    note: str = Field(max_length=5000)


class RemovalExceptionIn(VersionIn):
    exception: str = Field(max_length=60, description="The ground's id; empty to withdraw it")
    reasons: str = Field(max_length=5000)


class ReopenIn(VersionIn):
    ground: str = Field(max_length=40)
    reopened_on: IsoDate
    note: str = Field("", max_length=5000)


class AppealIn(VersionIn):
    lodged_on: IsoDate
    grounds: str = Field(max_length=50000)
    late_justification: str = Field("", max_length=5000)
    instance: str = Field("appeal", pattern="^(appeal|judicial)$")
    lodging_method: str = Field("in_person", pattern="^(in_person|post|electronic)$")
    posted_on: IsoDate | None = Field(None, description="Sent by post: the postmark")


class AssignIn(VersionIn):
    officer: str = Field(description="User name of the appeals officer")


class OpinionIn(Schema):
    counsellor_id: int = Field(description="A counsellor designated for the request")
    finding: str = Field(pattern="^(grounds|no_grounds)$")
    summary: str = Field(max_length=20000)
    given_on: IsoDate


class HearingIn(VersionIn):
    held_on: IsoDate | None = None
    waived: StrictBool = False


class AppealDecisionIn(VersionIn):
    outcome: str = Field(pattern="^(upheld|overturned|remitted|inadmissible)$")
    new_outcome: str = Field("", pattern="^(|recognized|complementary)$")
    decided_on: IsoDate
    reasons: str = Field(max_length=50000)


class CourtLodgeIn(VersionIn):
    level: str = Field(pattern="^(district|high|supreme)$")
    lodged_on: IsoDate
    grounds: str = Field(max_length=50000)
    court: str = Field("", max_length=200)
    case_number: str = Field("", max_length=100)
    late_justification: str = Field("", max_length=5000)


class CourtDetailsIn(VersionIn):
    court: str = Field(max_length=200)
    case_number: str = Field("", max_length=100)


class CourtHearingIn(Schema):
    held_on: IsoDate
    note: str = Field("", max_length=5000)


class JudgmentIn(VersionIn):
    outcome: str = Field(
        pattern="^(upheld|remitted)$",
        description="upheld: the refusal stands; remitted: revoked, the Minister decides again",
    )
    decided_on: IsoDate
    reasons: str = Field(max_length=50000)
    served_on: IsoDate | None = None


class JudgmentServiceIn(VersionIn):
    served_on: IsoDate


class StayIn(VersionIn):
    applied_on: IsoDate


class StayDecisionIn(VersionIn):
    outcome: str = Field(pattern="^(granted|refused)$")
    decided_on: IsoDate
    court: str = Field("", max_length=200)


class LetterIn(Schema):
    language: str = Field(pattern="^(en|ja|ar)$")
    notification_on: IsoDate | None = None
    addressee_kind: str = Field("applicant", pattern="^(applicant|representative|authority)$")
    addressee_country: str = Field("", max_length=3)


class NotifyIn(Schema):
    notified_on: IsoDate


# --- reading -------------------------------------------------------------------------------


@router.get("/profiles", response=list[ProcedureProfileOut], auth=None)
def list_profiles(request, on: IsoDate | None = None):
    """The procedure profiles, their stages, steps, kinds of decision and deadline rules with
    their sources; with ``on``, only what was in force that day, citing the articles as
    numbered that day."""
    return [_profile_out(p, on) for p in profiles.profiles().values()]


@router.get("/deadline", response={200: ComputationOut, 404: ErrorOut}, auth=None)
def compute_deadline(request, profile: str, rule: str, date: IsoDate):
    """The last day of a period after an event on ``date``, as the engine counts it."""
    try:
        procedure = profiles.get(profile)
    except profiles.ProfileError:
        raise Http404 from None
    if rule not in procedure.deadlines:
        raise Http404
    computation = procedure.last_day(rule, date)
    return {
        "profile": procedure.id,
        "rule": rule,
        "event_on": date,
        "last_day": computation.last_day,
        "steps": computation.steps,
    }


def _deadline_out(deadline) -> dict:
    return {
        "id": deadline.pk,
        "application_id": deadline.application_id,
        "rule": deadline.rule,
        "label": deadline.label,
        "party": deadline.party,
        "event": deadline.event,
        "event_on": deadline.event_on,
        "due_on": deadline.due_on,
        "status": deadline.status,
    }


@router.get("/work", response={200: WorkOut, 404: ErrorOut})
def my_work(request, past_target: bool = False):
    """My work: deadlines passed and due soon, interviews to hold, appeals to decide, and the
    applications awaiting my decision in order of priority (only those past their target
    with ``past_target=true``)."""
    _casework(request)
    queue = selectors.work_queue(
        user=request.user, today=timezone.localdate(), past_target_only=past_target
    )
    # As the work page records it: every application the queue names.
    applications = (
        {d.application for d in (*queue.overdue, *queue.due_soon)}
        | {i.application for i in queue.interviews}
        | {a.application for a in queue.appeals}
        | {a.application for a in queue.awaiting}
    )
    read_record(
        user=request.user,
        channel=Channel.API,
        action="work_queue_view",
        object_type="application",
        object_ids=sorted(a.pk for a in applications),
        person_ids=sorted({a.person_id for a in applications}),
        request=request,
    )
    return {
        "today": queue.today,
        "overdue": [_deadline_out(d) for d in queue.overdue],
        "due_soon": [_deadline_out(d) for d in queue.due_soon],
        "interviews": queue.interviews,
        "appeals": queue.appeals,
        "awaiting_decision": [
            {
                "application_id": a.application.pk,
                "case_number": a.application.case.number,
                "processing_mode": a.application.processing_mode,
                "stage": a.application.stage,
                "decision_awaited": a.step,
                "priority": a.priority,
                "target_on": a.target.target_on if a.target else None,
                "past_target": bool(a.target and a.target.past),
                "days_past_target": a.target.days_past if a.target else 0,
            }
            for a in queue.awaiting
        ],
        "awaiting_count": queue.awaiting_count,
        "past_target_count": queue.past_target_count,
    }


def _procedure(request, application) -> dict:
    record = selectors.application_record(application)
    today = timezone.localdate()
    letters = [letter for d in record["decisions"] for letter in d.letters.all()]
    target = target_date(application, events_from_record(record), today=today)
    removal = removal_state(
        application, today, open_rules=running_rules(record["deadlines"], today)
    )
    return {
        "application_id": application.pk,
        "version": application.version,
        "profile": application.profile,
        "processing_mode": application.processing_mode,
        "stage": application.stage,
        "stage_label": application.get_stage_display(),
        "suspends_removal": application.suspends_removal,
        "removal_exception": application.removal_exception,
        "removal": removal.as_dict() if removal else None,
        "steps_available": steps_available(application, request.user),
        "target_on": target.target_on if target else None,
        "past_target": bool(target and target.past),
        "deadlines": [_deadline_out(d) for d in record["deadlines"]],
        "interviews": record["interviews"],
        "decisions": record["decisions"],
        "appeals": record["appeals"],
        "letters": letters,
    }


@router.get("/applications/{int:application_id}", response={200: ProcedureOut, 404: ErrorOut})
def get_procedure(request, application_id: int):
    """The procedure of one application: stage, steps open to the user, due dates,
    interviews, decisions, appeals and letters."""
    _casework(request)
    application = selectors.application_get(user=request.user, pk=application_id)
    sensitive = request.user.may(Action.VIEW_SENSITIVE)
    _audit(request, application, "application_view_sensitive" if sensitive else "application_view")
    return _procedure(request, application)


def _after(request, application) -> dict:
    application.refresh_from_db()
    return _procedure(request, application)


# --- writing -------------------------------------------------------------------------------


def designated_counsellor(appeal, counsellor_id: int):
    """A counsellor of the request's office, named in a request body (refused, not 404, when
    there is none: the body names it, not the address)."""
    counsellor = Counsellor.objects.filter(
        pk=counsellor_id, office_id=appeal.application.office_id
    ).first()
    if counsellor is None:
        raise NotAllowed(_("There is no such counsellor on the register of this office."))
    return counsellor


def _user(request, username: str) -> User:
    user = User.objects.filter(username=username, office_id=request.user.office_id).first()
    if user is None:
        raise Http404
    return user


@router.post(
    "/applications/{int:application_id}/interviews", response={201: InterviewOut, **ERRORS}
)
def schedule_interview(request, application_id: int, payload: ScheduleIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    interpreter = room = None
    if payload.interpreter_id is not None:
        interpreter = Interpreter.objects.filter(
            pk=payload.interpreter_id, office_id=application.office_id
        ).first()
        if interpreter is None:
            raise Http404
    if payload.room_id is not None:
        room = Room.objects.filter(pk=payload.room_id, office_id=application.office_id).first()
        if room is None:
            raise Http404
    interview = services.interview_schedule(
        actor=request.user,
        application=application,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        interviewer=_user(request, payload.interviewer),
        language=payload.language,
        interpreter=interpreter,
        room=room,
        remote=payload.remote,
        same_sex_requested=payload.same_sex_requested,
        same_sex_unmet_reason=payload.same_sex_unmet_reason,
    )
    return Status(201, interview)


@router.post("/interviews/{int:interview_id}/record", response={200: InterviewOut, **ERRORS})
def record_interview(request, interview_id: int, payload: InterviewRecordIn):
    interview = selectors.interview_get(user=request.user, pk=interview_id)
    return services.interview_record(
        actor=request.user,
        interview=interview,
        expected_version=payload.version,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        present=payload.present,
        account=payload.account,
        read_back=payload.read_back,
        confirmed=payload.confirmed,
        corrections=payload.corrections,
    )


@router.post("/interviews/{int:interview_id}/missed", response={200: InterviewOut, **ERRORS})
def interview_missed(request, interview_id: int, payload: VersionIn):
    interview = selectors.interview_get(user=request.user, pk=interview_id)
    return services.interview_record_missed(
        actor=request.user, interview=interview, expected_version=payload.version
    )


@router.post("/interviews/{int:interview_id}/cancel", response={200: InterviewOut, **ERRORS})
def interview_cancel(request, interview_id: int, payload: CancelIn):
    interview = selectors.interview_get(user=request.user, pk=interview_id)
    return services.interview_cancel(
        actor=request.user,
        interview=interview,
        expected_version=payload.version,
        reason=payload.reason,
    )


@router.post("/applications/{int:application_id}/mode", response={200: ProcedureOut, **ERRORS})
def set_mode(request, application_id: int, payload: ModeIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    services.application_mode_set(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        mode=payload.mode,
        reason=payload.reason,
    )
    return _after(request, application)


@router.post("/applications/{int:application_id}/contact", response={200: ProcedureOut, **ERRORS})
def record_contact(request, application_id: int, payload: ContactIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    services.application_contact_record(
        actor=request.user,
        application=application,
        contacted_on=payload.contacted_on,
        note=payload.note,
    )
    return _after(request, application)


@router.post(
    "/applications/{int:application_id}/reasonable-grounds",
    response={200: ProcedureOut, **ERRORS},
)
def record_reasonable_grounds(request, application_id: int, payload: GroundsIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    services.application_reasonable_grounds_record(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        note=payload.note,
    )
    return _after(request, application)


@router.post(
    "/applications/{int:application_id}/removal-exception",
    response={200: ProcedureOut, **ERRORS},
)
def record_removal_exception(request, application_id: int, payload: RemovalExceptionIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    services.application_removal_exception_record(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        exception=payload.exception,
        reasons=payload.reasons,
    )
    return _after(request, application)


@router.post("/applications/{int:application_id}/reopen", response={200: ProcedureOut, **ERRORS})
def reopen(request, application_id: int, payload: ReopenIn):
    application = selectors.application_get(user=request.user, pk=application_id)
    services.application_reopen(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        ground=payload.ground,
        reopened_on=payload.reopened_on,
        note=payload.note,
    )
    return _after(request, application)


@router.post("/applications/{int:application_id}/appeals", response={201: AppealOut, **ERRORS})
def lodge_appeal(request, application_id: int, payload: AppealIn):
    """Lodge an appeal or request for review, or record a court action (instance judicial)."""
    application = selectors.application_get(user=request.user, pk=application_id)
    appeal = services.appeal_lodge(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        lodged_on=payload.lodged_on,
        grounds=payload.grounds,
        late_justification=payload.late_justification,
        instance=payload.instance,
        lodging_method=payload.lodging_method,
        posted_on=payload.posted_on,
    )
    return Status(201, appeal)


@router.post("/appeals/{int:appeal_id}/assign", response={200: AppealOut, **ERRORS})
def assign_appeal(request, appeal_id: int, payload: AssignIn):
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.appeal_assign(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        officer=_user(request, payload.officer),
    )


@router.post("/appeals/{int:appeal_id}/opinions", response={201: AppealOut, **ERRORS})
def record_opinion(request, appeal_id: int, payload: OpinionIn):
    require(request.user, Action.DECIDE_APPEAL)
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    services.counsellor_opinion_record(
        actor=request.user,
        appeal=appeal,
        counsellor=designated_counsellor(appeal, payload.counsellor_id),
        finding=payload.finding,
        summary=payload.summary,
        given_on=payload.given_on,
    )
    appeal.refresh_from_db()
    return Status(201, appeal)


@router.post("/appeals/{int:appeal_id}/hearing", response={200: AppealOut, **ERRORS})
def record_hearing(request, appeal_id: int, payload: HearingIn):
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.appeal_hearing_record(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        held_on=payload.held_on,
        waived=payload.waived,
    )


@router.post("/appeals/{int:appeal_id}/decision", response={200: AppealOut, **ERRORS})
def decide_appeal(request, appeal_id: int, payload: AppealDecisionIn):
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.appeal_decide(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        outcome=payload.outcome,
        new_outcome=payload.new_outcome,
        decided_on=payload.decided_on,
        reasons=payload.reasons,
    )


@router.post(
    "/applications/{int:application_id}/court-proceedings", response={201: AppealOut, **ERRORS}
)
def lodge_court_proceeding(request, application_id: int, payload: CourtLodgeIn):
    """Record a court proceeding: the action before the District Court, or an appeal against
    the judgment of the level below (by the applicant, or by the State against a
    revocation). In time or late as the profile counts it from the notification or the
    service of the judgment."""
    application = selectors.application_get(user=request.user, pk=application_id)
    appeal = services.court_proceeding_lodge(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        level=payload.level,
        lodged_on=payload.lodged_on,
        grounds=payload.grounds,
        court=payload.court,
        case_number=payload.case_number,
        late_justification=payload.late_justification,
    )
    return Status(201, appeal)


@router.post("/appeals/{int:appeal_id}/court", response={200: AppealOut, **ERRORS})
def update_court_proceeding(request, appeal_id: int, payload: CourtDetailsIn):
    """Record the court and the court's case number of a court proceeding."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.court_proceeding_update(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        court=payload.court,
        case_number=payload.case_number,
    )


@router.post("/appeals/{int:appeal_id}/court-hearings", response={201: AppealOut, **ERRORS})
def record_court_hearing(request, appeal_id: int, payload: CourtHearingIn):
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    services.court_hearing_record(
        actor=request.user, appeal=appeal, held_on=payload.held_on, note=payload.note
    )
    appeal.refresh_from_db()
    return Status(201, appeal)


@router.post("/appeals/{int:appeal_id}/judgment", response={200: AppealOut, **ERRORS})
def record_judgment(request, appeal_id: int, payload: JudgmentIn):
    """Record the court's judgment, and the day it was served if known."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.court_judgment_record(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        reasons=payload.reasons,
        served_on=payload.served_on,
    )


@router.post(
    "/appeals/{int:appeal_id}/judgment-service", response={200: list[DeadlineOut], **ERRORS}
)
def record_judgment_service(request, appeal_id: int, payload: JudgmentServiceIn):
    """Record the day the judgment was served: the deadlines it opens to appeal it."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    deadlines = services.court_judgment_service_record(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        served_on=payload.served_on,
    )
    return [_deadline_out(d) for d in deadlines]


@router.post("/appeals/{int:appeal_id}/stay", response={200: AppealOut, **ERRORS})
def apply_for_stay(request, appeal_id: int, payload: StayIn):
    """Record that a stay of execution was applied for in a court proceeding."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.court_stay_apply(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        applied_on=payload.applied_on,
    )


@router.post("/appeals/{int:appeal_id}/stay-decision", response={200: AppealOut, **ERRORS})
def decide_stay(request, appeal_id: int, payload: StayDecisionIn):
    """Record the court's decision on the stay of execution: granted or refused."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.court_stay_decide(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        court=payload.court,
    )


@router.post("/decisions/{int:decision_id}/letters", response={201: LetterOut, **ERRORS})
def issue_letter(request, decision_id: int, payload: LetterIn):
    """Issue the decision letter (PDF, stored with its SHA-256 hash)."""
    decision = selectors.decision_get(user=request.user, pk=decision_id)
    letter = services.letter_issue(actor=request.user, decision=decision, **payload.dict())
    return Status(201, letter)


@router.post("/decisions/{int:decision_id}/notify", response={200: list[DeadlineOut], **ERRORS})
def notify_decision(request, decision_id: int, payload: NotifyIn):
    """Record the notification of a decision whose letter was made outside Nansen."""
    decision = selectors.decision_get(user=request.user, pk=decision_id)
    deadlines = services.decision_notify(
        actor=request.user, decision=decision, notified_on=payload.notified_on
    )
    return [_deadline_out(d) for d in deadlines]


@router.post("/letters/{int:letter_id}/notify", response={200: LetterOut, **ERRORS})
def notify_letter(request, letter_id: int, payload: NotifyIn):
    """Record that the letter was notified: it starts the periods it states."""
    letter = selectors.letter_get(user=request.user, pk=letter_id)
    return services.letter_notify(
        actor=request.user, letter=letter, notified_on=payload.notified_on
    )


@router.get("/letters/{int:letter_id}/pdf", response={404: ErrorOut})
def letter_pdf(request, letter_id: int):
    """The letter as issued (application/pdf); its SHA-256 is in X-Content-SHA256."""
    _casework(request)
    letter = selectors.letter_get(user=request.user, pk=letter_id)
    _audit(request, letter.decision.application, "letter_view")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename)
    response["X-Content-SHA256"] = letter.sha256
    return response
