"""The shapes of the assessment API (nansen.eligibility.api)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictBool

from nansen.eligibility import services
from nansen.eligibility.models import (
    Citation,
    Conclusion,
    Credibility,
    EvidenceKind,
    Exclusion,
    ExclusionClause,
    Finding,
    HarmAgent,
    Part,
    Protection,
    Relocation,
    ReviewOutcome,
)


class FactOut(Schema):
    id: int
    number: int
    statement: str
    evidence: str
    evidence_kinds: list[str]
    credibility: str
    reasons: str
    inconsistency: str
    explanation_sought: bool | None
    explanation: str


class GroundOut(Schema):
    ground: str
    claimed: StrictBool = False
    finding: str
    imputed: StrictBool = False
    reasons: str


class CitationOut(Schema):
    id: int
    part: str
    fact_number: int | None
    source_id: int
    source_title: str
    source_publisher: str
    source_published_on: date
    passage_id: int | None
    page: str
    paragraph: str
    quote: str
    stale: bool = False

    @staticmethod
    def resolve_fact_number(obj: Citation) -> int | None:
        return obj.fact.number if obj.fact_id else None

    @staticmethod
    def resolve_source_title(obj: Citation) -> str:
        return obj.source.title

    @staticmethod
    def resolve_source_publisher(obj: Citation) -> str:
        return obj.source.publisher

    @staticmethod
    def resolve_source_published_on(obj: Citation) -> date:
        return obj.source.published_on


class ReviewOut(Schema):
    reviewer: str
    at: datetime
    outcome: str
    comments: str
    assessment_version: int

    @staticmethod
    def resolve_reviewer(obj) -> str:
        return obj.reviewer.username


class IssueOut(Schema):
    rule: str
    part: str
    severity: str = Field(description="error (blocks the decision) or warning")
    message: str
    source: str = Field(description="The legal source of the rule")


class AssessmentOut(Schema):
    id: int
    application_id: int
    version: int
    status: str
    language: str
    risk_profile: str
    facts: list[FactOut]
    fear: str
    fear_reasons: str
    harm: str
    harm_agent: str
    harm_serious: bool | None
    harm_cumulative: bool
    persecution: str
    persecution_reasons: str
    nexus: list[GroundOut]
    protection: str
    protection_reasons: str
    relocation: str
    relocation_area: str
    relocation_reasons: str
    exclusion: str
    exclusion_clauses: list[str]
    exclusion_reasons: str
    exclusion_referred_at: datetime | None
    complementary: list[GroundOut]
    conclusion: str
    conclusion_reasons: str
    conclusions: list[str] = Field(
        description="The conclusions the application's procedure allows (its profile decides: "
        "recognized_broader only under UNHCR's mandate)"
    )
    citations: list[CitationOut]
    reviews: list[ReviewOut]
    issues: list[IssueOut]
    complete: bool
    review_required: bool
    review_valid: bool
    updated_at: datetime


class StartIn(Schema):
    language: str = Field("en", description="Language of the reasons: en, ja or ar")
    risk_profile: str = Field("", description="One of the profiles (see /profiles)")


class GeneralIn(StartIn):
    version: int


class FearIn(Schema):
    version: int
    fear: Finding | None = None
    fear_reasons: str = ""


class PersecutionIn(Schema):
    version: int
    harm: str = ""
    harm_agent: HarmAgent | None = None
    harm_serious: StrictBool | None = None
    harm_cumulative: StrictBool = False
    persecution: Finding | None = None
    persecution_reasons: str = ""


class ProtectionIn(Schema):
    version: int
    protection: Protection | None = None
    protection_reasons: str = ""


class RelocationIn(Schema):
    version: int
    relocation: Relocation | None = None
    relocation_area: str = Field("", max_length=200)
    relocation_reasons: str = ""


class ExclusionIn(Schema):
    version: int
    exclusion: Exclusion | None = None
    exclusion_clauses: list[ExclusionClause] = Field(default_factory=list)
    exclusion_reasons: str = ""


class ConclusionIn(Schema):
    version: int
    conclusion: Conclusion | None = None
    conclusion_reasons: str = ""


class GroundIn(Schema):
    ground: str
    finding: Finding | None = None
    reasons: str = ""
    claimed: StrictBool = False
    imputed: StrictBool = False


class NexusIn(Schema):
    version: int
    grounds: list[GroundIn] = Field(max_length=5)


class ComplementaryIn(Schema):
    version: int
    grounds: list[GroundIn] = Field(max_length=20)


class FactIn(Schema):
    version: int
    statement: str = Field(min_length=1)
    evidence: str = ""
    evidence_kinds: list[EvidenceKind] = Field(default_factory=list)
    credibility: Credibility | None = None
    reasons: str = ""
    inconsistency: str = ""
    explanation_sought: StrictBool | None = None
    explanation: str = ""

    def to_input(self) -> services.FactInput:
        data = self.model_dump(exclude={"version"})
        data["credibility"] = str(data["credibility"] or "")
        data["evidence_kinds"] = [str(k) for k in data["evidence_kinds"]]
        return services.FactInput(**data)


class CitationIn(Schema):
    version: int
    part: Part
    source_id: int
    passage_id: int | None = None
    fact_number: int | None = None
    page: str = Field("", max_length=20)
    paragraph: str = Field("", max_length=20)
    quote: str = Field("", max_length=5000)


class ReviewIn(Schema):
    version: int
    outcome: ReviewOutcome
    comments: str = ""


class ReasonsOut(Schema):
    reasons: str = Field(description="Drafted from the findings; edit before signing")
    language: str
    blocks_decision: str | None = Field(
        description="Why a decision with the assessment's conclusion cannot be signed yet"
    )


class OutcomeCountsOut(Schema):
    label: str
    recognized: int
    complementary: int
    rejected: int
    total: int
    protection_rate: float | None


class SimilarOut(Schema):
    nationality: str
    grounds: list[str]
    profile: str
    rows: list[OutcomeCountsOut]
    application_ids: list[int]


class ProfileOut(Schema):
    id: str
    label: str
