"""The resettlement API: pledges (seen by every role), referrals (seen through their case),
the same services and selectors as the pages. Mounted at /api/resettlement."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from nansen.accounts.roles import Action
from nansen.api.schemas import ErrorOut
from nansen.api.types import IsoDate
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import is_country
from nansen.core.weblinks import WebUrl
from nansen.procedures.models import Outcome
from nansen.registration.selectors import case_get
from nansen.resettlement import services
from nansen.resettlement.models import (
    Pledge,
    Priority,
    ProgrammeType,
    ReferralStatus,
    SubmissionCategory,
)
from nansen.resettlement.selectors import (
    fulfilment_by_pledge,
    fulfilment_over_time,
    pledge_get,
    pledge_revisions,
    referral_get,
    referral_list,
    unhcr_context,
)

router = Router(tags=["resettlement"])


ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _countries(codes: list[str]) -> list[str]:
    for code in codes:
        if not is_country(code):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    return codes


class PledgeIn(Schema):
    receiving_country: str = Field(min_length=3, max_length=3)
    programme_type: ProgrammeType
    title: str = Field(min_length=1, max_length=200)
    places: int | None = Field(None, ge=0, description="Persons; null while not announced")
    announced_on: IsoDate
    source_title: str = Field(min_length=1, max_length=300)
    source_url: WebUrl = Field("", max_length=500)
    target_nationalities: list[str] = Field(default_factory=list, max_length=50)
    target_first_asylum: list[str] = Field(default_factory=list, max_length=50)
    target_groups: str = Field("", max_length=5000)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    notes: str = Field("", max_length=20000)
    eligible_outcomes: list[Outcome] | None = Field(
        None, description="Statuses that may be submitted; null: the programme's rule"
    )

    @field_validator("target_nationalities", "target_first_asylum")
    @classmethod
    def _country_lists(cls, codes: list[str]) -> list[str]:
        return _countries(codes)

    def to_input(self) -> services.PledgeInput:
        data = self.model_dump(exclude={"version", "reason"})
        data["programme_type"] = str(self.programme_type)
        if self.eligible_outcomes is not None:
            data["eligible_outcomes"] = [str(o) for o in self.eligible_outcomes]
        return services.PledgeInput(**data)


class PledgeReviseIn(PledgeIn):
    version: int
    reason: str = Field(min_length=1, max_length=2000)


class FulfilmentOut(Schema):
    places: int | None
    identified: int
    submitted: int
    accepted: int
    departed: int
    arrived: int
    rejected: int
    withdrawn: int
    share_fulfilled: float | None = Field(description="Persons arrived ÷ places, in percent")
    share_departed: float | None


class _Terms(Schema):
    receiving_country: str
    programme_type: str
    title: str
    places: int | None
    announced_on: IsoDate
    source_title: str
    source_url: str
    target_nationalities: list[str]
    target_first_asylum: list[str]
    target_groups: str
    period_start: IsoDate | None
    period_end: IsoDate | None
    notes: str
    eligible_outcomes: list[str]


class PledgeOut(_Terms):
    id: int
    version: int
    fulfilment: FulfilmentOut


class RevisionOut(_Terms):
    number: int
    reason: str
    revised_at: datetime


class PeriodOut(Schema):
    label: str
    start: IsoDate
    end: IsoDate
    fulfilment: FulfilmentOut


class ContextRowOut(Schema):
    year: int
    unhcr_arrivals: int | None = Field(description="UNHCR resettlement arrivals; null: none")
    arrived_here: int


class PledgeFulfilmentOut(Schema):
    fulfilment: FulfilmentOut
    periods: list[PeriodOut]
    unhcr_available: bool
    unhcr: list[ContextRowOut]


class ReferralIn(Schema):
    case_id: int
    person_ids: list[int] = Field(min_length=1, max_length=50)
    identified_on: IsoDate
    pledge_id: int | None = None
    programme_type: ProgrammeType | None = None
    receiving_country: str = Field("", max_length=3)
    categories: list[SubmissionCategory] = Field(default_factory=list)
    priority: Priority = Priority.NORMAL
    profile: dict = Field(default_factory=dict)
    notes: str = Field("", max_length=20000)


class ReferralUpdateIn(Schema):
    version: int
    categories: list[SubmissionCategory] = Field(default_factory=list)
    priority: Priority = Priority.NORMAL
    profile: dict = Field(default_factory=dict)
    notes: str = Field("", max_length=20000)


class StepIn(Schema):
    version: int
    on: IsoDate
    reason: str = Field("", description="For reject and withdraw: the reason's code")
    reason_details: str = Field("", max_length=2000)


class ReferralOut(Schema):
    id: int
    version: int
    case_id: int
    case_number: str = Field(alias="case.number")
    office: str = Field(alias="office.code")
    person_ids: list[int]
    pledge_id: int | None
    programme_type: str
    receiving_country: str
    categories: list[str]
    priority: str
    profile: dict
    status: ReferralStatus
    status_on: IsoDate
    identified_on: IsoDate
    submitted_on: IsoDate | None
    accepted_on: IsoDate | None
    rejected_on: IsoDate | None
    withdrawn_on: IsoDate | None
    departed_on: IsoDate | None
    arrived_on: IsoDate | None
    rejection_reason: str
    withdrawal_reason: str
    reason_details: str
    notes: str

    @staticmethod
    def resolve_person_ids(referral) -> list[int]:
        return [m.person_id for m in referral.members.all()]


class ReferralPageOut(Schema):
    count: int
    items: list[ReferralOut]


def _read(request, action: str, referrals, case_id: int | None = None) -> None:
    read_record(
        user=request.user,
        request=request,
        channel=Channel.API,
        action=action,
        object_type="referral",
        object_ids=[r.pk for r in referrals],
        case_id=case_id,
    )


def _with_fulfilment(pledges: list[Pledge]) -> list[Pledge]:
    found = fulfilment_by_pledge(pledges)
    for pledge in pledges:
        pledge.fulfilment = found[pledge.pk]
    return pledges


@router.get("/pledges", response={200: list[PledgeOut], 404: ErrorOut})
def list_pledges(request):
    """Every pledge, with its fulfilment in persons (not personal data: every role sees it)."""
    require(request.user, Action.VIEW_PLEDGES)
    return _with_fulfilment(list(Pledge.objects.all()))


@router.post("/pledges", response={201: PledgeOut, **ERRORS})
def record_pledge(request, payload: PledgeIn):
    pledge = services.pledge_record(actor=request.user, data=payload.to_input())
    return Status(201, _with_fulfilment([pledge])[0])


@router.get("/pledges/{int:pledge_id}", response={200: PledgeOut, 404: ErrorOut})
def get_pledge(request, pledge_id: int):
    require(request.user, Action.VIEW_PLEDGES)
    return _with_fulfilment([pledge_get(pk=pledge_id)])[0]


@router.put("/pledges/{int:pledge_id}", response={200: PledgeOut, **ERRORS})
def revise_pledge(request, pledge_id: int, payload: PledgeReviseIn):
    """Revise a pledge; answers 409 when it changed since ``version``. Every revision is
    kept (see /revisions)."""
    require(request.user, Action.VIEW_PLEDGES)
    pledge = services.pledge_revise(
        actor=request.user,
        pledge=pledge_get(pk=pledge_id),
        expected_version=payload.version,
        data=payload.to_input(),
        reason=payload.reason,
    )
    return _with_fulfilment([pledge])[0]


@router.get("/pledges/{int:pledge_id}/revisions", response={200: list[RevisionOut], 404: ErrorOut})
def list_revisions(request, pledge_id: int):
    require(request.user, Action.VIEW_PLEDGES)
    return pledge_revisions(pledge=pledge_get(pk=pledge_id))


@router.get(
    "/pledges/{int:pledge_id}/fulfilment", response={200: PledgeFulfilmentOut, 404: ErrorOut}
)
def pledge_fulfilment(request, pledge_id: int):
    """Fulfilment in persons, cumulative by quarter (or year), and UNHCR's resettlement
    arrivals in the receiving country from the target nationalities, year by year."""
    require(request.user, Action.VIEW_PLEDGES)
    pledge = pledge_get(pk=pledge_id)
    context, rows = unhcr_context(pledge=pledge)
    return {
        "fulfilment": fulfilment_by_pledge([pledge])[pledge.pk],
        "periods": fulfilment_over_time(pledge=pledge),
        "unhcr_available": context.available,
        "unhcr": rows,
    }


def _require_cases(request) -> None:
    if not (request.user.may(Action.VIEW_CASEWORK) or request.user.may(Action.VIEW_REPRESENTED)):
        require(request.user, Action.VIEW_CASEWORK)


@router.get("/referrals", response={200: ReferralPageOut, 404: ErrorOut})
def list_referrals(
    request,
    status: ReferralStatus | None = None,
    pledge_id: int | None = None,
    case_id: int | None = None,
    limit: int = Query(25, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Referrals of the cases the user may see."""
    _require_cases(request)
    pledge = pledge_get(pk=pledge_id) if pledge_id else None
    case = case_get(user=request.user, pk=case_id) if case_id else None
    found = referral_list(user=request.user, pledge=pledge, status=status or "", case=case)
    items = list(found.prefetch_related("members")[offset : offset + limit])
    _read(request, "referral_list", items)
    return {"count": found.count(), "items": items}


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def identify_referral(request, payload: ReferralIn):
    """Refer chosen members of a case to a pledge (or to a programme and country)."""
    case = case_get(user=request.user, pk=payload.case_id)
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    persons = [members.get(pk) for pk in payload.person_ids]
    if None in persons:
        raise NotAllowed("Choose the members of this case who are referred.")
    pledge = get_object_or_404(Pledge, pk=payload.pledge_id) if payload.pledge_id else None
    referral = services.referral_identify(
        actor=request.user,
        case=case,
        persons=persons,
        identified_on=payload.identified_on,
        pledge=pledge,
        programme_type=str(payload.programme_type or ""),
        receiving_country=payload.receiving_country,
        categories=[str(c) for c in payload.categories],
        priority=str(payload.priority),
        profile=payload.profile,
        notes=payload.notes,
    )
    return Status(201, referral_get(user=request.user, pk=referral.pk))


@router.get("/referrals/{int:referral_id}", response={200: ReferralOut, 404: ErrorOut})
def get_referral(request, referral_id: int):
    _require_cases(request)
    referral = referral_get(user=request.user, pk=referral_id)
    _read(request, "referral_view", [referral], case_id=referral.case_id)
    return referral


@router.put("/referrals/{int:referral_id}", response={200: ReferralOut, **ERRORS})
def update_referral(request, referral_id: int, payload: ReferralUpdateIn):
    """Change categories, priority, profile or notes while the referral is identified."""
    referral = services.referral_update(
        actor=request.user,
        referral=referral_get(user=request.user, pk=referral_id),
        expected_version=payload.version,
        categories=[str(c) for c in payload.categories],
        priority=str(payload.priority),
        profile=payload.profile,
        notes=payload.notes,
    )
    return referral_get(user=request.user, pk=referral.pk)


@router.post("/referrals/{int:referral_id}/steps/{step}", response={200: ReferralOut, **ERRORS})
def take_step(request, referral_id: int, step: str, payload: StepIn):
    """Take a step: submit, accept, reject, depart, arrive or withdraw (reject and withdraw
    need a ``reason``)."""
    services.referral_move(
        actor=request.user,
        referral=referral_get(user=request.user, pk=referral_id),
        expected_version=payload.version,
        step=step,
        on=payload.on,
        reason=payload.reason,
        reason_details=payload.reason_details,
    )
    return referral_get(user=request.user, pk=referral_id)
