"""``assessment_blocks_decision``: a decision on the claim cannot be signed until the
assessment is complete, consistent, concludes the same outcome and, where the office
requires it, is approved by a supervisor (four eyes)."""

from nansen.eligibility import services
from nansen.eligibility.selectors import assessment_blocks_decision
from nansen.eligibility.testing import complete_assessment


def blocks(application, outcome="recognized"):
    return assessment_blocks_decision(application=application, outcome=outcome)


def test_no_assessment_blocks_a_decision_on_the_claim(application):
    assert "No eligibility assessment" in blocks(application)


def test_closing_a_file_needs_no_assessment(application):
    assert blocks(application, "closed") is None


def test_an_incomplete_assessment_blocks_and_says_what_is_missing(personas, application):
    services.assessment_start(actor=personas.officer, application=application)
    message = blocks(application)
    assert message.startswith("The eligibility assessment is not complete:")
    assert "Material facts and credibility: no material fact is recorded." in message
    assert "Well-founded fear: no finding; no reasons." in message
    assert "Conclusion: no finding; no reasons." in message


def test_an_inconsistent_assessment_blocks(personas, application):
    assessment = complete_assessment(personas.officer, application)
    services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="protection",
        values={"protection": "available", "protection_reasons": "Police would protect."},
    )
    assert "State protection cannot be available and effective" in blocks(application)


def test_the_decision_must_follow_the_conclusion(personas, application):
    complete_assessment(personas.officer, application)
    assert blocks(application, "rejected") == (
        "The eligibility assessment concludes “Recognized as a refugee”; the decision cannot "
        "be “Rejected”."
    )


def test_a_complete_assessment_lets_the_decision_be_signed(personas, application, source):
    complete_assessment(personas.officer, application, source=source)
    assert blocks(application) is None


def test_complementary_and_rejection_conclusions(personas, application):
    complete_assessment(personas.officer, application, conclusion="rejected")
    assert blocks(application, "rejected") is None
