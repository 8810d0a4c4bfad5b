from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from nansen.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nsn_…`` with a personal token (see ``nansen tokens``)."""

    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session, so the interactive docs work for a logged-in user."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
