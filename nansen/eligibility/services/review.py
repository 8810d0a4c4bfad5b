"""Four eyes: submitting an assessment, a supervisor's review, the office's rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import audit_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.eligibility.models import (
    Assessment,
    Conclusion,
    EligibilityPolicy,
    Review,
    ReviewOutcome,
)
from nansen.eligibility.selectors import assessment_check
from nansen.eligibility.services._common import (
    clean_choice,
    clean_text,
    record_event,
    refuse_if_decided,
)
from nansen.eligibility.transitions import REVIEW_STEPS, STEPS

# --- four eyes --------------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, actor: User, assessment: Assessment, expected_version: int) -> Assessment:
    """Send a complete assessment to a supervisor for review."""
    step = STEPS["submit"]
    require(actor, step.action)
    refuse_if_decided(assessment.application)
    blocking = [i for i in assessment_check(assessment) if i.blocking]
    if blocking:
        raise NotAllowed(
            _("The assessment is not complete: %(issues)s")
            % {"issues": " ".join(i.message for i in blocking)}
        )
    STEPS.check(step.name, assessment.status)
    claim_version(assessment, expected_version)
    assessment.status = step.target
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    record_event(actor, assessment, Verb.ASSESSMENT_SUBMITTED)
    return assessment


@transaction.atomic
def assessment_review(
    *,
    actor: User,
    assessment: Assessment,
    expected_version: int,
    outcome: str,
    comments: str = "",
) -> Review:
    """A supervisor approves the assessment as it stands, or returns it with comments. The
    officer who submitted it cannot review it (four eyes)."""
    require(actor, Action.REVIEW_ASSESSMENT)
    refuse_if_decided(assessment.application)
    outcome = clean_choice(outcome, ReviewOutcome, _("review outcome"), blank=False)
    comments = clean_text(comments, _("comments"))
    step = STEPS.check(REVIEW_STEPS[outcome], assessment.status)
    if actor.pk in (assessment.submitted_by_id, assessment.updated_by_id):
        raise NotAllowed(
            _(
                "Four eyes: the assessment must be reviewed by someone other than the officer "
                "who drafted or submitted it."
            )
        )
    if outcome == ReviewOutcome.RETURNED and not comments:
        raise NotAllowed(_("Say what must change."))
    claim_version(assessment, expected_version)
    assessment.status = step.target
    assessment.save(update_fields=["status"])
    review = Review.objects.create(
        assessment=assessment,
        reviewer=actor,
        outcome=outcome,
        comments=comments,
        assessment_version=assessment.version,
    )
    record_event(actor, assessment, Verb.ASSESSMENT_REVIEWED, outcome=outcome)
    return review


@transaction.atomic
def eligibility_policy_set(
    *,
    actor: User,
    office: Office,
    expected_version: int | None,
    review_required: bool,
    review_profiles: list[str],
    review_conclusions: list[str],
) -> EligibilityPolicy:
    """Set when the office's assessments need a supervisor's review."""
    from nansen.procedures import profiles

    require(actor, Action.SET_ASSESSMENT_POLICY)
    if office.pk != actor.office_id:
        raise NotAllowed(_("Only the office's own settings can be changed."))
    known = set(profiles.profiles())
    if set(review_profiles) - known:
        raise NotAllowed(_("Unknown procedure."))
    for conclusion in review_conclusions:
        clean_choice(conclusion, Conclusion, _("conclusion"), blank=False)
    policy, created = EligibilityPolicy.objects.get_or_create(office=office)
    if not created:
        claim_version(policy, expected_version if expected_version is not None else policy.version)
    before = {
        "review_required": policy.review_required,
        "review_profiles": policy.review_profiles,
        "review_conclusions": policy.review_conclusions,
    }
    policy.review_required = review_required
    policy.review_profiles = sorted(set(review_profiles))
    policy.review_conclusions = sorted(set(review_conclusions))
    policy.save()
    audit_record(
        user=actor,
        action="eligibility_policy_changed",
        object_type="eligibilitypolicy",
        object_id=policy.pk,
        details={
            "before": before,
            "after": {
                "review_required": policy.review_required,
                "review_profiles": policy.review_profiles,
                "review_conclusions": policy.review_conclusions,
            },
        },
    )
    return policy
