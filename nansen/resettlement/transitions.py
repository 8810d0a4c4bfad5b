"""The steps a referral takes, in one table: from which statuses, to which, who may take it,
what it records in the case history, and which reason it needs.

The services ask this table, and only it, whether a step is allowed (``STEPS.check``), and
the referral's page offers the steps it lists (``STEPS.available``). Each status has its
date column on the referral (``submitted_on``…), set by the step that reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.core.states import StepTable, Transition
from nansen.resettlement.models import ReferralStatus, RejectionReason, WithdrawalReason

S = ReferralStatus


@dataclass(frozen=True, kw_only=True)
class Step(Transition):
    verb: Verb
    # The field that must say why, and its choices (rejection and withdrawal only).
    reason_field: str = ""
    reasons: type[models.TextChoices] | None = None
    # Rules checked before the step (see services.STEP_CHECKS).
    checks: tuple[str, ...] = ()

    @property
    def date_field(self) -> str:
        return f"{self.target}_on"


STEPS: StepTable[Step] = StepTable(
    ReferralStatus,
    (
        Step(
            name="submit",
            label=gettext_lazy("Submit to the receiving country"),
            sources=frozenset({S.IDENTIFIED}),
            target=S.SUBMITTED,
            action=Action.SUBMIT_RESETTLEMENT,
            verb=Verb.REFERRAL_SUBMITTED,
            checks=("eligible_status", "profile_complete"),
        ),
        Step(
            name="accept",
            label=gettext_lazy("Record acceptance"),
            sources=frozenset({S.SUBMITTED}),
            target=S.ACCEPTED,
            action=Action.SUBMIT_RESETTLEMENT,
            verb=Verb.REFERRAL_ACCEPTED,
        ),
        Step(
            name="reject",
            label=gettext_lazy("Record rejection"),
            sources=frozenset({S.SUBMITTED}),
            target=S.REJECTED,
            action=Action.SUBMIT_RESETTLEMENT,
            verb=Verb.REFERRAL_REJECTED,
            reason_field="rejection_reason",
            reasons=RejectionReason,
        ),
        Step(
            name="depart",
            label=gettext_lazy("Record departure"),
            sources=frozenset({S.ACCEPTED}),
            target=S.DEPARTED,
            action=Action.SUBMIT_RESETTLEMENT,
            verb=Verb.REFERRAL_DEPARTED,
        ),
        Step(
            name="arrive",
            label=gettext_lazy("Record arrival"),
            sources=frozenset({S.DEPARTED}),
            target=S.ARRIVED,
            action=Action.SUBMIT_RESETTLEMENT,
            verb=Verb.REFERRAL_ARRIVED,
        ),
        Step(
            name="withdraw",
            label=gettext_lazy("Withdraw the referral"),
            sources=frozenset({S.IDENTIFIED, S.SUBMITTED, S.ACCEPTED}),
            target=S.WITHDRAWN,
            action=Action.REFER_RESETTLEMENT,
            verb=Verb.REFERRAL_WITHDRAWN,
            reason_field="withdrawal_reason",
            reasons=WithdrawalReason,
        ),
    ),
    refusal=gettext_lazy("This step is not possible while the referral is “%(status)s”."),
)

# The order in which statuses are reached on the way to arrival; fulfilment counts a person
# at every stage they have passed ("reached"), so each count includes the later ones.
PROGRESS = (S.SUBMITTED, S.ACCEPTED, S.DEPARTED, S.ARRIVED)

# Details may be changed while the referral is still being prepared.
EDITABLE_STATUSES = frozenset({S.IDENTIFIED})
