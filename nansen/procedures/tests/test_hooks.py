"""The procedure engine imports none of the apps built on it; they answer its questions."""

from dataclasses import fields

import pytest
from django.core.exceptions import ImproperlyConfigured

from nansen.eligibility import selectors
from nansen.procedures.hooks import DecisionHooks, decision_hooks


def test_a_question_no_app_answers_stops_the_decision():
    with pytest.raises(ImproperlyConfigured):
        DecisionHooks().blocked(application=None, outcome="recognized", form="")


def test_the_eligibility_app_answers_every_question():
    answers = {getattr(decision_hooks, f.name) for f in fields(DecisionHooks)}
    assert answers == {
        selectors.assessment_blocks_decision,
        selectors.assessment_decision_form,
        selectors.decision_reasons_draft,
        selectors.decision_reasons_language,
    }
