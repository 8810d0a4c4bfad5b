"""Limits on guessing passwords at sign-in, beyond django-axes' lock.

django-axes locks an account *from one source* after AXES_FAILURE_LIMIT failures
(AXES_LOCKOUT_PARAMETERS = account and address together): an attacker locks only
themselves, never the account's owner elsewhere. What remains is handled here, before any
password is checked, from the failures django-axes records in its database
(AccessFailureLog: one row per failure, so the count holds across processes and servers):

- an account that keeps failing, from whatever sources, is slowed down: after
  SIGN_IN_SLOWDOWN_AFTER failures each further attempt must wait an interval that doubles
  with every failure, up to SIGN_IN_SLOWDOWN_MAX_SECONDS. It is never locked for good: once
  the interval has passed, the right password signs in.
- a source that fails SIGN_IN_SOURCE_FAILURE_LIMIT times within the cool-off time, on any
  accounts (password spraying: a few guesses on each of many accounts), is locked until
  its failures are older than the cool-off time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from nansen.accounts.models import User
from nansen.core.client_ip import client_address


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is refused before its password is looked at."""

    reason: str  # "account_slowed" or "source_locked"
    retry_after: int  # seconds


def _cool_off() -> timedelta:
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def slowdown_interval(failures: int) -> int:
    """Seconds an account that failed ``failures`` times waits between attempts."""
    beyond = failures - settings.SIGN_IN_SLOWDOWN_AFTER
    if beyond < 0:
        return 0
    return min(2**beyond, settings.SIGN_IN_SLOWDOWN_MAX_SECONDS)


def _account_refusal(username: str, now: datetime) -> Refusal | None:
    # Failures count since the account last signed in, and for a day at most.
    since = now - timedelta(hours=settings.SIGN_IN_SLOWDOWN_WINDOW_HOURS)
    last_login = User.objects.filter(username=username).values_list("last_login", flat=True)
    if last_login and last_login[0] is not None:
        since = max(since, last_login[0])
    seen = AccessFailureLog.objects.filter(username=username, attempt_time__gt=since).aggregate(
        failures=Count("id"), last=Max("attempt_time")
    )
    interval = slowdown_interval(seen["failures"])
    if not interval:
        return None
    wait = (seen["last"] + timedelta(seconds=interval) - now).total_seconds()
    return Refusal("account_slowed", math.ceil(wait)) if wait > 0 else None


def _source_refusal(address: str, now: datetime) -> Refusal | None:
    window = _cool_off()
    failures = AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gt=now - window
    ).count()
    if failures < settings.SIGN_IN_SOURCE_FAILURE_LIMIT:
        return None
    # The lock lifts as the failures age past the cool-off time; the whole cool-off time
    # is what to tell the client (never too short).
    return Refusal("source_locked", math.ceil(window.total_seconds()))


def sign_in_refusal(request, *, username: str | None) -> Refusal | None:
    """A refusal for this sign-in attempt, decided without its password, or None."""
    now = timezone.now()
    address = client_address(request)
    if address:
        refusal = _source_refusal(address, now)
        if refusal is not None:
            return refusal
    if username:
        return _account_refusal(username, now)
    return None
