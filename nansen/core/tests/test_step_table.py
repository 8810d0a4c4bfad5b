"""The declared step table (core.states.StepTable): what it allows, refuses and offers."""

from __future__ import annotations

import pytest
from django.db import models
from django.http import Http404

from nansen.core.permissions import NotAllowed
from nansen.core.states import StepTable, Transition


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    BROKEN = "broken", "Broken"


class Holder:
    """A user whose roles allow exactly ``actions``."""

    is_authenticated = True

    def __init__(self, *actions: str) -> None:
        self.actions = set(actions)

    def may(self, action: str) -> bool:
        return action in self.actions


GO = Transition(name="go", sources=frozenset({"red"}), target="green", action="drive", label="Go")
STOP = Transition(
    name="stop",
    sources=frozenset({"green"}),
    target="red",
    action="drive",
    refusal="Already stopped (“%(status)s”).",
)
BREAK = Transition(name="break", sources=frozenset(Light.values), target="broken", action="repair")
TABLE = StepTable(Light, (GO, STOP, BREAK), refusal="Not while “%(status)s”.")


def test_it_returns_an_allowed_step():
    assert TABLE.check("go", "red") is GO


def test_it_refuses_a_step_from_another_state_with_the_tables_words():
    with pytest.raises(NotAllowed) as refused:
        TABLE.check("go", "green")
    assert str(refused.value) == "Not while “Green”."


def test_it_refuses_with_the_steps_own_words_when_it_has_them():
    with pytest.raises(NotAllowed) as refused:
        TABLE.check("stop", "red")
    assert str(refused.value) == "Already stopped (“Red”)."


def test_it_refuses_an_unknown_step():
    with pytest.raises(NotAllowed) as refused:
        TABLE.check("fly", "red")
    assert str(refused.value) == "Unknown step."


def test_it_hides_a_step_from_an_actor_who_may_not_take_it():
    with pytest.raises(Http404):
        TABLE.check("go", "red", actor=Holder("repair"))


def test_it_asks_who_may_before_the_state():
    with pytest.raises(Http404):
        TABLE.check("go", "green", actor=Holder())


def test_it_lists_the_steps_from_a_state_in_declared_order():
    assert [s.name for s in TABLE.available("red")] == ["go", "break"]


def test_it_lists_only_the_steps_the_user_may_take():
    assert [s.name for s in TABLE.available("red", user=Holder("repair"))] == ["break"]


def test_it_says_whether_a_step_is_available():
    assert TABLE.allows("stop", "green") and not TABLE.allows("stop", "red")


def test_it_reads_like_a_dictionary_of_steps():
    assert (list(TABLE), TABLE["stop"], TABLE.get("fly"), "go" in TABLE) == (
        ["go", "stop", "break"],
        STOP,
        None,
        True,
    )


def test_it_refuses_a_step_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        StepTable(Light, (GO, GO), refusal="No.")


def test_it_refuses_a_step_to_an_unknown_state():
    fly = Transition(name="fly", sources=frozenset({"red"}), target="sky", action="drive")
    with pytest.raises(ValueError, match="names a state Light lacks"):
        StepTable(Light, (fly,), refusal="No.")


def test_it_refuses_a_step_that_could_be_refused_without_words():
    with pytest.raises(ValueError, match="no words to refuse it with"):
        StepTable(Light, (GO,))


def test_a_step_from_every_state_needs_no_words():
    assert StepTable(Light, (BREAK,)).check("break", "broken") is BREAK
