"""The shapes of the identity API (nansen.identity.api): the registration check and the
review queue."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field, StrictBool


class CheckDocumentIn(Schema):
    document_type: str
    number: str
    issuing_country: str


class CheckIn(Schema):
    given_name: str = ""
    family_name: str = ""
    original_name: str = ""
    other_names: list[str] = []
    sex: str = ""
    birth_date: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    birth_date_estimated: StrictBool = False
    nationalities: list[str] = []
    place_of_birth: str = ""
    documents: list[CheckDocumentIn] = []
    family: list[str] = Field(default=[], max_length=30)  # given names of the family members


class EvidenceOut(Schema):
    field: str
    level: str | None
    weight: float


class CandidateOut(Schema):
    """A record the user may see."""

    person_id: int
    office: str
    probability: float
    name: str
    birth_date: str
    evidence: list[EvidenceOut] = []


class AnnouncementOut(Schema):
    """A possible earlier registration in an office the user may not see: the office alone,
    the same whatever was asked."""

    office: str
    office_name: str
    message: str


class CheckOut(Schema):
    records: list[CandidateOut]
    announcements: list[AnnouncementOut]


class PairOut(Schema):
    id: int
    person_a: int
    person_b: int
    status: str
    score: float
    version: int


class PairDecisionIn(Schema):
    status: str
    note: str = ""
    version: int
