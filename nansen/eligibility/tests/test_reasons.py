"""``decision_reasons_draft``: the findings in order with their reasons and citations, which
the decision and its letter carry."""

from datetime import date

from django.utils import translation

from nansen.eligibility import services
from nansen.eligibility.selectors import decision_reasons_draft, decision_reasons_language
from nansen.eligibility.services import FactInput
from nansen.eligibility.testing import coi_source, complete_assessment


def test_the_draft_gives_the_findings_in_order_with_their_citations(personas, application, source):
    assessment = complete_assessment(personas.officer, application, source=source)
    services.citation_add(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="nexus",
        source=source,
        page="12",
        paragraph="3.4",
        quote="evaders are perceived as opponents",
    )
    draft = decision_reasons_draft(application=application)
    headings = [
        "1. Material facts and credibility",
        "2. Well-founded fear",
        "3. Persecution or serious harm",
        "4. Reasons for persecution (Convention grounds)",
        "5. State protection",
        "6. Internal flight or relocation alternative",
        "7. Exclusion (Article 1F)",
        "8. Conclusion",
    ]
    positions = [draft.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Political opinion (imputed) (claimed): Established. Evasion is seen as opposition." in (
        draft
    )
    assert (
        "European Union Agency for Asylum (EUAA), “Syria: Military service”, 2024-04-01, "
        "p. 12, para. 3.4: “evaders are perceived as opponents” "
        "<https://euaa.europa.eu/publications/syria-military-service>"
    ) in draft
    assert "2024-04-01, para. 1 <https://euaa.europa.eu" in draft  # the passage cited for fear
    assert draft.index("para. 1 <") < draft.index("3. Persecution")


def test_a_rejected_fact_shows_its_inconsistency_and_the_chance_to_explain(personas, application):
    assessment = complete_assessment(personas.officer, application)
    services.fact_add(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        data=FactInput(
            statement="Detained in 2019.",
            credibility="rejected",
            reasons="Not credible.",
            inconsistency="2019 at registration, 2021 at the interview.",
            explanation_sought=True,
            explanation="He mixed up the years.",
        ),
    )
    draft = decision_reasons_draft(application=application)
    assert "1.2 Detained in 2019.\nFinding: Rejected.\nInconsistency: 2019 at registration" in draft
    assert "The applicant was given the chance to explain it: yes." in draft
    assert "The applicant's explanation: He mixed up the years." in draft


def test_complementary_grounds_appear_when_refugee_status_is_not_established(personas, application):
    complete_assessment(personas.officer, application, conclusion="complementary")
    draft = decision_reasons_draft(application=application)
    assert "8. Complementary protection" in draft
    assert "– Real risk of torture or cruel, inhuman or degrading treatment" in draft


def test_the_draft_is_written_in_the_language_of_the_assessment(personas, application):
    assessment = complete_assessment(personas.officer, application)
    services.assessment_general_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        language="ja",
        risk_profile="draft_evader",
    )
    with translation.override("ar"):
        draft = decision_reasons_draft(application=application)
    assert draft.startswith("1. 重要な事実と信憑性")
    assert decision_reasons_language(application=application) == "ja"


def test_no_assessment_no_draft(application):
    assert decision_reasons_draft(application=application) == ""


def test_the_letter_carries_the_reasons_with_their_citations(personas, application, source):
    from nansen.procedures.letters import render_letter_html
    from nansen.procedures.services import decision_record

    complete_assessment(personas.officer, application, source=source)
    draft = decision_reasons_draft(application=application)
    decision = decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="recognized",
        decided_on=date(2025, 3, 1),
        reasons=draft,
    )
    html = render_letter_html(
        decision=decision,
        language="ar",
        notification_on=date(2025, 3, 3),
        addressee="A",
    )
    assert "“Syria: Military service”, 2024-04-01, para. 1" in html
    assert "Evaders returning are arrested and conscripted." in html


def test_a_stale_source_is_flagged_where_it_is_cited(personas, application, time_machine):
    time_machine.move_to(date(2026, 1, 15))
    old = coi_source(personas.officer, title="Old report", published_on=date(2023, 1, 1))
    assessment = complete_assessment(personas.officer, application, source=old)
    from nansen.eligibility.selectors import assessment_check

    (warning,) = [i for i in assessment_check(assessment) if i.rule == "stale_source_cited"]
    assert warning.severity == "warning"
