from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResettlementConfig(AppConfig):
    name = "nansen.resettlement"
    label = "resettlement"
    verbose_name = _("Resettlement and complementary pathways")

    def ready(self):
        from nansen.core.states import register_states
        from nansen.resettlement.models import ReferralStatus

        register_states("referral", ReferralStatus.choices)
