from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "nansen.eligibility"
    label = "eligibility"
    verbose_name = _("Eligibility assessment")

    def ready(self):
        # The procedure engine asks the assessment about each first-instance decision; it
        # does not import this app, which is built on it (procedures.hooks).
        from nansen.core.states import register_states
        from nansen.eligibility import selectors
        from nansen.eligibility.models import Status
        from nansen.procedures.hooks import decision_hooks

        register_states("assessment", Status.choices)

        decision_hooks.register(
            blocked=selectors.assessment_blocks_decision,
            form=selectors.assessment_decision_form,
            reasons_draft=selectors.decision_reasons_draft,
            reasons_language=selectors.decision_reasons_language,
        )
