"""The steps an assessment's status takes, in one table: from which statuses, to which, who
may take it, and the words of its refusal.

The services ask this table, and only it, whether a step is allowed (``STEPS.check``), and
the assessment's page offers the steps it lists. A change to any part is a step too: it
makes the assessment a draft again, voiding a review pending or given, so that a supervisor
always approves the assessment as it stands.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from nansen.accounts.roles import Action
from nansen.core.states import StepTable, Transition
from nansen.eligibility.models import ReviewOutcome, Status

S = Status

STEPS: StepTable[Transition] = StepTable(
    Status,
    (
        Transition(
            name="change",
            sources=frozenset(Status.values),
            target=S.DRAFT,
            action=Action.ASSESS_ELIGIBILITY,
        ),
        Transition(
            name="submit",
            sources=frozenset({S.DRAFT, S.RETURNED, S.APPROVED}),
            target=S.SUBMITTED,
            action=Action.ASSESS_ELIGIBILITY,
            refusal=gettext_lazy("The assessment is already awaiting review."),
        ),
        Transition(
            name="approve",
            sources=frozenset({S.SUBMITTED}),
            target=S.APPROVED,
            action=Action.REVIEW_ASSESSMENT,
        ),
        Transition(
            name="return",
            sources=frozenset({S.SUBMITTED}),
            target=S.RETURNED,
            action=Action.REVIEW_ASSESSMENT,
        ),
    ),
    refusal=gettext_lazy("The assessment has not been submitted for review."),
)

# The step a supervisor's review takes, by its outcome.
REVIEW_STEPS: dict[str, str] = {ReviewOutcome.APPROVED: "approve", ReviewOutcome.RETURNED: "return"}

# The statuses in which a review is pending or given: a change from one of them voids it.
REVIEWED = frozenset({S.SUBMITTED, S.APPROVED})
