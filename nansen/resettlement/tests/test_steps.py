"""The referral's step table (transitions.STEPS): each step from the statuses it is taken
from, and refused from every other, in the words the referral's page shows."""

from __future__ import annotations

import pytest
from django.http import Http404

from nansen.accounts.roles import Action
from nansen.core.permissions import NotAllowed
from nansen.resettlement.models import ReferralStatus
from nansen.resettlement.transitions import STEPS

# (step, from, to), written out rather than read from the table they test.
ALLOWED = [
    ("submit", "identified", "submitted"),
    ("accept", "submitted", "accepted"),
    ("reject", "submitted", "rejected"),
    ("depart", "accepted", "departed"),
    ("arrive", "departed", "arrived"),
    ("withdraw", "identified", "withdrawn"),
    ("withdraw", "submitted", "withdrawn"),
    ("withdraw", "accepted", "withdrawn"),
]
REFUSED = [
    (step, status)
    for step in ("submit", "accept", "reject", "depart", "arrive", "withdraw")
    for status in ReferralStatus.values
    if not any(a[:2] == (step, status) for a in ALLOWED)
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


@pytest.mark.parametrize(("step", "status"), REFUSED)
def test_it_refuses_the_step(step, status):
    with pytest.raises(NotAllowed) as refused:
        STEPS.check(step, status)
    label = ReferralStatus(status).label
    assert str(refused.value) == f"This step is not possible while the referral is “{label}”."


def test_it_refuses_an_unknown_step():
    with pytest.raises(NotAllowed) as refused:
        STEPS.check("resettle", "identified")
    assert str(refused.value) == "Unknown step."


def test_withdrawal_is_the_caseworkers_step():
    with pytest.raises(Http404):
        STEPS.check("withdraw", "identified", actor=Holder(Action.SUBMIT_RESETTLEMENT))


def test_submission_is_the_resettlement_officers_step():
    with pytest.raises(Http404):
        STEPS.check("submit", "identified", actor=Holder(Action.REFER_RESETTLEMENT))


def test_it_offers_submission_and_withdrawal_of_a_referral_in_preparation():
    assert [s.name for s in STEPS.available("identified")] == ["submit", "withdraw"]


def test_it_offers_only_withdrawal_to_a_caseworker_who_may_not_submit():
    holder = Holder(Action.REFER_RESETTLEMENT)
    assert [s.name for s in STEPS.available("submitted", user=holder)] == ["withdraw"]


def test_it_offers_nothing_once_the_refugee_has_arrived():
    assert STEPS.available("arrived") == []


def test_each_step_dates_the_status_it_reaches():
    assert STEPS["depart"].date_field == "departed_on"
