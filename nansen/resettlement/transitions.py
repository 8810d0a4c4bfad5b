"""The steps a referral takes, in one table: from which statuses, to which, who may take it,
what it records in the case history, and which reason it needs.

The services ask this table, and only it, whether a step is allowed. Each status has its
date column on the referral (``submitted_on``…), set by the step that reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.core.permissions import NotAllowed
from nansen.resettlement.models import ReferralStatus, RejectionReason, WithdrawalReason

S = ReferralStatus


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: ReferralStatus
    action: Action
    verb: Verb
    # The field that must say why, and its choices (rejection and withdrawal only).
    reason_field: str = ""
    reasons: type[models.TextChoices] | None = None
    # Rules checked before the step (see services.STEP_CHECKS).
    checks: tuple[str, ...] = ()

    @property
    def date_field(self) -> str:
        return f"{self.target.value}_on"


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit",
            gettext_lazy("Submit to the receiving country"),
            frozenset({S.IDENTIFIED}),
            S.SUBMITTED,
            Action.SUBMIT_RESETTLEMENT,
            Verb.REFERRAL_SUBMITTED,
            checks=("eligible_status", "profile_complete"),
        ),
        Step(
            "accept",
            gettext_lazy("Record acceptance"),
            frozenset({S.SUBMITTED}),
            S.ACCEPTED,
            Action.SUBMIT_RESETTLEMENT,
            Verb.REFERRAL_ACCEPTED,
        ),
        Step(
            "reject",
            gettext_lazy("Record rejection"),
            frozenset({S.SUBMITTED}),
            S.REJECTED,
            Action.SUBMIT_RESETTLEMENT,
            Verb.REFERRAL_REJECTED,
            reason_field="rejection_reason",
            reasons=RejectionReason,
        ),
        Step(
            "depart",
            gettext_lazy("Record departure"),
            frozenset({S.ACCEPTED}),
            S.DEPARTED,
            Action.SUBMIT_RESETTLEMENT,
            Verb.REFERRAL_DEPARTED,
        ),
        Step(
            "arrive",
            gettext_lazy("Record arrival"),
            frozenset({S.DEPARTED}),
            S.ARRIVED,
            Action.SUBMIT_RESETTLEMENT,
            Verb.REFERRAL_ARRIVED,
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdraw the referral"),
            frozenset({S.IDENTIFIED, S.SUBMITTED, S.ACCEPTED}),
            S.WITHDRAWN,
            Action.REFER_RESETTLEMENT,
            Verb.REFERRAL_WITHDRAWN,
            reason_field="withdrawal_reason",
            reasons=WithdrawalReason,
        ),
    )
}

# The order in which statuses are reached on the way to arrival; fulfilment counts a person
# at every stage they have passed ("reached"), so each count includes the later ones.
PROGRESS = (S.SUBMITTED, S.ACCEPTED, S.DEPARTED, S.ARRIVED)

# Details may be changed while the referral is still being prepared.
EDITABLE_STATUSES = frozenset({S.IDENTIFIED})


def step_check(name: str, status: str) -> Step:
    step = STEPS.get(name)
    if step is None:
        raise NotAllowed(_("Unknown step."))
    if status not in step.sources:
        raise NotAllowed(
            _("This step is not possible while the referral is “%(status)s”.")
            % {"status": ReferralStatus(status).label}
        )
    return step


def steps_from(status: str) -> list[Step]:
    return [step for step in STEPS.values() if status in step.sources]
