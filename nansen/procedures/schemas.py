"""The shapes of the procedure API (nansen.procedures.api and nansen.procedures.api_review):
applications, their decisions, interviews, appeals, court proceedings, letters, the
request for review's counsellors, and the profiles."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool

from nansen.accounts.roles import Action
from nansen.api.schemas import VersionIn
from nansen.api.types import IsoDate
from nansen.procedures.models import ClosureReason, Outcome


class DecisionOut(Schema):
    id: int
    instance: str
    outcome: str
    closure_reason: str
    decided_on: IsoDate
    decided_by: str
    reasons: str

    @staticmethod
    def resolve_decided_by(obj) -> str:
        return obj.decided_by.username


class ApplicationOut(Schema):
    id: int
    version: int
    case_id: int
    person_id: int
    profile: str
    lodged_on: IsoDate
    ordinal: int
    interview_on: IsoDate | None
    stage: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())


class LodgeIn(Schema):
    person_ids: list[int] = Field(min_length=1, max_length=30)
    lodged_on: IsoDate
    ordinals: dict[int, int] = Field(
        default_factory=dict, description="Application number per person id, when not counted"
    )


class InterviewIn(Schema):
    version: int
    interview_on: IsoDate


class DecisionIn(Schema):
    version: int
    outcome: Outcome
    closure_reason: ClosureReason | None = None
    decided_on: IsoDate
    reasons: str = Field(min_length=1, max_length=50000)
    form: str = Field("", max_length=40, description="The profile's kind of decision, if any")
    without_interview_reason: str = Field(
        "", max_length=5000, description="Why the applicant was not interviewed, if not"
    )


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


class CounsellorOut(Schema):
    id: int
    version: int
    name: str
    user: str | None = Field(description="User name of the counsellor's account, if any")
    active: bool = Field(description="On the register (may be designated)")

    @staticmethod
    def resolve_user(obj) -> str | None:
        return obj.user.username if obj.user_id else None


class CounsellorIn(Schema):
    name: str = Field(max_length=200)
    user: str | None = Field(None, description="User name of the counsellor's account")


class CounsellorUpdateIn(CounsellorIn):
    version: int
    active: StrictBool = True


class DesignationIn(VersionIn):
    counsellor_id: int
    designated_on: IsoDate


class DesignationCancelIn(VersionIn):
    counsellor_id: int


class HearingRefusalIn(VersionIn):
    refused_on: IsoDate
    reason: str = Field(max_length=5000)


class WithdrawalIn(VersionIn):
    withdrawn_on: IsoDate = Field(description="The day the written withdrawal was received")
    note: str = Field("", max_length=2000)
