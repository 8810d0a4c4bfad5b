"""Reading assessments: through the user's scoped querysets, in a fixed number of queries.

The procedure engine asks here when a decision is recorded: ``assessment_decision_form``
(the kind of decision the conclusion calls for), ``assessment_blocks_decision`` (may it be
signed?) and ``decision_reasons_draft`` (the reasons drafted from the findings, for the
officer to edit before signing).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from nansen.audit.services import read_record
from nansen.coi.selectors import stale_cutoff
from nansen.eligibility import rules
from nansen.eligibility.models import (
    Assessment,
    Citation,
    Conclusion,
    Credibility,
    EligibilityPolicy,
    Exclusion,
    ExclusionClause,
    Finding,
    Ground,
    HarmAgent,
    MaterialFact,
    NexusFinding,
    Part,
    Protection,
    Relocation,
    Status,
)
from nansen.procedures.models import Application, Decision, Instance, Outcome
from nansen.statistics.rates import DecisionCounts


def assessment_queryset():
    return Assessment.objects.select_related(
        "application",
        "application__case",
        "application__person",
        "office",
        "created_by",
        "updated_by",
        "submitted_by",
    ).prefetch_related(
        Prefetch("facts", queryset=MaterialFact.objects.order_by("number")),
        Prefetch("nexus", queryset=NexusFinding.objects.order_by("pk")),
        "complementary",
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source", "fact").order_by("pk"),
        ),
        "reviews__reviewer",
    )


def assessment_for(
    application: Application, *, read: str = "", user=None, request=None
) -> Assessment | None:
    """The application's assessment, fully loaded, or None (the caller has already fetched
    the application through the user's scope). ``read`` records that ``user`` read it, as
    for ``assessment_get``."""
    assessment = assessment_queryset().filter(application=application).first()
    if read and assessment is not None:
        _record_read(user, request, read, assessment)
    return assessment


def assessment_get(*, user, pk: int, read: str = "", request=None) -> Assessment:
    """The assessment, if the user may see its application; 404 otherwise.

    ``read`` names the page or API operation that shows it (``assessment_view``): the read
    is then recorded in the audit log, with its case and person, through ``request``."""
    assessment = get_object_or_404(assessment_queryset().visible_to(user), pk=pk)
    if read:
        _record_read(user, request, read, assessment)
    return assessment


def _record_read(user, request, action: str, assessment: Assessment) -> None:
    read_record(
        user=user,
        request=request,
        action=action,
        object_type="assessment",
        object_ids=[assessment.pk],
        case_id=assessment.application.case_id,
        person_ids=[assessment.application.person_id],
    )


def decision_stands(application: Application) -> bool:
    """A first-instance decision stands on the application: its assessment is closed."""
    return application.decisions.filter(
        instance=Instance.FIRST, superseded_at__isnull=True
    ).exists()


# --- the findings the rules read ---------------------------------------------------------------


def complementary_labels(assessment: Assessment) -> dict[str, str]:
    return {g.id: str(g.label) for g in rules.complementary_grounds(assessment.application.profile)}


# --- which conclusions a procedure has, and the decision each calls for -----------------------


@dataclass(frozen=True)
class ConclusionDecision:
    """The decision an assessment's conclusion calls for: its outcome and, for a conclusion
    only some kinds of decision record (UNHCR's broader mandate), those kinds."""

    outcome: str
    forms: tuple[str, ...] = ()


def conclusions_for(profile) -> list[str]:
    """The conclusions an assessment under ``profile`` may reach: the profile's outcomes on
    the claim, and those its kinds of decision record (a form's ``conclusion``), in the
    order of Conclusion."""
    recorded = {f.conclusion for f in profile.forms.values() if f.conclusion}
    return [c for c in Conclusion.values if c in profile.outcomes or c in recorded]


def conclusion_decision(profile, conclusion: str) -> ConclusionDecision:
    forms = tuple(f.id for f in profile.forms.values() if f.conclusion == conclusion)
    if forms:
        return ConclusionDecision(profile.forms[forms[0]].outcome, forms)
    return ConclusionDecision(conclusion)


def findings(assessment: Assessment, *, today: date | None = None) -> rules.Findings:
    """What the consistency rules read, from a loaded assessment (no further queries but
    the office's limit on the age of sources)."""
    labels = complementary_labels(assessment)
    profile = assessment.application.procedure
    return rules.Findings(
        facts=[
            rules.FactView(
                number=f.number,
                credibility=f.credibility,
                has_reasons=bool(f.reasons.strip()),
                has_inconsistency=bool(f.inconsistency.strip()),
                explanation_sought=f.explanation_sought,
            )
            for f in assessment.facts.all()
        ],
        fear=assessment.fear,
        fear_reasons=bool(assessment.fear_reasons.strip()),
        harm=bool(assessment.harm.strip()),
        harm_agent=assessment.harm_agent,
        harm_serious=assessment.harm_serious,
        persecution=assessment.persecution,
        persecution_reasons=bool(assessment.persecution_reasons.strip()),
        nexus=[
            rules.GroundView(
                ground=n.ground,
                label=str(Ground(n.ground).label),
                claimed=n.claimed,
                finding=n.finding,
                has_reasons=bool(n.reasons.strip()),
            )
            for n in assessment.nexus.all()
        ],
        protection=assessment.protection,
        protection_reasons=bool(assessment.protection_reasons.strip()),
        relocation=assessment.relocation,
        relocation_area=bool(assessment.relocation_area.strip()),
        relocation_reasons=bool(assessment.relocation_reasons.strip()),
        exclusion=assessment.exclusion,
        exclusion_clauses=list(assessment.exclusion_clauses),
        exclusion_reasons=bool(assessment.exclusion_reasons.strip()),
        complementary=[
            rules.GroundView(
                ground=c.ground,
                label=labels.get(c.ground, c.ground),
                claimed=False,
                finding=c.finding,
                has_reasons=bool(c.reasons.strip()),
            )
            for c in assessment.complementary.all()
            if c.ground in labels
        ],
        conclusion=assessment.conclusion,
        conclusion_reasons=bool(assessment.conclusion_reasons.strip()),
        allowed_conclusions=conclusions_for(profile),
        cited=[
            rules.CitedSource(part=c.part, published_on=c.source.published_on)
            for c in assessment.citations.all()
        ],
        stale_before=stale_cutoff(assessment.office, today or timezone.localdate()),
    )


def assessment_check(assessment: Assessment, *, today: date | None = None) -> list[rules.Issue]:
    return rules.check(findings(assessment, today=today))


def is_complete(issues: list[rules.Issue]) -> bool:
    return not any(i.blocking for i in issues)


# --- four eyes ----------------------------------------------------------------------------------


def policy_for(office) -> EligibilityPolicy:
    return EligibilityPolicy.objects.filter(office=office).first() or EligibilityPolicy(
        office=office
    )


def review_required(assessment: Assessment) -> bool:
    """Whether the office requires a supervisor's review of this assessment: of every
    assessment, of those under some procedures, or of some conclusions."""
    policy = policy_for(assessment.office)
    return (
        policy.review_required
        or assessment.application.profile in policy.review_profiles
        or (bool(assessment.conclusion) and assessment.conclusion in policy.review_conclusions)
    )


def review_valid(assessment: Assessment) -> bool:
    """Approved by a supervisor as it stands now (any change since voids the approval)."""
    return assessment.status == Status.APPROVED and any(
        r.outcome == "approved" and r.assessment_version == assessment.version
        for r in assessment.reviews.all()
    )


# --- what the procedure engine asks ---------------------------------------------------------------


def assessment_decision_form(*, application: Application, outcome: str) -> str:
    """The kind of decision the assessment's conclusion calls for when the decision has
    ``outcome`` and the conclusion has kinds of its own (recognition under UNHCR's broader
    mandate), else "" (the profile's usual kind for the outcome)."""
    conclusion = (
        Assessment.objects.filter(application=application)
        .values_list("conclusion", flat=True)
        .first()
    )
    if not conclusion:
        return ""
    expected = conclusion_decision(application.procedure, conclusion)
    return expected.forms[0] if expected.forms and expected.outcome == outcome else ""


def assessment_blocks_decision(
    *, application: Application, outcome: str, form: str = ""
) -> str | None:
    """Why a decision with ``outcome`` (of the kind ``form``) cannot be signed yet on
    ``application``, or None.

    A substantive decision needs the application's assessment complete, consistent, concluding
    that same outcome — and, for a conclusion only some kinds of decision record (UNHCR's
    broader mandate), of one of those kinds — and, where the office requires it, approved by
    a supervisor since its last change. Closing a file (withdrawn, abandoned…) needs no
    assessment.
    """
    if outcome not in Conclusion.values:
        return None
    assessment = assessment_for(application)
    if assessment is None:
        return _(
            "No eligibility assessment has been drafted for this application: a decision on "
            "the claim needs one."
        )
    blocking = [i for i in assessment_check(assessment) if i.blocking]
    if blocking:
        return _("The eligibility assessment is not complete: %(issues)s") % {
            "issues": " ".join(i.message for i in blocking)
        }
    profile = application.procedure
    expected = conclusion_decision(profile, assessment.conclusion)
    if expected.outcome != outcome:
        return _(
            "The eligibility assessment concludes “%(conclusion)s”; the decision cannot be "
            "“%(outcome)s”."
        ) % {
            "conclusion": Conclusion(assessment.conclusion).label,
            "outcome": Outcome(outcome).label,
        }
    chosen = profile.forms.get(form)
    if expected.forms and form not in expected.forms:
        return _(
            "The eligibility assessment concludes “%(conclusion)s”: the decision is “%(form)s”."
        ) % {
            "conclusion": Conclusion(assessment.conclusion).label,
            "form": profile.forms[expected.forms[0]].label,
        }
    if not expected.forms and chosen is not None and chosen.conclusion:
        return _(
            "“%(form)s” records the conclusion “%(recorded)s”; the eligibility assessment "
            "concludes “%(conclusion)s”."
        ) % {
            "form": chosen.label,
            "recorded": Conclusion(chosen.conclusion).label,
            "conclusion": Conclusion(assessment.conclusion).label,
        }
    if review_required(assessment) and not review_valid(assessment):
        return _(
            "The office requires a supervisor's review of the assessment (four eyes): it has "
            "not been approved as it now stands."
        )
    return None


def conclusion_blocks_decision(*, application: Application, assessment: Assessment) -> str | None:
    """Why the decision the assessment's own conclusion calls for cannot be signed yet, or
    None (for the assessment's pages and API)."""
    if not assessment.conclusion:
        return _("The assessment has no conclusion yet.")
    expected = conclusion_decision(application.procedure, assessment.conclusion)
    return assessment_blocks_decision(
        application=application,
        outcome=expected.outcome,
        form=expected.forms[0] if expected.forms else "",
    )


def decision_reasons_language(*, application: Application) -> str | None:
    """The language the assessment's reasons are written in (en, ja, ar), for the letter to
    mark them (``lang``) while its fixed parts are in the applicant's language."""
    return (
        Assessment.objects.filter(application=application)
        .values_list("language", flat=True)
        .first()
    )


def _source_reference(citation: Citation) -> str:
    source = citation.source
    text = f"{source.publisher}, “{source.title}”, {source.published_on:%Y-%m-%d}"
    if citation.pinpoint:
        text += f", {citation.pinpoint}"
    if citation.quote.strip():
        text += f": “{citation.quote.strip()}”"
    if source.url:
        text += f" <{source.url}>"
    return text


def _citations_block(citations: list[Citation]) -> list[str]:
    if not citations:
        return []
    lines = [_("Country of origin information:")]
    lines += [f"  – {_source_reference(c)}" for c in citations]
    return lines


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("yes") if value else _("no"))


def decision_reasons_draft(*, application: Application) -> str:
    """The reasons of the decision, drafted from the assessment: the findings in order,
    each with its reasons and the country information cited, written in the language of
    the assessment. The officer edits them before signing. Empty without an assessment.

    The text holds sensitive data: callers show it only to users who may see it
    (Action.VIEW_SENSITIVE), as the decision form does.
    """
    assessment = assessment_for(application)
    if assessment is None:
        return ""
    with translation.override(assessment.language):
        text = "\n".join(_draft(assessment))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _draft(a: Assessment) -> list[str]:
    cited: dict[tuple[str, int | None], list[Citation]] = {}
    for c in a.citations.all():
        cited.setdefault((c.part, c.fact_id), []).append(c)

    def part_citations(part: str) -> list[str]:
        return _citations_block(cited.get((part, None), []))

    def heading(number: int, part: str) -> list[str]:
        return ["", f"{number}. {Part(part).label}"]

    def finding_line(label: str | Promise) -> str:
        return _("Finding: %(finding)s.") % {"finding": label}

    lines: list[str] = []
    number = 0

    def add(text: str) -> None:
        if text:
            lines.append(text)

    number += 1
    lines += heading(number, Part.FACTS)
    for fact in a.facts.all():
        lines.append(f"{number}.{fact.number} {fact.statement.strip()}")
        if fact.evidence.strip():
            lines.append(_("Evidence: %(evidence)s") % {"evidence": fact.evidence.strip()})
        lines.append(finding_line(Credibility(fact.credibility).label if fact.credibility else "—"))
        if fact.credibility == Credibility.REJECTED:
            lines.append(_("Inconsistency: %(text)s") % {"text": fact.inconsistency.strip() or "—"})
            lines.append(
                _("The applicant was given the chance to explain it: %(answer)s.")
                % {"answer": _yes_no(fact.explanation_sought)}
            )
            if fact.explanation.strip():
                lines.append(
                    _("The applicant's explanation: %(text)s") % {"text": fact.explanation.strip()}
                )
        add(fact.reasons.strip())
        lines += _citations_block(cited.get((Part.FACTS, fact.pk), []))
    lines += part_citations(Part.FACTS)

    number += 1
    lines += heading(number, Part.FEAR)
    if a.fear:
        lines.append(
            finding_line(
                _("established: there is a reasonable possibility of persecution on return")
                if a.fear == Finding.ESTABLISHED
                else _(
                    "not established: there is no reasonable possibility of persecution on return"
                )
            )
        )
    add(a.fear_reasons.strip())
    lines += part_citations(Part.FEAR)

    number += 1
    lines += heading(number, Part.PERSECUTION)
    if a.harm.strip():
        lines.append(_("Harm feared: %(harm)s") % {"harm": a.harm.strip()})
    if a.harm_agent:
        lines.append(_("By whom: %(agent)s.") % {"agent": HarmAgent(a.harm_agent).label})
    if a.harm_serious is not None:
        lines.append(
            _("Serious enough to amount to persecution: %(answer)s.")
            % {"answer": _yes_no(a.harm_serious)}
        )
    if a.harm_cumulative:
        lines.append(_("Assessed on cumulative grounds."))
    if a.persecution:
        lines.append(finding_line(Finding(a.persecution).label))
    add(a.persecution_reasons.strip())
    lines += part_citations(Part.PERSECUTION)

    number += 1
    lines += heading(number, Part.NEXUS)
    for n in a.nexus.all():
        label = str(Ground(n.ground).label)
        if n.imputed:
            label += " " + _("(imputed)")
        finding = Finding(n.finding).label if n.finding else "—"
        claimed = _("claimed") if n.claimed else _("not claimed")
        line = f"– {label} ({claimed}): {finding}."
        if n.reasons.strip():
            line += " " + n.reasons.strip()
        lines.append(line)
    lines += part_citations(Part.NEXUS)

    number += 1
    lines += heading(number, Part.PROTECTION)
    if a.protection:
        lines.append(finding_line(Protection(a.protection).label))
    add(a.protection_reasons.strip())
    lines += part_citations(Part.PROTECTION)

    number += 1
    lines += heading(number, Part.RELOCATION)
    if a.relocation:
        lines.append(finding_line(Relocation(a.relocation).label))
    if a.relocation_area.strip():
        lines.append(_("Proposed area: %(area)s") % {"area": a.relocation_area.strip()})
    add(a.relocation_reasons.strip())
    lines += part_citations(Part.RELOCATION)

    number += 1
    lines += heading(number, Part.EXCLUSION)
    if a.exclusion:
        lines.append(finding_line(Exclusion(a.exclusion).label))
    if a.exclusion == Exclusion.TRIGGERED:
        lines += [f"– {ExclusionClause(c).label}" for c in a.exclusion_clauses]
    add(a.exclusion_reasons.strip())
    lines += part_citations(Part.EXCLUSION)

    broader = a.conclusion == Conclusion.RECOGNIZED_BROADER
    if a.conclusion != Conclusion.RECOGNIZED and a.complementary.all():
        labels = complementary_labels(a)
        number += 1
        if broader:
            # Under UNHCR's mandate the same grounds are its broader refugee criteria.
            label = _("Refugee criteria of UNHCR's broader mandate")
            lines += ["", f"{number}. {label}"]
        else:
            lines += heading(number, Part.COMPLEMENTARY)
        for c in a.complementary.all():
            finding = Finding(c.finding).label if c.finding else "—"
            line = f"– {labels.get(c.ground, c.ground)}: {finding}."
            if c.reasons.strip():
                line += " " + c.reasons.strip()
            lines.append(line)
        lines += part_citations(Part.COMPLEMENTARY)

    number += 1
    lines += heading(number, Part.CONCLUSION)
    if a.conclusion:
        lines.append(finding_line(Conclusion(a.conclusion).label))
    if broader:
        lines.append(
            _(
                "The applicant does not meet the refugee definition of the 1951 Convention, but "
                "is outside the country of origin and cannot return there owing to the serious "
                "threat to life, physical integrity or freedom established above: the applicant "
                "is a refugee under UNHCR's broader mandate."
            )
        )
    add(a.conclusion_reasons.strip())
    lines += part_citations(Part.CONCLUSION)
    return lines


# --- consistency aids -------------------------------------------------------------------------


@dataclass
class OutcomeCounts:
    label: str
    recognized: int = 0
    complementary: int = 0
    rejected: int = 0

    @property
    def counts(self) -> DecisionCounts:
        return DecisionCounts(self.recognized, self.complementary, self.rejected)

    @property
    def total(self) -> int:
        return self.counts.substantive

    @property
    def protection_rate(self) -> float | None:
        """The total protection rate (statistics.rates) in percent, unrounded."""
        rate = self.counts.protection_rate
        return None if rate is None else float(rate * 100)


@dataclass
class SimilarClaims:
    nationality: str
    grounds: list[str]
    profile: str
    rows: list[OutcomeCounts] = field(default_factory=list)
    examples: list[Decision] = field(default_factory=list)


MAX_EXAMPLES = 20


def similar_claims(*, user, assessment: Assessment) -> SimilarClaims:
    """How the office decided claims like this one, as far as ``user`` may see: by the same
    nationality, then also the same claimed Convention ground, then also the same profile.
    Standing first-instance decisions on the merits, counted in persons."""
    person = assessment.application.person
    grounds = [n.ground for n in assessment.nexus.all() if n.claimed]
    result = SimilarClaims(
        nationality=person.country_of_origin, grounds=grounds, profile=assessment.risk_profile
    )
    decisions = (
        Decision.objects.visible_to(user)
        .standing()
        .filter(
            instance=Instance.FIRST,
            outcome__in=[o.value for o in Conclusion],
            application__office_id=assessment.office_id,
            application__person__country_of_origin=person.country_of_origin,
        )
        .exclude(application_id=assessment.application_id)
    )
    tiers = [(_("Same nationality"), decisions)]
    if grounds:
        same_ground = decisions.filter(
            application__assessment__nexus__ground__in=grounds,
            application__assessment__nexus__claimed=True,
        )
        tiers.append((_("… and the same claimed Convention ground"), same_ground))
        if assessment.risk_profile:
            tiers.append(
                (
                    _("… and the same profile"),
                    same_ground.filter(
                        application__assessment__risk_profile=assessment.risk_profile
                    ),
                )
            )
    for label, queryset in tiers:
        counts = Counter(
            dict(
                queryset.values("outcome")
                .annotate(n=Count("application_id", distinct=True))
                .values_list("outcome", "n")
            )
        )
        result.rows.append(
            OutcomeCounts(
                label=str(label),
                recognized=counts.get(Outcome.RECOGNIZED, 0),
                complementary=counts.get(Outcome.COMPLEMENTARY, 0),
                rejected=counts.get(Outcome.REJECTED, 0),
            )
        )
    closest = tiers[-1][1]
    result.examples = list(
        Decision.objects.filter(pk__in=closest.values("pk"))
        .select_related("application", "application__case")
        .order_by("-decided_on", "-pk")[:MAX_EXAMPLES]
    )
    return result
