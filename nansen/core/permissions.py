"""The single check every service makes before it acts: may this user take this action?"""

from __future__ import annotations

from django.http import Http404


class NotAllowed(Exception):
    """A rule refuses the action; the message says which. Shown to the user as it is."""


def require(user, action) -> None:
    """Raise Http404 unless one of the user's roles allows ``action``.

    404 rather than 403: a user who may not act on something learns nothing about it.
    """
    if not getattr(user, "is_authenticated", False) or not user.may(action):
        raise Http404
