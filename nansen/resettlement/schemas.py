"""The shapes of the resettlement API (nansen.resettlement.api)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import field_validator

from nansen.api.types import IsoDate
from nansen.core.reference import is_country
from nansen.core.weblinks import WebUrl
from nansen.procedures.models import Outcome
from nansen.resettlement import services
from nansen.resettlement.models import Priority, ProgrammeType, ReferralStatus, SubmissionCategory


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


class PledgeTermsOut(Schema):
    """The terms a pledge states, as it stands and as each revision left them."""

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


class PledgeOut(PledgeTermsOut):
    id: int
    version: int
    fulfilment: FulfilmentOut


class RevisionOut(PledgeTermsOut):
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
