"""Four eyes: where the office requires it, a supervisor other than the drafter approves
the assessment as it stands before the decision."""

import pytest
from django.http import Http404

from nansen.audit.models import CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.eligibility import services
from nansen.eligibility.models import Review, Status
from nansen.eligibility.selectors import assessment_blocks_decision, review_required
from nansen.eligibility.testing import complete_assessment


def require_review(personas, **rules):
    values = {"review_required": True, "review_profiles": [], "review_conclusions": []}
    values.update(rules)
    return services.eligibility_policy_set(
        actor=personas.supervisor, office=personas.tokyo, expected_version=None, **values
    )


def test_an_office_that_requires_review_blocks_the_decision_until_approval(personas, application):
    require_review(personas)
    assessment = complete_assessment(personas.officer, application)
    assert "supervisor's review" in assessment_blocks_decision(
        application=application, outcome="recognized"
    )
    services.assessment_submit(
        actor=personas.officer, assessment=assessment, expected_version=assessment.version
    )
    review = services.assessment_review(
        actor=personas.supervisor,
        assessment=assessment,
        expected_version=assessment.version,
        outcome="approved",
    )
    assert review.assessment_version == assessment.version
    assert assessment_blocks_decision(application=application, outcome="recognized") is None
    assert CaseEvent.objects.filter(
        verb="assessment_reviewed", object_id=assessment.pk, actor=personas.supervisor
    ).exists()


def test_a_change_after_approval_voids_it(personas, application):
    require_review(personas)
    assessment = complete_assessment(personas.officer, application)
    services.assessment_submit(
        actor=personas.officer, assessment=assessment, expected_version=assessment.version
    )
    services.assessment_review(
        actor=personas.supervisor,
        assessment=assessment,
        expected_version=assessment.version,
        outcome="approved",
    )
    services.assessment_part_save(
        actor=personas.officer,
        assessment=assessment,
        expected_version=assessment.version,
        part="fear",
        values={"fear": "established", "fear_reasons": "Changed after review."},
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    assert "supervisor's review" in assessment_blocks_decision(
        application=application, outcome="recognized"
    )
    event = CaseEvent.objects.filter(verb="assessment_changed").latest("pk")
    assert event.details["review_voided"] == "approved"


def test_the_drafter_cannot_review_their_own_assessment(personas, application):
    require_review(personas)
    assessment = complete_assessment(personas.supervisor, application)
    services.assessment_submit(
        actor=personas.supervisor, assessment=assessment, expected_version=assessment.version
    )
    with pytest.raises(NotAllowed, match="Four eyes"):
        services.assessment_review(
            actor=personas.supervisor,
            assessment=assessment,
            expected_version=assessment.version,
            outcome="approved",
        )


def test_an_eligibility_officer_cannot_review(personas, application):
    assessment = complete_assessment(personas.supervisor, application)
    services.assessment_submit(
        actor=personas.supervisor, assessment=assessment, expected_version=assessment.version
    )
    with pytest.raises(Http404):
        services.assessment_review(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            outcome="approved",
        )


def test_an_incomplete_assessment_cannot_be_submitted(personas, application):
    assessment = services.assessment_start(actor=personas.officer, application=application)
    with pytest.raises(NotAllowed, match="not complete"):
        services.assessment_submit(
            actor=personas.officer, assessment=assessment, expected_version=assessment.version
        )


def test_returning_an_assessment_says_what_must_change(personas, application):
    require_review(personas)
    assessment = complete_assessment(personas.officer, application)
    services.assessment_submit(
        actor=personas.officer, assessment=assessment, expected_version=assessment.version
    )
    with pytest.raises(NotAllowed, match="Say what must change"):
        services.assessment_review(
            actor=personas.supervisor,
            assessment=assessment,
            expected_version=assessment.version,
            outcome="returned",
        )
    services.assessment_review(
        actor=personas.supervisor,
        assessment=assessment,
        expected_version=assessment.version,
        outcome="returned",
        comments="Cite country information on the treatment of evaders.",
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED
    assert Review.objects.get().comments.startswith("Cite country information")


def test_review_can_be_required_for_a_procedure_or_a_conclusion(personas, application):
    assessment = complete_assessment(personas.officer, application)
    assert not review_required(assessment)
    require_review(personas, review_required=False, review_profiles=["jp-icrra"])
    assert review_required(assessment)
    require_review(personas, review_required=False, review_conclusions=["rejected"])
    assert not review_required(assessment)
    require_review(personas, review_required=False, review_conclusions=["recognized"])
    assert review_required(assessment)
