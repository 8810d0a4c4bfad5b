"""Drafting an assessment through the services: one per application, part by part, with
inconsistent conclusions refused, concurrent edits detected and the history written."""

import pytest
from django.http import Http404

from nansen.audit.models import CaseEvent
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed
from nansen.eligibility import services
from nansen.eligibility.models import Assessment, MaterialFact
from nansen.eligibility.selectors import assessment_check, is_complete
from nansen.eligibility.services import FactInput, GroundInput
from nansen.eligibility.testing import complete_assessment


def test_an_assessment_starts_with_the_five_grounds_and_the_procedures_complementary_grounds(
    personas, application
):
    assessment = services.assessment_start(actor=personas.officer, application=application)
    assert sorted(assessment.nexus.values_list("ground", flat=True)) == [
        "nationality",
        "political_opinion",
        "race",
        "religion",
        "social_group",
    ]
    # The Tokyo bureau follows the Japanese procedure, with its own complementary grounds.
    assert application.profile == "jp-icrra"
    assert set(assessment.complementary.values_list("ground", flat=True)) == {
        "torture",
        "indiscriminate_violence",
        "jp_complementary",
        "humanitarian",
    }
    assert CaseEvent.objects.filter(verb="assessment_started", object_id=assessment.pk).exists()


def test_one_assessment_per_application(personas, application):
    services.assessment_start(actor=personas.officer, application=application)
    with pytest.raises(NotAllowed, match="already has an assessment"):
        services.assessment_start(actor=personas.supervisor, application=application)


def test_only_eligibility_staff_draft_assessments(personas, application):
    for user in (personas.clerk, personas.appeals, personas.lawyer, personas.statistician):
        with pytest.raises(Http404):
            services.assessment_start(actor=user, application=application)


def test_the_reasons_are_encrypted_in_the_database(personas, application):
    assessment = services.assessment_start(actor=personas.officer, application=application)
    services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="fear",
        values={"fear": "established", "fear_reasons": "He would be arrested."},
    )
    stored = Assessment.objects.filter(pk=assessment.pk).values_list("fear_reasons", flat=True)
    assert "arrested" not in stored[0]
    assert Assessment.objects.get(pk=assessment.pk).fear_reasons == "He would be arrested."


def test_recognition_without_an_established_ground_is_refused(personas, application):
    assessment = complete_assessment(personas.officer, application)
    services.assessment_nexus_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        grounds=[GroundInput("political_opinion", "not_established", "No link.", True, False)],
    )
    issues = {i.rule for i in assessment_check(assessment)}
    assert "recognition_needs_nexus" in issues
    with pytest.raises(NotAllowed, match="Recognition needs a Convention ground"):
        services.assessment_part_save(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            part="conclusion",
            values={"conclusion": "recognized", "conclusion_reasons": "x"},
        )


def test_rejection_while_every_element_is_established_is_refused(personas, application):
    assessment = complete_assessment(personas.officer, application)
    with pytest.raises(NotAllowed, match="the claim cannot be rejected"):
        services.assessment_part_save(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            part="conclusion",
            values={"conclusion": "rejected", "conclusion_reasons": "No."},
        )
    assessment.refresh_from_db()
    assert assessment.conclusion == "recognized"


def test_exclusion_triggered_refers_the_case_and_bars_recognition(personas, application):
    assessment = complete_assessment(personas.officer, application)
    services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="exclusion",
        values={
            "exclusion": "triggered",
            "exclusion_clauses": ["a"],
            "exclusion_reasons": "Served in a unit accused of attacks on civilians.",
        },
    )
    assessment.refresh_from_db()
    assert assessment.exclusion_referred_by == personas.officer
    assert CaseEvent.objects.filter(verb="exclusion_referred", object_id=assessment.pk).exists()
    assert "exclusion_bars_recognition" in {i.rule for i in assessment_check(assessment)}
    with pytest.raises(NotAllowed, match="exclusion clause may apply"):
        services.assessment_part_save(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            part="conclusion",
            values={"conclusion": "recognized", "conclusion_reasons": "x"},
        )


def test_complementary_protection_needs_a_complementary_ground(personas, application):
    assessment = complete_assessment(personas.officer, application, conclusion="complementary")
    assert is_complete(assessment_check(assessment))
    services.assessment_complementary_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        grounds=[GroundInput("torture", "not_established", "No risk.")],
    )
    assert "complementary_needs_ground" in {i.rule for i in assessment_check(assessment)}


def test_a_rejected_fact_names_the_inconsistency_and_the_chance_to_explain(personas, application):
    assessment = complete_assessment(personas.officer, application)
    fact = services.fact_add(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        data=FactInput(
            statement="Detained in 2019.", credibility="rejected", reasons="Dates do not match."
        ),
    )
    assert "rejected_fact_names_inconsistency" in {i.rule for i in assessment_check(assessment)}
    services.fact_update(
        actor=personas.officer,
        fact=fact,
        expected_version=assessment.version,
        data=FactInput(
            statement="Detained in 2019.",
            credibility="rejected",
            reasons="Dates do not match.",
            inconsistency="Said 2019 at registration and 2021 at the interview.",
            explanation_sought=True,
            explanation="He was confused about dates.",
        ),
    )
    assert "rejected_fact_names_inconsistency" not in {i.rule for i in assessment_check(assessment)}


def test_a_save_based_on_an_old_version_is_refused(personas, application):
    assessment = services.assessment_start(actor=personas.officer, application=application)
    loaded = assessment.version
    services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=loaded,
        part="fear",
        values={"fear": "established", "fear_reasons": "First."},
    )
    other = Assessment.objects.get(pk=assessment.pk)
    with pytest.raises(ConcurrentEditError):
        services.assessment_part_save(
            actor=personas.supervisor,
            assessment=other,
            expected_version=loaded,
            part="fear",
            values={"fear": "not_established", "fear_reasons": "Second."},
        )
    assert Assessment.objects.get(pk=assessment.pk).fear_reasons == "First."


def test_a_citation_needs_a_pinpoint(personas, application, source):
    assessment = services.assessment_start(actor=personas.officer, application=application)
    with pytest.raises(NotAllowed, match="pinpoint"):
        services.citation_add(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            part="fear",
            source=source,
        )
    passage = source.passages.get(number=1)
    citation = services.citation_add(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="fear",
        source=source,
        passage=passage,
    )
    assert (citation.page, citation.paragraph) == ("", "1")


def test_the_assessment_is_closed_once_a_decision_stands(personas, application):
    from datetime import date

    from nansen.procedures.services import decision_record

    assessment = complete_assessment(personas.officer, application)
    decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="recognized",
        decided_on=date(2025, 3, 1),
        reasons="Reasons.",
    )
    with pytest.raises(NotAllowed, match="no longer be changed"):
        services.fact_add(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            data=FactInput(statement="Late fact."),
        )
    assert MaterialFact.objects.filter(assessment=assessment).count() == 1


def test_every_change_is_in_the_case_history(personas, application):
    assessment = complete_assessment(personas.officer, application)
    verbs = list(
        CaseEvent.objects.filter(object_type="assessment", object_id=assessment.pk)
        .order_by("at", "pk")
        .values_list("verb", "details__part")
    )
    assert verbs[0] == ("assessment_started", None)
    assert ("assessment_changed", "conclusion") in verbs
    assert all(isinstance(v, str) for v, _ in verbs)
