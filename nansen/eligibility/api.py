"""The assessment API: the same services, selectors and scoped querysets as the pages.
Mounted at /api/eligibility. Assessments hold sensitive data: only users who may see it
(and see the case) reach them; anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut, VersionIn
from nansen.coi.models import Passage, Source
from nansen.coi.selectors import stale_cutoff
from nansen.core.permissions import NotAllowed
from nansen.eligibility import rules, selectors, services
from nansen.eligibility.models import (
    Assessment,
    Citation,
    Ground,
    MaterialFact,
    Part,
)
from nansen.eligibility.schemas import (
    AssessmentOut,
    CitationIn,
    ComplementaryIn,
    ConclusionIn,
    ExclusionIn,
    FactIn,
    FearIn,
    GeneralIn,
    IssueOut,
    NexusIn,
    PersecutionIn,
    ProfileOut,
    ProtectionIn,
    ReasonsOut,
    RelocationIn,
    ReviewIn,
    SimilarOut,
    StartIn,
)
from nansen.procedures.models import Application

router = Router(tags=["eligibility assessment"])


def _require_sensitive(request) -> None:
    user = request.user
    if not (user.may(Action.VIEW_CASEWORK) and user.may(Action.VIEW_SENSITIVE)):
        raise Http404


def _application(request, pk: int) -> Application:
    _require_sensitive(request)
    return get_object_or_404(Application.objects.visible_to(request.user), pk=pk)


def _assessment(request, pk: int, *, read: str = "") -> Assessment:
    """The assessment; ``read`` names the operation showing it, which records the read."""
    _require_sensitive(request)
    return selectors.assessment_get(user=request.user, pk=pk, read=read, request=request)


def _assessment_of(request, application: Application, *, read: str) -> Assessment:
    assessment = selectors.assessment_for(
        application, read=read, user=request.user, request=request
    )
    if assessment is None:
        raise Http404
    return assessment


def _fresh(request, pk: int) -> Assessment:
    return selectors.assessment_get(user=request.user, pk=pk)


def _out(assessment: Assessment) -> dict:
    issues = selectors.assessment_check(assessment)
    cutoff = stale_cutoff(assessment.office, timezone.localdate())
    out = {
        name: getattr(assessment, name)
        for name in AssessmentOut.model_fields
        if hasattr(assessment, name)
        and name not in ("facts", "nexus", "complementary", "citations", "reviews")
    }
    citations = list(assessment.citations.all())
    for citation in citations:
        citation.stale = citation.source.published_on < cutoff
    out.update(
        facts=list(assessment.facts.all()),
        nexus=list(assessment.nexus.all()),
        complementary=list(assessment.complementary.all()),
        citations=citations,
        reviews=list(assessment.reviews.all()),
        conclusions=selectors.conclusions_for(assessment.application.procedure),
        issues=[vars(i) for i in issues],
        complete=selectors.is_complete(issues),
        review_required=selectors.review_required(assessment),
        review_valid=selectors.review_valid(assessment),
    )
    return out


# --- endpoints ---------------------------------------------------------------------------------


@router.get("/profiles", response={200: list[ProfileOut], 404: ErrorOut})
def list_profiles(request):
    """The profiles of claims the consistency aids compare."""
    _require_sensitive(request)
    return [{"id": p.id, "label": str(p.label)} for p in rules.RISK_PROFILES]


@router.get(
    "/applications/{int:application_id}/assessment", response={200: AssessmentOut, 404: ErrorOut}
)
def get_assessment(request, application_id: int):
    application = _application(request, application_id)
    return _out(_assessment_of(request, application, read="assessment_view"))


@router.post(
    "/applications/{int:application_id}/assessment", response={201: AssessmentOut, **ERRORS}
)
def start_assessment(request, application_id: int, payload: StartIn):
    """Start the assessment of one person's application."""
    application = _application(request, application_id)
    assessment = services.assessment_start(
        actor=request.user, application=application, **payload.model_dump()
    )
    return Status(201, _out(_fresh(request, assessment.pk)))


@router.put("/assessments/{int:assessment_id}/general", response={200: AssessmentOut, **ERRORS})
def save_general(request, assessment_id: int, payload: GeneralIn):
    assessment = _assessment(request, assessment_id)
    services.assessment_general_save(
        actor=request.user,
        assessment=assessment,
        expected_version=payload.version,
        language=payload.language,
        risk_profile=payload.risk_profile,
    )
    return _out(_fresh(request, assessment_id))


def _save_part(request, assessment_id: int, part: str, payload: Schema) -> dict:
    assessment = _assessment(request, assessment_id)
    values = {}
    for key, value in payload.model_dump(exclude={"version"}).items():
        if isinstance(value, list):
            value = [str(v) for v in value]
        elif value is None:
            value = None if key == "harm_serious" else ""
        elif isinstance(value, str):
            value = str(value)
        values[key] = value
    services.assessment_part_save(
        actor=request.user,
        assessment=assessment,
        expected_version=payload.version,
        part=part,
        values=values,
    )
    return _out(_fresh(request, assessment_id))


@router.put("/assessments/{int:assessment_id}/fear", response={200: AssessmentOut, **ERRORS})
def save_fear(request, assessment_id: int, payload: FearIn):
    """Well-founded fear: is there a reasonable possibility of persecution on return?"""
    return _save_part(request, assessment_id, Part.FEAR, payload)


@router.put("/assessments/{int:assessment_id}/persecution", response={200: AssessmentOut, **ERRORS})
def save_persecution(request, assessment_id: int, payload: PersecutionIn):
    """Persecution or serious harm: the harm, by whom, how serious, cumulative grounds."""
    return _save_part(request, assessment_id, Part.PERSECUTION, payload)


@router.put("/assessments/{int:assessment_id}/protection", response={200: AssessmentOut, **ERRORS})
def save_protection(request, assessment_id: int, payload: ProtectionIn):
    """State protection: available and effective, or not."""
    return _save_part(request, assessment_id, Part.PROTECTION, payload)


@router.put("/assessments/{int:assessment_id}/relocation", response={200: AssessmentOut, **ERRORS})
def save_relocation(request, assessment_id: int, payload: RelocationIn):
    """Internal flight or relocation alternative: relevance and reasonableness."""
    return _save_part(request, assessment_id, Part.RELOCATION, payload)


@router.put("/assessments/{int:assessment_id}/exclusion", response={200: AssessmentOut, **ERRORS})
def save_exclusion(request, assessment_id: int, payload: ExclusionIn):
    """Exclusion screening (Art. 1F); a possible clause refers the case for an exclusion
    assessment."""
    return _save_part(request, assessment_id, Part.EXCLUSION, payload)


@router.put("/assessments/{int:assessment_id}/conclusion", response={200: AssessmentOut, **ERRORS})
def save_conclusion(request, assessment_id: int, payload: ConclusionIn):
    """The conclusion; one the findings do not support is refused (400) naming the rule."""
    return _save_part(request, assessment_id, Part.CONCLUSION, payload)


def _grounds(payload) -> list[services.GroundInput]:
    return [
        services.GroundInput(
            ground=g.ground,
            finding=str(g.finding or ""),
            reasons=g.reasons,
            claimed=g.claimed,
            imputed=g.imputed,
        )
        for g in payload.grounds
    ]


@router.put("/assessments/{int:assessment_id}/nexus", response={200: AssessmentOut, **ERRORS})
def save_nexus(request, assessment_id: int, payload: NexusIn):
    """The five Convention grounds (race, religion, nationality, social_group,
    political_opinion): claimed, established or not, imputed, with reasons."""
    if any(g.ground not in Ground.values for g in payload.grounds):
        raise NotAllowed("Unknown Convention ground.")
    services.assessment_nexus_save(
        actor=request.user,
        assessment=_assessment(request, assessment_id),
        expected_version=payload.version,
        grounds=_grounds(payload),
    )
    return _out(_fresh(request, assessment_id))


@router.put(
    "/assessments/{int:assessment_id}/complementary", response={200: AssessmentOut, **ERRORS}
)
def save_complementary(request, assessment_id: int, payload: ComplementaryIn):
    services.assessment_complementary_save(
        actor=request.user,
        assessment=_assessment(request, assessment_id),
        expected_version=payload.version,
        grounds=_grounds(payload),
    )
    return _out(_fresh(request, assessment_id))


def _fact(request, pk: int) -> MaterialFact:
    _require_sensitive(request)
    return get_object_or_404(
        MaterialFact.objects.filter(
            assessment__in=Assessment.objects.visible_to(request.user)
        ).select_related("assessment", "assessment__application"),
        pk=pk,
    )


@router.post("/assessments/{int:assessment_id}/facts", response={201: AssessmentOut, **ERRORS})
def add_fact(request, assessment_id: int, payload: FactIn):
    services.fact_add(
        actor=request.user,
        assessment=_assessment(request, assessment_id),
        expected_version=payload.version,
        data=payload.to_input(),
    )
    return Status(201, _out(_fresh(request, assessment_id)))


@router.put("/facts/{int:fact_id}", response={200: AssessmentOut, **ERRORS})
def update_fact(request, fact_id: int, payload: FactIn):
    fact = _fact(request, fact_id)
    services.fact_update(
        actor=request.user, fact=fact, expected_version=payload.version, data=payload.to_input()
    )
    return _out(_fresh(request, fact.assessment_id))


@router.delete("/facts/{int:fact_id}", response={200: AssessmentOut, **ERRORS})
def remove_fact(request, fact_id: int, version: int = Query(...)):
    fact = _fact(request, fact_id)
    assessment_id = fact.assessment_id
    services.fact_remove(actor=request.user, fact=fact, expected_version=version)
    return _out(_fresh(request, assessment_id))


@router.post("/assessments/{int:assessment_id}/citations", response={201: AssessmentOut, **ERRORS})
def add_citation(request, assessment_id: int, payload: CitationIn):
    """Cite a source of country information in one part, with a pinpoint (page, paragraph,
    quotation), or a passage found by /api/coi/search."""
    assessment = _assessment(request, assessment_id)
    source = get_object_or_404(Source, pk=payload.source_id)
    passage = (
        get_object_or_404(Passage, pk=payload.passage_id, source=source)
        if payload.passage_id
        else None
    )
    fact = None
    if payload.fact_number:
        fact = get_object_or_404(MaterialFact, assessment=assessment, number=payload.fact_number)
    services.citation_add(
        actor=request.user,
        assessment=assessment,
        expected_version=payload.version,
        part=str(payload.part),
        source=source,
        passage=passage,
        fact=fact,
        page=payload.page,
        paragraph=payload.paragraph,
        quote=payload.quote,
    )
    return Status(201, _out(_fresh(request, assessment_id)))


@router.delete("/citations/{int:citation_id}", response={200: AssessmentOut, **ERRORS})
def remove_citation(request, citation_id: int, version: int = Query(...)):
    _require_sensitive(request)
    citation = get_object_or_404(
        Citation.objects.filter(assessment__in=Assessment.objects.visible_to(request.user)),
        pk=citation_id,
    )
    assessment_id = citation.assessment_id
    services.citation_remove(actor=request.user, citation=citation, expected_version=version)
    return _out(_fresh(request, assessment_id))


@router.get("/assessments/{int:assessment_id}/check", response={200: list[IssueOut], 404: ErrorOut})
def check(request, assessment_id: int):
    """What is still missing or inconsistent (errors block the decision), and what to check
    (warnings), each with the rule's legal source."""
    assessment = _assessment(request, assessment_id, read="assessment_check_view")
    return [vars(i) for i in selectors.assessment_check(assessment)]


@router.post("/assessments/{int:assessment_id}/submit", response={200: AssessmentOut, **ERRORS})
def submit(request, assessment_id: int, payload: VersionIn):
    services.assessment_submit(
        actor=request.user,
        assessment=_assessment(request, assessment_id),
        expected_version=payload.version,
    )
    return _out(_fresh(request, assessment_id))


@router.post("/assessments/{int:assessment_id}/review", response={200: AssessmentOut, **ERRORS})
def review(request, assessment_id: int, payload: ReviewIn):
    """A supervisor approves the assessment as it stands, or returns it (four eyes)."""
    services.assessment_review(
        actor=request.user,
        assessment=_assessment(request, assessment_id),
        expected_version=payload.version,
        outcome=str(payload.outcome),
        comments=payload.comments,
    )
    return _out(_fresh(request, assessment_id))


@router.get(
    "/applications/{int:application_id}/assessment/reasons",
    response={200: ReasonsOut, 404: ErrorOut},
)
def reasons(request, application_id: int):
    """The reasons of the decision drafted from the assessment, and whether a decision with
    its conclusion can be signed now."""
    application = _application(request, application_id)
    assessment = _assessment_of(request, application, read="assessment_reasons_view")
    return {
        "reasons": selectors.decision_reasons_draft(application=application),
        "language": assessment.language,
        "blocks_decision": selectors.conclusion_blocks_decision(
            application=application, assessment=assessment
        ),
    }


@router.get("/assessments/{int:assessment_id}/similar", response={200: SimilarOut, 404: ErrorOut})
def similar(request, assessment_id: int):
    """How similar claims were decided in the office (same nationality, claimed ground and
    profile), among the cases the user may see."""
    assessment = _assessment(request, assessment_id, read="assessment_similar_view")
    found = selectors.similar_claims(user=request.user, assessment=assessment)
    return {
        "nationality": found.nationality,
        "grounds": found.grounds,
        "profile": found.profile,
        "rows": [
            {**vars(row), "total": row.total, "protection_rate": row.protection_rate}
            for row in found.rows
        ],
        "application_ids": [d.application_id for d in found.examples],
    }
