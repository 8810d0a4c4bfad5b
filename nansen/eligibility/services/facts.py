"""Material facts and the country information cited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.coi.models import Passage, Source
from nansen.core.permissions import NotAllowed, require
from nansen.eligibility.models import (
    Assessment,
    Citation,
    Credibility,
    EvidenceKind,
    MaterialFact,
    Part,
)
from nansen.eligibility.services._common import (
    begin_change,
    clean_choice,
    clean_text,
    finish_change,
)

# --- material facts ---------------------------------------------------------------------------


@dataclass
class FactInput:
    statement: str
    evidence: str = ""
    evidence_kinds: list[str] | None = None
    credibility: str = ""
    reasons: str = ""
    inconsistency: str = ""
    explanation_sought: bool | None = None
    explanation: str = ""


def _fact_values(data: FactInput) -> dict:
    statement = clean_text(data.statement, _("fact"))
    if not statement:
        raise NotAllowed(_("State the fact claimed."))
    kinds = sorted(set(data.evidence_kinds or []))
    for kind in kinds:
        clean_choice(kind, EvidenceKind, _("kind of evidence"), blank=False)
    credibility = clean_choice(data.credibility, Credibility, _("credibility finding"))
    rejected = credibility == Credibility.REJECTED
    return {
        "statement": statement,
        "evidence": clean_text(data.evidence, _("evidence")),
        "evidence_kinds": kinds,
        "credibility": credibility,
        "reasons": clean_text(data.reasons, _("reasons")),
        "inconsistency": clean_text(data.inconsistency, _("inconsistency")) if rejected else "",
        "explanation_sought": data.explanation_sought if rejected else None,
        "explanation": clean_text(data.explanation, _("explanation")) if rejected else "",
    }


@transaction.atomic
def fact_add(
    *, actor: User, assessment: Assessment, expected_version: int, data: FactInput
) -> MaterialFact:
    values = _fact_values(data)
    before = begin_change(actor, assessment, expected_version)
    last = assessment.facts.aggregate(last=Max("number"))["last"] or 0
    fact = MaterialFact.objects.create(assessment=assessment, number=last + 1, **values)
    finish_change(actor, assessment, before, Part.FACTS, [])
    return fact


@transaction.atomic
def fact_update(
    *, actor: User, fact: MaterialFact, expected_version: int, data: FactInput
) -> MaterialFact:
    values = _fact_values(data)
    assessment = fact.assessment
    before = begin_change(actor, assessment, expected_version)
    for name, value in values.items():
        setattr(fact, name, value)
    fact.save()
    finish_change(actor, assessment, before, Part.FACTS, [])
    return fact


@transaction.atomic
def fact_remove(*, actor: User, fact: MaterialFact, expected_version: int) -> None:
    assessment = fact.assessment
    before = begin_change(actor, assessment, expected_version)
    fact.delete()
    finish_change(actor, assessment, before, Part.FACTS, [])


# --- citations --------------------------------------------------------------------------------


@transaction.atomic
def citation_add(
    *,
    actor: User,
    assessment: Assessment,
    expected_version: int,
    part: str,
    source: Source,
    passage: Passage | None = None,
    fact: MaterialFact | None = None,
    page: str = "",
    paragraph: str = "",
    quote: str = "",
) -> Citation:
    """Cite a source in one part (or for one fact), with a pinpoint: page, paragraph or the
    passage quoted. A passage found by a search gives its page and paragraph."""
    require(actor, Action.ASSESS_ELIGIBILITY)
    clean_choice(part, Part, _("part"), blank=False)
    if fact is not None and (fact.assessment_id != assessment.pk or part != Part.FACTS):
        raise NotAllowed(_("That fact is not part of this assessment."))
    if passage is not None and passage.source_id != source.pk:
        raise NotAllowed(_("That passage is not from this source."))
    page, paragraph = (page or "").strip()[:20], (paragraph or "").strip()[:20]
    if passage is not None:
        page = page or (str(passage.page) if passage.page else "")
        paragraph = paragraph or str(passage.number)
    quote = clean_text(quote, _("quotation"))
    if not (page or paragraph or quote):
        raise NotAllowed(_("A citation needs a pinpoint: a page, a paragraph or a quotation."))
    before = begin_change(actor, assessment, expected_version)
    citation = Citation.objects.create(
        assessment=assessment,
        part=part,
        fact=fact,
        source=source,
        passage=passage,
        page=page,
        paragraph=paragraph,
        quote=quote,
        created_by=actor,
    )
    finish_change(actor, assessment, before, part, [])
    return citation


@transaction.atomic
def citation_remove(*, actor: User, citation: Citation, expected_version: int) -> None:
    assessment = citation.assessment
    before = begin_change(actor, assessment, expected_version)
    part = citation.part
    citation.delete()
    finish_change(actor, assessment, before, part, [])
