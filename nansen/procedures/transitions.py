"""The stages an application passes through at first instance, in one table.

The full procedure engine (jurisdiction profiles, deadlines, appeals) replaces this table with
profile data; the services already ask it, and only it, whether a step is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from nansen.accounts.roles import Action
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Stage


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Stage]
    target: Stage
    action: Action


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "record_interview",
            frozenset({Stage.LODGED, Stage.INTERVIEWED}),
            Stage.INTERVIEWED,
            Action.RECORD_INTERVIEW,
        ),
        Transition(
            "decide",
            frozenset({Stage.LODGED, Stage.INTERVIEWED}),
            Stage.DECIDED,
            Action.DECIDE_FIRST_INSTANCE,
        ),
    )
}


def transition_check(name: str, stage: str) -> Transition:
    transition = TRANSITIONS[name]
    if stage not in transition.sources:
        raise NotAllowed(
            _("This step is not possible at the stage “%(stage)s”.") % {"stage": Stage(stage).label}
        )
    return transition


def allowed_transitions(stage: str) -> set[str]:
    return {name for name, t in TRANSITIONS.items() if stage in t.sources}
