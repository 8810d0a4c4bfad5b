from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "nansen.audit"
    label = "audit"
    verbose_name = _("History and audit")
