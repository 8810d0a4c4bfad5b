"""Accounts' read paths."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from nansen.accounts.models import User, UserSession
from nansen.accounts.services import session_limits


def user_session_list(*, user: User, current_key: str | None = None) -> QuerySet[UserSession]:
    """The user's sessions still open by their office's timeouts, the one of ``current_key``
    first (marked ``is_current``), then the most recently active."""
    idle, absolute = session_limits(user)
    now = timezone.now()
    return (
        UserSession.objects.filter(
            user=user, last_seen_at__gte=now - idle, created_at__gte=now - absolute
        )
        .annotate(
            is_current=ExpressionWrapper(
                Q(session_key=current_key or ""), output_field=BooleanField()
            )
        )
        .order_by("-is_current", "-last_seen_at", "-pk")
    )
