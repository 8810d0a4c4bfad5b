from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nansen.demo"
    label = "demo"
