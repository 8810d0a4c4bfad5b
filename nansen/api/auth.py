from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from nansen.accounts.models import ApiToken

# Methods that only read. Every other method changes something, whichever operation it
# reaches, so the scope is enforced here once rather than in each operation.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nsn_…`` with a personal token (see ``nansen tokens``).

    A read-only token is refused (403) on any method that is not a read, before the
    operation runs; ``request.api_token_scope`` says which scope a request came with."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token_scope = api_token.scope
        if request.method not in READING_METHODS and not api_token.may_write:
            # request.user is set, so the refusal is recorded (RefusalAuditMiddleware).
            raise HttpError(
                403, _("This API token may only read. Changes need a read-and-write token.")
            )
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session, so the interactive docs work for a logged-in user."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
