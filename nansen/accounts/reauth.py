"""Re-authentication before sensitive actions (OWASP ASVS 5.0 7.5.3)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from nansen.accounts.services import authenticated_within

REAUTHENTICATE_URL_NAME = "accounts:reauthenticate"


def is_recent(request) -> bool:
    """True when password and second factor were given in this session within
    ``settings.REAUTHENTICATION_SECONDS`` (ten minutes)."""
    return authenticated_within(request, settings.REAUTHENTICATION_SECONDS)


def _return_to(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    # A form was posted: come back to the page that showed it, then submit it again.
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("procedures:dashboard")


def reauthentication_redirect(request):
    """Send the user to give password and second factor again, then back to this page."""
    url = reverse(REAUTHENTICATE_URL_NAME)
    return redirect(f"{url}?{urlencode({'next': _return_to(request)})}")


def reauthentication_required(view):
    """Ask for password and second factor again when the session's last full authentication is
    older than ``settings.REAUTHENTICATION_SECONDS``; otherwise run the view.

    Put it on every view that does something hard to undo or that lets much personal data
    leave: exports, erasure, role and account changes. It assumes a signed-in user (the
    session middleware has already made sure of that and of the second factor)::

        from nansen.accounts.reauth import reauthentication_required

        @require_POST
        @action_required(Action.PROTECT_DATA)
        @reauthentication_required
        def person_erase(request, pk): ...

    On a method (a ModelAdmin view, a class-based view), wrap it with Django's
    ``method_decorator(reauthentication_required)``.

    A GET comes back to the same URL after re-authentication. A POST (its form data cannot be
    replayed safely) comes back to the page that posted it (the Referer), where the user
    submits again; so keep the form on a page that itself is reachable by GET. For an action
    inside a view that cannot redirect at that point, test ``is_recent(request)`` and return
    ``reauthentication_redirect(request)``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_recent(request):
            return reauthentication_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper
