from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_profiles(app_configs=None, **kwargs):
    """Every procedure profile loads and passes its rules (see procedures.profiles)."""
    from nansen.procedures.profiles import ProfileError, profiles

    try:
        profiles()
    except ProfileError as exc:
        return [checks.Error(str(exc), id="nansen.E300", hint="Fix the profile file named.")]
    return []


class ProceduresConfig(AppConfig):
    name = "nansen.procedures"
    label = "procedures"
    verbose_name = _("Procedures")

    def ready(self):
        checks.register(check_profiles)
        from nansen.core.states import register_states
        from nansen.procedures.models import Stage

        register_states("application", Stage.choices)
