from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nansen.api"
    label = "api"
