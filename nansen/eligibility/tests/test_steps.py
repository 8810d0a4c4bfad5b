"""The assessment's step table (transitions.STEPS): each step from the statuses it is taken
from, and refused from every other, in the words the assessment's page shows."""

from __future__ import annotations

import pytest

from nansen.accounts.roles import Action
from nansen.core.permissions import NotAllowed
from nansen.core.states import state_label
from nansen.eligibility.models import ReviewOutcome, Status
from nansen.eligibility.transitions import REVIEW_STEPS, STEPS

NOT_SUBMITTED = "The assessment has not been submitted for review."

# (step, from, to), written out rather than read from the table they test.
ALLOWED = [
    ("change", "draft", "draft"),
    ("change", "submitted", "draft"),
    ("change", "approved", "draft"),
    ("change", "returned", "draft"),
    ("submit", "draft", "submitted"),
    ("submit", "returned", "submitted"),
    ("submit", "approved", "submitted"),
    ("approve", "submitted", "approved"),
    ("return", "submitted", "returned"),
]
REFUSED = [
    ("submit", "submitted", "The assessment is already awaiting review."),
    ("approve", "draft", NOT_SUBMITTED),
    ("approve", "approved", NOT_SUBMITTED),
    ("approve", "returned", NOT_SUBMITTED),
    ("return", "draft", NOT_SUBMITTED),
    ("return", "approved", NOT_SUBMITTED),
    ("return", "returned", NOT_SUBMITTED),
]


class Holder:
    is_authenticated = True

    def __init__(self, *actions: str) -> None:
        self.actions = set(actions)

    def may(self, action: str) -> bool:
        return action in self.actions


@pytest.mark.parametrize(("step", "source", "target"), ALLOWED)
def test_it_allows_the_step(step, source, target):
    assert STEPS.check(step, source).target == target


@pytest.mark.parametrize(("step", "status", "refusal"), REFUSED)
def test_it_refuses_the_step(step, status, refusal):
    with pytest.raises(NotAllowed) as refused:
        STEPS.check(step, status)
    assert str(refused.value) == refusal


def test_every_step_is_allowed_or_refused_above():
    declared = {(step, status) for step in STEPS for status in Status.values}
    assert declared == {a[:2] for a in ALLOWED} | {r[:2] for r in REFUSED}


def test_the_officer_is_offered_changing_and_submitting_a_draft():
    holder = Holder(Action.ASSESS_ELIGIBILITY)
    assert [s.name for s in STEPS.available("draft", user=holder)] == ["change", "submit"]


def test_the_supervisor_is_offered_the_review_of_a_submitted_assessment():
    holder = Holder(Action.REVIEW_ASSESSMENT)
    assert [s.name for s in STEPS.available("submitted", user=holder)] == ["approve", "return"]


def test_each_review_outcome_is_a_step_to_the_status_of_that_name():
    assert {o: STEPS[REVIEW_STEPS[o]].target for o in ReviewOutcome} == {
        ReviewOutcome.APPROVED: Status.APPROVED,
        ReviewOutcome.RETURNED: Status.RETURNED,
    }


def test_the_case_history_names_the_assessments_own_statuses():
    assert state_label("assessment", "submitted") == "Awaiting the supervisor's review"
