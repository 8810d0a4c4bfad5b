"""Starting an assessment and saving its parts; a conclusion the findings do not support
is refused."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.core.permissions import NotAllowed, require
from nansen.eligibility import rules
from nansen.eligibility.models import (
    Assessment,
    ComplementaryFinding,
    Conclusion,
    Exclusion,
    ExclusionClause,
    Finding,
    Ground,
    HarmAgent,
    NexusFinding,
    Part,
    Protection,
    Relocation,
)
from nansen.eligibility.selectors import findings
from nansen.eligibility.services._common import (
    begin_change,
    check_general,
    clean_choice,
    clean_text,
    finish_change,
    record_event,
    refuse_if_decided,
)
from nansen.procedures.models import Application


@transaction.atomic
def assessment_start(
    *, actor: User, application: Application, language: str = "en", risk_profile: str = ""
) -> Assessment:
    """Open the assessment of one person's application, with the five Convention grounds
    and the complementary grounds of its procedure ready to be assessed."""
    require(actor, Action.ASSESS_ELIGIBILITY)
    refuse_if_decided(application)
    if Assessment.objects.filter(application=application).exists():
        raise NotAllowed(_("This application already has an assessment."))
    check_general(language, risk_profile)
    assessment = Assessment.objects.create(
        application=application,
        office=application.office,
        language=language,
        risk_profile=risk_profile,
        created_by=actor,
        updated_by=actor,
    )
    for ground in Ground:
        NexusFinding.objects.create(assessment=assessment, ground=ground)
    for ground in rules.complementary_grounds(application.profile):
        ComplementaryFinding.objects.create(assessment=assessment, ground=ground.id)
    record_event(actor, assessment, Verb.ASSESSMENT_STARTED)
    return assessment


@transaction.atomic
def assessment_general_save(
    *,
    actor: User,
    assessment: Assessment,
    expected_version: int,
    language: str,
    risk_profile: str,
) -> Assessment:
    """The language the reasons are written in, and the profile of the claim."""
    check_general(language, risk_profile)
    before = begin_change(actor, assessment, expected_version)
    assessment.language = language
    assessment.risk_profile = risk_profile
    finish_change(actor, assessment, before, "general", ["language", "risk_profile"])
    return assessment


# --- the parts with their own fields -------------------------------------------------------------


@dataclass(frozen=True)
class PartField:
    name: str
    kind: str  # "text", "choice", "bool", "clauses", "line"
    choices: type | None = None


# Each part's fields (the nexus, facts and complementary grounds have their own services).
PART_FIELDS: dict[str, tuple[PartField, ...]] = {
    Part.FEAR: (PartField("fear", "choice", Finding), PartField("fear_reasons", "text")),
    Part.PERSECUTION: (
        PartField("harm", "text"),
        PartField("harm_agent", "choice", HarmAgent),
        PartField("harm_serious", "bool"),
        PartField("harm_cumulative", "bool"),
        PartField("persecution", "choice", Finding),
        PartField("persecution_reasons", "text"),
    ),
    Part.PROTECTION: (
        PartField("protection", "choice", Protection),
        PartField("protection_reasons", "text"),
    ),
    Part.RELOCATION: (
        PartField("relocation", "choice", Relocation),
        PartField("relocation_area", "line"),
        PartField("relocation_reasons", "text"),
    ),
    Part.EXCLUSION: (
        PartField("exclusion", "choice", Exclusion),
        PartField("exclusion_clauses", "clauses", ExclusionClause),
        PartField("exclusion_reasons", "text"),
    ),
    Part.CONCLUSION: (
        PartField("conclusion", "choice", Conclusion),
        PartField("conclusion_reasons", "text"),
    ),
}


def _value(spec: PartField, raw):
    label = str(Assessment._meta.get_field(spec.name).verbose_name)  # type: ignore[union-attr]
    if spec.kind == "text":
        return clean_text(raw, label)
    if spec.kind == "line":
        value = clean_text(raw, label)
        if len(value) > 200:
            raise NotAllowed(_("The %(what)s is too long.") % {"what": label})
        return value
    if spec.kind == "choice":
        return clean_choice(raw, spec.choices, label)
    if spec.kind == "bool":
        return None if raw is None and spec.name == "harm_serious" else bool(raw)
    if spec.kind == "clauses":
        values = sorted(set(raw or []))
        for value in values:
            clean_choice(value, spec.choices, label, blank=False)
        return values
    raise ValueError(spec.kind)


@transaction.atomic
def assessment_part_save(
    *, actor: User, assessment: Assessment, expected_version: int, part: str, values: dict
) -> Assessment:
    """Save one part (well-founded fear, persecution, State protection, relocation,
    exclusion, conclusion). A conclusion the findings do not support is refused with the
    rule it breaks."""
    if part not in PART_FIELDS:
        raise NotAllowed(_("Unknown part of the assessment."))
    specs = PART_FIELDS[part]
    cleaned = {spec.name: _value(spec, values.get(spec.name)) for spec in specs}
    before = begin_change(actor, assessment, expected_version)
    was_triggered = assessment.exclusion == Exclusion.TRIGGERED
    for name, value in cleaned.items():
        setattr(assessment, name, value)
    fields = list(cleaned)
    if part == Part.EXCLUSION and assessment.exclusion != Exclusion.TRIGGERED:
        assessment.exclusion_clauses = []
    if part == Part.CONCLUSION and assessment.conclusion:
        _refuse_inconsistent_conclusion(assessment)
    finish_change(actor, assessment, before, part, fields)
    if part == Part.EXCLUSION and assessment.exclusion == Exclusion.TRIGGERED and not was_triggered:
        # Art. 1F: exclusion is decided in its own assessment, never on a screening alone.
        assessment.exclusion_referred_at = timezone.now()
        assessment.exclusion_referred_by = actor
        assessment.save(update_fields=["exclusion_referred_at", "exclusion_referred_by"])
        record_event(
            actor, assessment, Verb.EXCLUSION_REFERRED, clauses=assessment.exclusion_clauses
        )
    return assessment


def _refuse_inconsistent_conclusion(assessment: Assessment) -> None:
    broken = [
        issue
        for issue in rules.check(findings(assessment))
        if issue.part == Part.CONCLUSION
        and issue.blocking
        and not issue.rule.endswith("_incomplete")
    ]
    if broken:
        raise NotAllowed(
            _("Refused: %(messages)s")
            % {"messages": " ".join(f"{i.message} ({i.source})" for i in broken)}
        )


# --- Convention grounds and complementary grounds ----------------------------------------


@dataclass
class GroundInput:
    ground: str
    finding: str = ""
    reasons: str = ""
    claimed: bool = False
    imputed: bool = False


@transaction.atomic
def assessment_nexus_save(
    *, actor: User, assessment: Assessment, expected_version: int, grounds: list[GroundInput]
) -> Assessment:
    """The five Convention grounds: claimed or not, established or not, imputed, and why."""
    given = {g.ground: g for g in grounds}
    if set(given) - set(Ground.values):
        raise NotAllowed(_("Unknown Convention ground."))
    for g in grounds:
        clean_choice(g.finding, Finding, _("finding"))
        g.reasons = clean_text(g.reasons, _("reasons"))
    before = begin_change(actor, assessment, expected_version)
    for row in assessment.nexus.all():
        g = given.get(row.ground)
        if g is None:
            continue
        row.claimed, row.finding, row.imputed, row.reasons = (
            g.claimed,
            g.finding,
            g.imputed,
            g.reasons,
        )
        row.save(update_fields=["claimed", "finding", "imputed", "reasons"])
    finish_change(actor, assessment, before, Part.NEXUS, [])
    return assessment


@transaction.atomic
def assessment_complementary_save(
    *, actor: User, assessment: Assessment, expected_version: int, grounds: list[GroundInput]
) -> Assessment:
    """The grounds of complementary protection of the application's procedure."""
    known = {g.id for g in rules.complementary_grounds(assessment.application.profile)}
    given = {g.ground: g for g in grounds}
    if set(given) - known:
        raise NotAllowed(_("Unknown ground of complementary protection."))
    for g in grounds:
        clean_choice(g.finding, Finding, _("finding"))
        g.reasons = clean_text(g.reasons, _("reasons"))
    before = begin_change(actor, assessment, expected_version)
    rows = {row.ground: row for row in assessment.complementary.all()}
    for ground, g in given.items():
        row = rows.get(ground) or ComplementaryFinding(assessment=assessment, ground=ground)
        row.finding, row.reasons = g.finding, g.reasons
        row.save()
    finish_change(actor, assessment, before, Part.COMPLEMENTARY, [])
    return assessment
