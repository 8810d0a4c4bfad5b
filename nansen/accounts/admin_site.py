"""Nansen's admin site: open to administrators (``Action.ADMINISTER``), never to Django's
staff or superuser flags, with Nansen's own sign-in and password pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nansen.accounts.roles import Action


def administers(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.may(Action.ADMINISTER)


class AdministerPermissions:
    """For every ModelAdmin: an administrator may use it, and no one else, whatever Django's
    model permissions or superuser flag say. Narrow it further per model where needed."""

    def has_module_permission(self, request):
        return administers(request)

    def has_view_permission(self, request, obj=None):
        return administers(request)

    def has_add_permission(self, request):
        return administers(request)

    def has_change_permission(self, request, obj=None):
        return administers(request)

    def has_delete_permission(self, request, obj=None):
        return administers(request)


class NansenAdminSite(AdminSite):
    site_header = _("Nansen administration")
    site_title = _("Nansen administration")

    def has_permission(self, request):
        return administers(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        # What a signed-in user may not use answers 404, as everywhere in Nansen; Django's
        # own answer (the sign-in page again) is for visitors who have not signed in.
        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # One way in: Nansen's sign-in, with its second factor and lockout.
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), reverse("accounts:login")
        )

    def password_change(self, request, extra_context=None):
        # Nansen's page ends the user's other sessions and records the change.
        return redirect("accounts:password_change")

    def get_urls(self):
        # No "view on site" shortcut: it would answer, for any id of any model, whether the
        # record exists and where.
        return [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]


class NansenAdminConfig(AdminConfig):
    """Django's admin app with Nansen's site (listed in INSTALLED_APPS; this module is
    imported before models are ready, so it imports none)."""

    default_site = "nansen.accounts.admin_site.NansenAdminSite"

    def ready(self):
        super().ready()  # every app's admin module registered
        from django.contrib import admin
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Second factors are changed through services that end the user's sessions (the
        # user's own pages, or the admin's "reset second factor"), never edited by hand, and
        # no administrator sees anyone's authenticator key. Django's groups and permissions
        # are not used: roles decide (accounts/roles.py).
        for model in (TOTPDevice, StaticDevice, Group):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
