"""Building assessments in tests through the real services (also for other apps' tests,
e.g. the procedure engine's, once a decision needs a complete assessment)."""

from __future__ import annotations

from datetime import date

from nansen.coi.models import Source
from nansen.coi.services import SourceInput, source_add
from nansen.eligibility import services
from nansen.eligibility.models import Assessment, Conclusion, Ground, Part
from nansen.eligibility.rules import complementary_grounds
from nansen.eligibility.services import FactInput, GroundInput
from nansen.procedures.models import Application


def coi_source(actor, **overrides) -> Source:
    values = {
        "title": "Syria: Military service",
        "publisher": "European Union Agency for Asylum (EUAA)",
        "published_on": date(2024, 4, 1),
        "countries": ["SYR"],
        "topics": ["military service"],
        "url": "https://euaa.europa.eu/publications/syria-military-service",
        "text": (
            "Men who evaded military service and return to Syria risk arrest, forced "
            "conscription and ill-treatment in detention.\n\n"
            "The army is deployed along the border."
        ),
    }
    values.update(overrides)
    return source_add(actor=actor, data=SourceInput(**values))


def complete_assessment(
    actor,
    application: Application,
    *,
    conclusion: str = Conclusion.RECOGNIZED,
    source: Source | None = None,
) -> Assessment:
    """A complete, consistent assessment concluding ``conclusion`` (recognition of a
    draft evader seen as a political opponent; for complementary protection, recognition
    under UNHCR's broader mandate and rejection the Convention ground or the fear is not
    established; complementary protection rests on a risk of torture, the broader mandate on
    indiscriminate violence). An existing assessment of the application is revised to that
    conclusion (as after an appeal sends a claim back)."""
    existing = Assessment.objects.filter(application=application).first()
    assessment = existing or services.assessment_start(
        actor=actor, application=application, risk_profile="draft_evader"
    )

    def version() -> int:
        assessment.refresh_from_db(fields=["version"])
        return assessment.version

    recognized = conclusion == Conclusion.RECOGNIZED
    rejected = conclusion == Conclusion.REJECTED
    if existing is None:
        services.fact_add(
            actor=actor,
            assessment=assessment,
            expected_version=version(),
            data=FactInput(
                statement="The applicant was called up for reserve service in 2023 and left "
                "Syria instead of reporting.",
                evidence="Call-up paper; consistent statements at the interview.",
                evidence_kinds=["statement", "document"],
                credibility="accepted",
                reasons="Detailed, consistent and in line with country information.",
            ),
        )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.FEAR,
        values={
            "fear": "not_established" if rejected else "established",
            "fear_reasons": "Evaders returning are arrested and conscripted.",
        },
    )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.PERSECUTION,
        values={
            "harm": "Detention, ill-treatment, forced conscription.",
            "harm_agent": "state",
            "harm_serious": True,
            "harm_cumulative": False,
            "persecution": "established",
            "persecution_reasons": "Torture in detention is persecution.",
        },
    )
    services.assessment_nexus_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        grounds=[
            GroundInput(
                ground=g,
                finding="established"
                if g == Ground.POLITICAL_OPINION and recognized
                else "not_established",
                claimed=g == Ground.POLITICAL_OPINION,
                imputed=g == Ground.POLITICAL_OPINION,
                reasons="Evasion is seen as opposition." if g == Ground.POLITICAL_OPINION else "",
            )
            for g in Ground.values
        ],
    )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.PROTECTION,
        values={
            "protection": "not_available",
            "protection_reasons": "The State is the persecutor.",
        },
    )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.RELOCATION,
        values={
            "relocation": "not_applicable",
            "relocation_reasons": "The State controls the whole territory it would return "
            "the applicant to.",
        },
    )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.EXCLUSION,
        values={"exclusion": "no_indication", "exclusion_reasons": ""},
    )
    if not recognized:
        services.assessment_complementary_save(
            actor=actor,
            assessment=assessment,
            expected_version=version(),
            grounds=[
                GroundInput(
                    ground=g.id,
                    finding="established"
                    if (conclusion, g.id)
                    in (
                        (Conclusion.COMPLEMENTARY, "torture"),
                        (Conclusion.RECOGNIZED_BROADER, "indiscriminate_violence"),
                    )
                    else "not_established",
                    reasons="Assessed on the country information.",
                )
                for g in complementary_grounds(application.profile)
            ],
        )
    if source is not None:
        services.citation_add(
            actor=actor,
            assessment=assessment,
            expected_version=version(),
            part=Part.FEAR,
            source=source,
            passage=source.passages.order_by("number").first(),
        )
    services.assessment_part_save(
        actor=actor,
        assessment=assessment,
        expected_version=version(),
        part=Part.CONCLUSION,
        values={"conclusion": conclusion, "conclusion_reasons": "As found above."},
    )
    assessment.refresh_from_db()
    return assessment
