from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "nansen.accounts"
    label = "accounts"
    verbose_name = _("Offices and users")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from nansen.accounts import signals

        user_logged_in.connect(signals.on_login, dispatch_uid="nansen_login")
        user_logged_out.connect(signals.on_logout, dispatch_uid="nansen_logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="nansen_login_failed")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="nansen_locked_out")
