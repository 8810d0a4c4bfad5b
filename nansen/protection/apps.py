from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "nansen.protection"
    label = "protection"
    verbose_name = _("Data protection")

    def ready(self):
        from nansen.protection.guard import guard_exception_use
        from nansen.registration.guard import guard_exceptions_set

        guard_exceptions_set(guard_exception_use)
