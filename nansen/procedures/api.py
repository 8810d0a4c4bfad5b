"""The procedure engine over the REST API: the engine's own operations (mounted at
/api/procedures), and the applications of a case (/api/cases/{id}/applications and
/api/applications); the same services and the same scoped querysets as the pages."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut, VersionIn
from nansen.api.types import IsoDate
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.downloads import content_disposition
from nansen.core.permissions import NotAllowed, require
from nansen.procedures import profiles, selectors, services
from nansen.procedures.models import Counsellor, Interpreter, Room
from nansen.procedures.removal import removal_state, running_rules
from nansen.procedures.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    ApplicationOut,
    AssignIn,
    CancelIn,
    ComputationOut,
    ContactIn,
    CourtDetailsIn,
    CourtHearingIn,
    CourtLodgeIn,
    DeadlineOut,
    DecisionIn,
    DecisionOut,
    GroundsIn,
    HearingIn,
    InterviewIn,
    InterviewOut,
    InterviewRecordIn,
    JudgmentIn,
    JudgmentServiceIn,
    LetterIn,
    LetterOut,
    LodgeIn,
    ModeIn,
    NotifyIn,
    OpinionIn,
    ProcedureOut,
    ProcedureProfileOut,
    RemovalExceptionIn,
    ReopenIn,
    ScheduleIn,
    StayDecisionIn,
    StayIn,
    WorkOut,
)
from nansen.procedures.targets import events_from_record, target_date
from nansen.procedures.transitions import steps_available
from nansen.registration.selectors import case_get

router = Router(tags=["procedures"])
# Lodging applications for members of a case (mounted at /api/cases).
case_applications = Router(tags=["cases"])
# One person's application and its first-instance steps (mounted at /api/applications).
applications = Router(tags=["applications"])


def _casework(request) -> None:
    user = request.user
    if not (user.may(Action.VIEW_CASEWORK) or user.may(Action.VIEW_REPRESENTED)):
        raise Http404


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
    sensitive = request.user.may(Action.VIEW_SENSITIVE)
    application = selectors.application_get(
        user=request.user,
        pk=application_id,
        read="application_view_sensitive" if sensitive else "application_view",
        request=request,
    )
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
    letter = selectors.letter_get(
        user=request.user, pk=letter_id, read="letter_view", request=request
    )
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename)
    response["X-Content-SHA256"] = letter.sha256
    return response


# --- applications --------------------------------------------------------------------------


@case_applications.post(
    "/{int:case_id}/applications", response={201: list[ApplicationOut], **ERRORS}
)
def lodge_applications(request, case_id: int, payload: LodgeIn):
    """Lodge applications for the chosen members of the case."""
    case = case_get(user=request.user, pk=case_id)
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    chosen = [members.get(pk) for pk in payload.person_ids]
    if None in chosen:
        raise NotAllowed("Applications can only be lodged for members of this case.")
    created = services.application_lodge(
        actor=request.user,
        case=case,
        persons=chosen,
        lodged_on=payload.lodged_on,
        ordinals=payload.ordinals,
    )
    return Status(201, created)


@applications.get("/{int:application_id}", response={200: ApplicationOut, 404: ErrorOut})
def get_application(request, application_id: int):
    _casework(request)
    return selectors.application_get(
        user=request.user, pk=application_id, read="application_view", request=request
    )


@applications.post("/{int:application_id}/interview", response={200: ApplicationOut, **ERRORS})
def record_application_interview(request, application_id: int, payload: InterviewIn):
    """Record the day the applicant was interviewed."""
    return services.application_record_interview(
        actor=request.user,
        application=selectors.application_get(user=request.user, pk=application_id),
        expected_version=payload.version,
        interview_on=payload.interview_on,
    )


@applications.post("/{int:application_id}/decision", response={201: DecisionOut, **ERRORS})
def record_decision(request, application_id: int, payload: DecisionIn):
    """Record the first-instance decision on one person's application."""
    decision = services.decision_record(
        actor=request.user,
        application=selectors.application_get(user=request.user, pk=application_id),
        expected_version=payload.version,
        outcome=str(payload.outcome),
        closure_reason=str(payload.closure_reason or ""),
        decided_on=payload.decided_on,
        reasons=payload.reasons,
        form=payload.form,
        without_interview_reason=payload.without_interview_reason,
    )
    return Status(201, decision)
