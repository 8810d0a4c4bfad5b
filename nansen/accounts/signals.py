"""Receivers of Django's and django-axes' sign-in events: they write the audit log and track
sessions, nothing else (connected in AccountsConfig.ready())."""

from __future__ import annotations

from nansen.accounts import services
from nansen.accounts.models import User, UserSession
from nansen.audit.models import Channel
from nansen.audit.services import audit_record


def _user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def on_login(sender, request, user, **kwargs) -> None:
    services.user_session_start(request=request, user=user)
    audit_record(user=user, action="login", channel=Channel.AUTH, request=request)


def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    UserSession.objects.filter(session_key=request.session.session_key).delete()
    reason = getattr(request, "nansen_logout_reason", "")
    audit_record(
        user=user,
        action="logout",
        channel=Channel.AUTH,
        request=request,
        details={"reason": reason} if reason else None,
    )


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        user=_user_named(username),
        action="login_failed",
        channel=Channel.AUTH,
        request=request,
        username=username,
    )


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    username = str(username or "")[:150]
    audit_record(
        user=_user_named(username),
        action="locked_out",
        channel=Channel.AUTH,
        request=request,
        username=username,
    )
