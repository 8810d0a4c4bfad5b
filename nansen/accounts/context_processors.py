from __future__ import annotations

from django.utils.translation import get_language_bidi

from nansen import __version__
from nansen.accounts.roles import Action


def nansen(request) -> dict:
    user = getattr(request, "user", None)
    may = {}
    if user is not None and user.is_authenticated:
        may = {action.value: user.may(action) for action in Action}
    return {
        "nansen_version": __version__,
        "may": may,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
