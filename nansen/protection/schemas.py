"""The shapes of the protection API (nansen.protection.api)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from nansen.api.types import IsoDate
from nansen.protection.models import Disclosure, GuardException, LegalBasis, RecipientKind


class DisclosureIn(Schema):
    case_id: int
    person_ids: list[int] = Field(min_length=1, max_length=50)
    recipient: str = Field(min_length=1, max_length=200)
    recipient_kind: RecipientKind
    recipient_country: str = Field(min_length=3, max_length=3, description="Where it is")
    acts_for_country: str = Field(
        "", max_length=3, description="The state it represents, if any (an embassy…)"
    )
    legal_basis: LegalBasis
    shared: str = Field(min_length=1, max_length=5000)


class DisclosureOut(Schema):
    id: int
    case_id: int
    person_ids: list[int]
    recipient: str
    recipient_kind: str
    recipient_country: str
    acts_for_country: str
    legal_basis: str
    shared: str
    refused: bool
    refusal_reason: str
    recorded_at: datetime

    @staticmethod
    def resolve_person_ids(disclosure: Disclosure) -> list[int]:
        return [p.pk for p in disclosure.persons.all()]


class GuardExceptionIn(Schema):
    case_id: int
    country: str = Field(min_length=3, max_length=3)
    road: str = Field("", max_length=40, description="A road's name; empty: any road")
    recipient: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=5000)
    consenting_person_ids: list[int] = Field(min_length=1, max_length=50)
    consent_wording: str = Field(min_length=1, max_length=10000)
    consent_reference: str = Field("", max_length=200)
    consent_given_on: IsoDate


class GuardExceptionOut(Schema):
    id: int
    case_id: int
    country: str
    road: str
    recipient: str
    purpose: str
    consenting_person_ids: list[int]
    consent_wording: str
    consent_reference: str
    consent_given_on: IsoDate
    requested_by_id: int
    requested_at: datetime
    approved_by_id: int | None
    approved_at: datetime | None
    expires_at: datetime | None
    used_at: datetime | None
    used_on_road: str

    @staticmethod
    def resolve_consenting_person_ids(exception: GuardException) -> list[int]:
        return [p.pk for p in exception.consenting_persons.all()]
