from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nansen.core"
    label = "core"
