"""The states objects pass through: their names, and the declared steps between them.

The history stores states as codes (``lodged``, ``submitted``…) with the kind of object they
belong to; each app registers its codes' labels once, in its AppConfig.ready(), so the
timeline can show them in the reader's language without knowing every app.

A status that is not a procedure's stage (a referral's, an assessment's) changes only by a
step of a ``StepTable``: from which states, to which, who may take it, and the words of the
refusal when it is tried from another state. The services ask the table, and only it,
whether a step is allowed, and pages ask it which steps to offer. (A procedure's stages are
declared by its profile, in TOML, which also cites the law; see nansen.procedures.profiles.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from nansen.core.permissions import NotAllowed, require

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_LABELS: dict[tuple[str, str], StrOrPromise] = {("case", "registered"): _("Registered")}


def register_states(object_type: str, choices) -> None:
    """Register the labels of one kind of object's states, e.g. ("application", Stage.choices)."""
    for value, label in choices:
        _LABELS[(object_type, value)] = label


def state_label(object_type: str, state: str) -> str:
    if not state:
        return "—"
    label = _LABELS.get((object_type, state))
    if label is None:  # a state recorded on another object of the same case, e.g. a decision
        label = next((lbl for (_kind, value), lbl in _LABELS.items() if value == state), state)
    return str(label)


# --- declared steps ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Transition:
    """One step of a table: taken from one of ``sources``, it leads to ``target``; a user
    may take it if one of their roles allows ``action`` (an accounts.roles.Action)."""

    name: str
    sources: frozenset[str]
    target: str
    action: str
    label: StrOrPromise = ""
    # The refusal when the step is tried from another state, "%(status)s" naming that
    # state; the table's own wording when empty.
    refusal: StrOrPromise = ""


T = TypeVar("T", bound=Transition)

UNKNOWN_STEP = _("Unknown step.")


class StepTable(Generic[T]):
    """The steps of one kind of object's status, by name, in the order they are declared
    (pages offer them in that order)."""

    def __init__(
        self,
        states: type[models.TextChoices],
        steps: Iterable[T],
        *,
        refusal: StrOrPromise = "",
        unknown: StrOrPromise = UNKNOWN_STEP,
    ) -> None:
        self.states = states
        self.refusal = refusal
        self.unknown = unknown
        self._steps: dict[str, T] = {}
        for step in steps:
            self._declare(step)

    def _declare(self, step: T) -> None:
        # A table with a typo in it would refuse or allow the wrong steps in silence.
        if step.name in self._steps:
            raise ValueError(f"The step {step.name!r} is declared twice.")
        known = set(self.states.values)
        if not step.sources or not step.sources <= known or step.target not in known:
            raise ValueError(f"The step {step.name!r} names a state {self.states.__name__} lacks.")
        if step.sources != known and not (step.refusal or self.refusal):
            raise ValueError(f"The step {step.name!r} has no words to refuse it with.")
        self._steps[step.name] = step

    def __getitem__(self, name: str) -> T:
        return self._steps[name]

    def __contains__(self, name: object) -> bool:
        return name in self._steps

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def get(self, name: str) -> T | None:
        return self._steps.get(name)

    def values(self) -> list[T]:
        return list(self._steps.values())

    def check(self, name: str, current: str, *, actor=None) -> T:
        """The step ``name`` if it may be taken from the state ``current`` (by ``actor``,
        when given: 404 unless one of their roles allows it), else NotAllowed."""
        step = self._steps.get(name)
        if step is None:
            raise NotAllowed(str(self.unknown))
        if actor is not None:
            require(actor, step.action)
        if current not in step.sources:
            raise NotAllowed(
                str(step.refusal or self.refusal) % {"status": self.states(current).label}
            )
        return step

    def available(self, current: str, *, user=None) -> list[T]:
        """The steps that may be taken from the state ``current`` (by ``user``, when given)."""
        return [
            step
            for step in self._steps.values()
            if current in step.sources and (user is None or user.may(step.action))
        ]

    def allows(self, name: str, current: str, *, user=None) -> bool:
        """Whether the step ``name`` is among those ``available`` from ``current``."""
        return any(step.name == name for step in self.available(current, user=user))
