"""What the procedure engine asks about a first-instance decision, answered by the app built
on it that assesses the claim.

The eligibility assessment (the eligibility app) is built on the procedure engine: it
imports procedures' models, so procedures does not import it. Eligibility answers these
questions by registering its selectors here from its AppConfig.ready(). A question no app
answers raises ImproperlyConfigured when it is asked, so that no decision is signed
unchecked because an app did not register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from django.core.exceptions import ImproperlyConfigured


def _unanswered(question: str) -> Callable:
    def ask(**kwargs):
        raise ImproperlyConfigured(
            f"No app answers the procedure engine's question {question!r}: "
            "the eligibility app registers it in its AppConfig.ready()."
        )

    return ask


@dataclass
class DecisionHooks:
    """The questions, each a keyword-only function of the application."""

    # (application, outcome, form) → why a decision with that outcome (of that kind) cannot
    # be signed yet, or None.
    blocked: Callable[..., str | None] = field(default_factory=lambda: _unanswered("blocked"))
    # (application, outcome) → the kind of decision the assessment calls for, or "".
    form: Callable[..., str] = field(default_factory=lambda: _unanswered("form"))
    # (application) → the reasons of the decision, drafted for the officer to edit.
    reasons_draft: Callable[..., str] = field(default_factory=lambda: _unanswered("reasons_draft"))
    # (application) → the language the reasons are written in, or None.
    reasons_language: Callable[..., str | None] = field(
        default_factory=lambda: _unanswered("reasons_language")
    )

    def register(self, **answers: Callable) -> None:
        """Answer some of the questions (by their names above)."""
        known = {f.name for f in fields(self)}
        for question, answer in answers.items():
            if question not in known:
                raise ImproperlyConfigured(f"The procedure engine asks no {question!r}.")
            setattr(self, question, answer)


decision_hooks = DecisionHooks()
