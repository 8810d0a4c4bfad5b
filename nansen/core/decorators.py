from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def action_required(*actions):
    """Log in first; then 404 unless one of the user's roles allows one of ``actions``.

    Stacked, each decorator's actions are needed: one of the first and one of the second."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.user.may(action) for action in actions):
                raise Http404
            return view(request, *args, **kwargs)

        # Read by the authorisation-matrix test, which checks every page against its rule.
        wrapper.nansen_actions = frozenset(actions)
        return wrapper

    return decorator
