from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nansen.core"
    label = "core"

    def ready(self):
        # Registers the start-up check of the field-encryption keys.
        from nansen.core import crypto  # noqa: F401
