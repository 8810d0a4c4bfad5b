"""The rules an assessment must keep, as data: what each part needs to be complete, and the
consistency rules between findings and conclusion, each with its legal source.

Sources cited:
  1951 Convention relating to the Status of Refugees, Art. 1A(2) (the definition) and 1F
  (exclusion).
  UNHCR, Handbook on Procedures and Criteria for Determining Refugee Status (reissued 2019),
  cited by paragraph.
  UNHCR Guidelines on International Protection No. 4 (HCR/GIP/03/04, 2003), internal flight
  or relocation alternative; No. 5 (HCR/GIP/03/05, 2003), exclusion; No. 10 (HCR/GIP/13/10,
  2014), military service; No. 12 (HCR/GIP/16/12, 2016), armed conflict and violence.
  EU Directive 2011/95/EU (Qualification Directive, "QD") Arts. 2(f), 7, 10(2), 15, as an
  example of complementary (subsidiary) protection grounds; EU Directive 2013/32/EU
  (Asylum Procedures Directive, "APD") Art. 16.
  Convention against Torture (CAT) Art. 3; ICCPR Arts. 6-7.
  Japan: Immigration Control and Refugee Recognition Act (ICRRA) Art. 2(iii-2)
  (complementary protection, from 1 December 2023).
  UNHCR's broader mandate: UNHCR, Note on the Mandate of the High Commissioner for Refugees
  and his Office (October 2013); UNHCR Resettlement Handbook (2011), "UNHCR's definition of
  a refugee under its mandate" (p. 19): persons outside their country and unable to return
  owing to serious and indiscriminate threats to life, physical integrity or freedom
  resulting from generalized violence or events seriously disturbing public order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nansen.eligibility.models import (
    Conclusion,
    Credibility,
    Exclusion,
    Finding,
    HarmAgent,
    Part,
    Protection,
    Relocation,
)

# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskProfile:
    id: str
    label: Promise


# The profiles of claims the consistency aids compare. UNHCR's eligibility guidelines and
# country positions speak of "risk profiles" in the same sense.
RISK_PROFILES = (
    RiskProfile("draft_evader", _("Draft evader, deserter or conscientious objector")),
    RiskProfile("political_opponent", _("Political opponent or activist")),
    RiskProfile("journalist", _("Journalist, writer or human rights defender")),
    RiskProfile("religious_minority", _("Member of a religious minority or convert")),
    RiskProfile("ethnic_minority", _("Member of an ethnic minority")),
    RiskProfile("lgbtiq", _("Person of diverse sexual orientation or gender identity")),
    RiskProfile("gender_based", _("Woman or girl at risk of gender-based violence")),
    RiskProfile("child", _("Child at risk (recruitment, trafficking, forced marriage)")),
    RiskProfile("family_member", _("Family member of a person of interest to the persecutor")),
    RiskProfile("civilian_conflict", _("Civilian from an area of armed conflict")),
    RiskProfile("stateless", _("Stateless person")),
    RiskProfile("trafficking", _("Victim of trafficking")),
    RiskProfile("other", _("Other profile")),
)
RISK_PROFILE_IDS = frozenset(p.id for p in RISK_PROFILES)


@dataclass(frozen=True)
class ComplementaryGround:
    id: str
    label: Promise
    source: str


# Grounds every procedure considers where refugee status is not established.
COMPLEMENTARY_GROUNDS = (
    ComplementaryGround(
        "torture",
        _(
            "Real risk of torture or cruel, inhuman or degrading treatment or punishment, or "
            "of the death penalty"
        ),
        "CAT Art. 3; ICCPR Arts. 6-7; QD Art. 15(a)-(b)",
    ),
    ComplementaryGround(
        "indiscriminate_violence",
        _(
            "Serious and individual threat to life or person from indiscriminate violence in "
            "armed conflict"
        ),
        "QD Art. 15(c); UNHCR Guidelines No. 12",
    ),
)
# Further grounds of a procedure profile (by its id in procedures/profiles/data).
PROFILE_COMPLEMENTARY_GROUNDS = {
    "jp-icrra": (
        ComplementaryGround(
            "jp_complementary",
            _(
                "Meets the refugee definition except the Convention ground (complementary "
                "protection under Japanese law)"
            ),
            "ICRRA Art. 2(iii-2)",
        ),
        ComplementaryGround(
            "humanitarian",
            _("Other humanitarian reasons to permit the applicant to stay"),
            "ICRRA Art. 61-2-2(2) (until 9 June 2024), Art. 50",
        ),
    ),
}


def complementary_grounds(profile_id: str) -> tuple[ComplementaryGround, ...]:
    return COMPLEMENTARY_GROUNDS + PROFILE_COMPLEMENTARY_GROUNDS.get(profile_id, ())


# --- what the rules read ---------------------------------------------------------------------


@dataclass
class FactView:
    number: int
    credibility: str
    has_reasons: bool
    has_inconsistency: bool
    explanation_sought: bool | None


@dataclass
class GroundView:
    ground: str
    label: str
    claimed: bool
    finding: str
    has_reasons: bool


@dataclass
class CitedSource:
    part: str
    published_on: date


@dataclass
class Findings:
    """Everything the rules look at, read once from the assessment (selectors.findings)."""

    facts: list[FactView] = field(default_factory=list)
    fear: str = ""
    fear_reasons: bool = False
    harm: bool = False
    harm_agent: str = ""
    harm_serious: bool | None = None
    persecution: str = ""
    persecution_reasons: bool = False
    nexus: list[GroundView] = field(default_factory=list)
    protection: str = ""
    protection_reasons: bool = False
    relocation: str = ""
    relocation_area: bool = False
    relocation_reasons: bool = False
    exclusion: str = ""
    exclusion_clauses: list[str] = field(default_factory=list)
    exclusion_reasons: bool = False
    complementary: list[GroundView] = field(default_factory=list)
    conclusion: str = ""
    conclusion_reasons: bool = False
    allowed_conclusions: list[str] = field(default_factory=list)
    cited: list[CitedSource] = field(default_factory=list)
    stale_before: date | None = None

    @property
    def credible_facts(self) -> bool:
        return any(
            f.credibility in (Credibility.ACCEPTED, Credibility.BENEFIT_OF_DOUBT)
            for f in self.facts
        )

    @property
    def established_grounds(self) -> list[str]:
        return [g.ground for g in self.nexus if g.finding == Finding.ESTABLISHED]

    @property
    def complementary_established(self) -> list[str]:
        return [g.ground for g in self.complementary if g.finding == Finding.ESTABLISHED]

    @property
    def refugee_elements(self) -> dict[str, bool]:
        """Each element of Art. 1A(2), and the exclusion screening, as established or not."""
        return {
            Part.FACTS: self.credible_facts,
            Part.FEAR: self.fear == Finding.ESTABLISHED,
            Part.PERSECUTION: self.persecution == Finding.ESTABLISHED,
            Part.NEXUS: bool(self.established_grounds),
            Part.PROTECTION: self.protection == Protection.NOT_AVAILABLE,
            Part.RELOCATION: self.relocation
            in (Relocation.NOT_APPLICABLE, Relocation.NOT_RELEVANT, Relocation.NOT_REASONABLE),
            Part.EXCLUSION: self.exclusion == Exclusion.NO_INDICATION,
        }

    @property
    def refugee(self) -> bool:
        return all(self.refugee_elements.values())

    @property
    def refugee_status_not_established(self) -> bool:
        """Refugee status under the 1951 Convention is not established: the grounds of
        complementary protection (under UNHCR's mandate, its broader criteria) are then
        considered."""
        return self.conclusion in (
            Conclusion.COMPLEMENTARY,
            Conclusion.REJECTED,
            Conclusion.RECOGNIZED_BROADER,
        )


# --- completeness ----------------------------------------------------------------------------


def _facts_missing(f: Findings) -> list[Promise]:
    if not f.facts:
        return [_("no material fact is recorded")]
    missing = []
    for fact in f.facts:
        if not fact.credibility:
            missing.append(_("fact %(n)s has no credibility finding") % {"n": fact.number})
        elif not fact.has_reasons:
            missing.append(_("fact %(n)s has no reasons") % {"n": fact.number})
    return missing


def _finding_and_reasons(finding: str, reasons: bool) -> list[Promise]:
    missing = []
    if not finding:
        missing.append(_("no finding"))
    if not reasons:
        missing.append(_("no reasons"))
    return missing


def _persecution_missing(f: Findings) -> list[Promise]:
    missing = _finding_and_reasons(f.persecution, f.persecution_reasons)
    if f.persecution == Finding.ESTABLISHED:
        if not f.harm:
            missing.append(_("the harm is not described"))
        if not f.harm_agent:
            missing.append(_("the agent of persecution is not named"))
        if f.harm_serious is None:
            missing.append(_("its seriousness is not assessed"))
    return missing


def _grounds_missing(grounds: list[GroundView], all_need_reasons: bool) -> list[Promise]:
    missing = []
    for g in grounds:
        if not g.finding:
            missing.append(_("“%(ground)s” has no finding") % {"ground": g.label})
        elif not g.has_reasons and (all_need_reasons or g.claimed or g.finding == "established"):
            missing.append(_("“%(ground)s” has no reasons") % {"ground": g.label})
    return missing


def _relocation_missing(f: Findings) -> list[Promise]:
    return _finding_and_reasons(f.relocation, f.relocation_reasons)


def _exclusion_missing(f: Findings) -> list[Promise]:
    missing = [] if f.exclusion else [_("not screened")]
    if f.exclusion == Exclusion.TRIGGERED and not f.exclusion_reasons:
        missing.append(_("no reasons"))
    return missing


def _complementary_missing(f: Findings) -> list[Promise]:
    if not f.refugee_status_not_established:
        return []
    if not f.complementary:
        return [_("not considered")]
    return _grounds_missing(f.complementary, all_need_reasons=True)


# What each part needs before it is complete (UNHCR Handbook para. 205: every element of the
# definition is examined, and the examiner states the conclusions reached).
PART_NEEDS: dict[str, Callable[[Findings], list[Promise]]] = {
    Part.FACTS: _facts_missing,
    Part.FEAR: lambda f: _finding_and_reasons(f.fear, f.fear_reasons),
    Part.PERSECUTION: _persecution_missing,
    Part.NEXUS: lambda f: _grounds_missing(f.nexus, all_need_reasons=False),
    Part.PROTECTION: lambda f: _finding_and_reasons(f.protection, f.protection_reasons),
    Part.RELOCATION: _relocation_missing,
    Part.EXCLUSION: _exclusion_missing,
    Part.COMPLEMENTARY: _complementary_missing,
    Part.CONCLUSION: lambda f: _finding_and_reasons(f.conclusion, f.conclusion_reasons),
}


# --- consistency -------------------------------------------------------------------------------

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    part: str
    severity: str
    source: str
    message: Promise
    broken: Callable[[Findings], bool]


def _recognized(f: Findings) -> bool:
    return f.conclusion == Conclusion.RECOGNIZED


def _broader(f: Findings) -> bool:
    return f.conclusion == Conclusion.RECOGNIZED_BROADER


BROADER_MANDATE = (
    "UNHCR Note on the Mandate of the High Commissioner (2013); UNHCR Resettlement Handbook "
    "(2011) p. 19"
)


RULES: tuple[Rule, ...] = (
    Rule(
        "recognition_needs_credible_facts",
        Part.CONCLUSION,
        ERROR,
        "UNHCR Handbook paras. 195-196, 203-204",
        _(
            "Recognition needs at least one material fact accepted, or accepted with the "
            "benefit of the doubt."
        ),
        lambda f: (_recognized(f) or _broader(f)) and not f.credible_facts,
    ),
    Rule(
        "recognition_needs_well_founded_fear",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1A(2); UNHCR Handbook paras. 37-42",
        _("Recognition needs a well-founded fear: the fear is not found well-founded."),
        lambda f: _recognized(f) and f.fear != Finding.ESTABLISHED,
    ),
    Rule(
        "recognition_needs_persecution",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1A(2); UNHCR Handbook paras. 51-55",
        _("Recognition needs persecution: the harm feared is not found to be persecution."),
        lambda f: _recognized(f) and f.persecution != Finding.ESTABLISHED,
    ),
    Rule(
        "recognition_needs_nexus",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1A(2); UNHCR Handbook paras. 66-67",
        _("Recognition needs a Convention ground: none of the five grounds is established."),
        lambda f: _recognized(f) and not f.established_grounds,
    ),
    Rule(
        "recognition_refused_when_state_protects",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1A(2); UNHCR Handbook paras. 97-100; QD Art. 7",
        _("Recognition is refused while State protection is found available and effective."),
        lambda f: _recognized(f) and f.protection == Protection.AVAILABLE,
    ),
    Rule(
        "recognition_refused_when_relocation_available",
        Part.CONCLUSION,
        ERROR,
        "UNHCR Guidelines No. 4, paras. 6-7",
        _(
            "Recognition is refused while an internal flight or relocation alternative is "
            "found relevant and reasonable."
        ),
        lambda f: _recognized(f) and f.relocation == Relocation.AVAILABLE,
    ),
    Rule(
        "exclusion_bars_recognition",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1F; UNHCR Handbook paras. 140-141; UNHCR Guidelines No. 5",
        _(
            "Recognition is refused while an exclusion clause may apply: the exclusion "
            "assessment must be concluded first."
        ),
        lambda f: (_recognized(f) or _broader(f)) and f.exclusion == Exclusion.TRIGGERED,
    ),
    Rule(
        "rejection_while_all_elements_established",
        Part.CONCLUSION,
        ERROR,
        "1951 Convention Art. 1A(2); UNHCR Handbook para. 28",
        _(
            "Every element of the refugee definition is established and no exclusion clause "
            "applies: the applicant is a refugee, the claim cannot be rejected."
        ),
        lambda f: f.conclusion == Conclusion.REJECTED and f.refugee,
    ),
    Rule(
        "complementary_while_refugee",
        Part.CONCLUSION,
        ERROR,
        "QD Art. 2(f); UNHCR Guidelines No. 12",
        _(
            "Every element of the refugee definition is established: refugee status comes "
            "before complementary protection."
        ),
        lambda f: f.conclusion == Conclusion.COMPLEMENTARY and f.refugee,
    ),
    Rule(
        "broader_mandate_while_refugee",
        Part.CONCLUSION,
        ERROR,
        f"1951 Convention Art. 1A(2); {BROADER_MANDATE}",
        _(
            "Every element of the refugee definition is established: recognition under the "
            "1951 Convention comes before UNHCR's broader mandate."
        ),
        lambda f: _broader(f) and f.refugee,
    ),
    Rule(
        "broader_mandate_needs_ground",
        Part.CONCLUSION,
        ERROR,
        BROADER_MANDATE,
        _(
            "Recognition under UNHCR's broader mandate needs a serious threat from "
            "indiscriminate violence or events seriously disturbing public order, or a real "
            "risk of torture or other serious harm, established."
        ),
        lambda f: _broader(f) and not f.complementary_established,
    ),
    Rule(
        "complementary_needs_ground",
        Part.CONCLUSION,
        ERROR,
        "QD Arts. 2(f), 15; CAT Art. 3; UNHCR Guidelines No. 12",
        _("Complementary protection needs one of its grounds established."),
        lambda f: f.conclusion == Conclusion.COMPLEMENTARY and not f.complementary_established,
    ),
    Rule(
        "rejection_while_complementary_ground_established",
        Part.CONCLUSION,
        ERROR,
        "CAT Art. 3; ICCPR Art. 7; QD Arts. 15, 18",
        _("A ground of complementary protection is established: the claim cannot be rejected."),
        lambda f: f.conclusion == Conclusion.REJECTED and bool(f.complementary_established),
    ),
    Rule(
        "conclusion_allowed_by_procedure",
        Part.CONCLUSION,
        ERROR,
        "the procedure profile's decisions",
        _("This procedure does not decide this outcome."),
        lambda f: bool(f.conclusion) and f.conclusion not in f.allowed_conclusions,
    ),
    Rule(
        "rejected_fact_names_inconsistency",
        Part.FACTS,
        ERROR,
        "APD Art. 16; UNHCR Handbook para. 199",
        _(
            "A rejected fact must name the inconsistency it rests on, and say whether the "
            "applicant was given the chance to explain it."
        ),
        lambda f: any(
            x.credibility == Credibility.REJECTED
            and (not x.has_inconsistency or x.explanation_sought is None)
            for x in f.facts
        ),
    ),
    Rule(
        "protection_from_persecuting_state",
        Part.PROTECTION,
        ERROR,
        "UNHCR Handbook para. 65; QD Art. 7",
        _(
            "State protection cannot be available and effective where the State itself is "
            "the only agent of persecution."
        ),
        lambda f: f.harm_agent == HarmAgent.STATE and f.protection == Protection.AVAILABLE,
    ),
    Rule(
        "relocation_names_area",
        Part.RELOCATION,
        ERROR,
        "UNHCR Guidelines No. 4, paras. 6-7, 34",
        _(
            "An internal flight or relocation alternative that is considered must name the "
            "proposed area."
        ),
        lambda f: (
            f.relocation
            in (Relocation.AVAILABLE, Relocation.NOT_REASONABLE, Relocation.NOT_RELEVANT)
            and not f.relocation_area
        ),
    ),
    Rule(
        "exclusion_triggered_names_clause",
        Part.EXCLUSION,
        ERROR,
        "1951 Convention Art. 1F; UNHCR Guidelines No. 5",
        _("An exclusion screening that finds a clause may apply must name the clause."),
        lambda f: f.exclusion == Exclusion.TRIGGERED and not f.exclusion_clauses,
    ),
    Rule(
        "relocation_where_state_persecutes",
        Part.RELOCATION,
        WARNING,
        "UNHCR Guidelines No. 4, paras. 13-14",
        _(
            "Where the State is the agent of persecution, a relocation alternative is "
            "presumed not to be available: the reasons must rebut the presumption."
        ),
        lambda f: (
            f.harm_agent in (HarmAgent.STATE, HarmAgent.BOTH)
            and f.relocation == Relocation.AVAILABLE
        ),
    ),
    Rule(
        "fear_without_country_information",
        Part.FEAR,
        WARNING,
        "UNHCR Handbook paras. 42, 204",
        _("The finding on the fear cites no country of origin information."),
        lambda f: bool(f.fear) and not any(c.part == Part.FEAR for c in f.cited),
    ),
    Rule(
        "stale_source_cited",
        Part.CONCLUSION,
        WARNING,
        "the office's rule on the age of country information",
        _("A cited source is older than the office's limit: check that it is still accurate."),
        lambda f: (
            f.stale_before is not None and any(c.published_on < f.stale_before for c in f.cited)
        ),
    ),
)


@dataclass
class Issue:
    rule: str
    part: str
    severity: str
    message: str
    source: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR


def check(findings: Findings) -> list[Issue]:
    """Every incomplete part and every broken rule, in the order of the parts."""
    issues = []
    for part, needs in PART_NEEDS.items():
        missing = needs(findings)
        if missing:
            issues.append(
                Issue(
                    rule=f"{part}_incomplete",
                    part=part,
                    severity=ERROR,
                    message=str(
                        _("%(part)s: %(missing)s.")
                        % {
                            "part": Part(part).label,
                            "missing": "; ".join(str(m) for m in missing),
                        }
                    ),
                )
            )
    for rule in RULES:
        if rule.broken(findings):
            issues.append(Issue(rule.id, rule.part, rule.severity, str(rule.message), rule.source))
    order = list(Part.values)
    return sorted(issues, key=lambda i: (order.index(i.part), i.severity != ERROR))
