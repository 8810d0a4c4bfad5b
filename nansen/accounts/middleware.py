"""Session policy: timeouts per office, and no page before the second factor."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from nansen.accounts import services

API_PREFIX = "/api/"


@cache
def _open_before_second_factor() -> tuple[str, ...]:
    """Path prefixes a signed-in user may open before giving the second factor."""
    return (
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:mfa_verify"),
        reverse("accounts:mfa_setup"),  # and its QR code
        reverse("accounts:password_reset"),  # and the rest of the reset
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


@cache
def _open_before_new_password() -> tuple[str, ...]:
    """Path prefixes open to a user whose password is one-time, from an administrator."""
    return (
        reverse("accounts:password_change"),
        reverse("accounts:logout"),
        reverse(
            "accounts:mfa_recovery_codes"
        ),  # shown once, right after setting up the authenticator
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


def _redirect(request, url: str):
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionPolicyMiddleware:
    """Ends a session past its office's idle or absolute timeout (OWASP ASVS 5.0 7.3), and
    keeps every page but sign-in, second factor, password reset and language choice out of
    reach until the session has given its second factor (ASVS 6.3.3); then, for a one-time
    password from an administrator, every page but the password change (ASVS 6.4.3). Goes after
    django-otp's OTPMiddleware and MessageMiddleware.

    The API authenticates each request with a token; a browser session that has not given
    its second factor is anonymous there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        reason = services.session_expiry(request=request, user=user)
        if reason is not None:
            request.nansen_logout_reason = reason
            logout(request)
            if path.startswith(API_PREFIX):
                return self.get_response(request)  # anonymous now; a token may still do
            if reason == "idle_timeout":
                messages.warning(request, _("You were signed out after a period of inactivity."))
            else:
                messages.warning(request, _("You were signed out: sessions have a maximum length."))
            return _redirect(request, f"{reverse('accounts:login')}?{urlencode({'next': path})}")
        services.user_session_seen(request=request, user=user)
        if user.is_verified():
            if user.password_must_change and not path.startswith(_open_before_new_password()):
                if path.startswith(API_PREFIX):
                    request.user = AnonymousUser()
                    return self.get_response(request)
                messages.info(request, _("Choose your own password to replace the one-time one."))
                return _redirect(request, reverse("accounts:password_change"))
            return self.get_response(request)
        if path.startswith(API_PREFIX):
            request.user = AnonymousUser()
            return self.get_response(request)
        if path.startswith(_open_before_second_factor()):
            return self.get_response(request)
        step = (
            "accounts:mfa_verify" if services.user_has_second_factor(user) else "accounts:mfa_setup"
        )
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return _redirect(request, f"{reverse(step)}?{urlencode({'next': next_url})}")
