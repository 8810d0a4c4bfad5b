"""Accounts' write paths: sessions, one's own password and second factors. Each records who
did it. What administrators change is in administration.py.

The session keys below live in Django's session store; the middleware and the views read
them through these functions only.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts.models import Office, User, UserSession
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.client_ip import client_address

SIGNED_IN_AT = "nansen_signed_in_at"  # password accepted: the absolute timeout runs from here
SEEN_AT = "nansen_seen_at"  # last request, written at most every SEEN_EVERY
AUTHENTICATED_AT = "nansen_authenticated_at"  # last password + second factor (re-authentication)
PENDING_DEVICE = "nansen_mfa_pending_device"  # authenticator being set up, not yet confirmed
NEW_RECOVERY_CODES = "nansen_mfa_new_recovery_codes"  # shown once, then removed

SEEN_EVERY = 60  # seconds: the idle timeout is measured to the minute, not to the request
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper and typed by hand.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # two groups of five, about 49 bits
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def _now() -> float:
    return timezone.now().timestamp()


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


# Sessions ----------------------------------------------------------------------------------


def user_session_start(*, request, user: User) -> UserSession:
    """Track a session whose password step has just succeeded (``login()`` has given it a
    new key) and start its idle and absolute clocks."""
    now = timezone.now()
    session = request.session
    session[SIGNED_IN_AT] = session[SEEN_AT] = now.timestamp()
    if not session.session_key:
        session.save()
    agent = request.META.get("HTTP_USER_AGENT", "")
    tracked, _ = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "user_agent_hash": hashlib.sha256(agent.encode()).hexdigest() if agent else "",
            "remote_addr": client_address(request),
        },
    )
    # Rows of sessions that the session store has expired by now are no longer needed.
    forgotten = now - timedelta(seconds=settings.SESSION_COOKIE_AGE) - timedelta(days=1)
    UserSession.objects.filter(user=user, last_seen_at__lt=forgotten).delete()
    return tracked


def session_limits(user: User) -> tuple[timedelta, timedelta]:
    """(idle timeout, maximum length) for the user's sessions: their office's setting."""
    office = user.office
    if office is None:
        idle = Office._meta.get_field("session_idle_minutes").default
        absolute = Office._meta.get_field("session_absolute_hours").default
    else:
        idle, absolute = office.session_idle_minutes, office.session_absolute_hours
    return timedelta(minutes=idle), timedelta(hours=absolute)


def session_expiry(*, request, user: User) -> str | None:
    """Why the session must end now ("idle_timeout", "absolute_timeout"), or None."""
    session = request.session
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        return "absolute_timeout"  # a session from before these clocks existed
    idle, absolute = session_limits(user)
    now = _now()
    if now - signed_in_at > absolute.total_seconds():
        return "absolute_timeout"
    if now - seen_at > idle.total_seconds():
        return "idle_timeout"
    return None


def user_session_seen(*, request, user: User) -> None:
    """Note activity, at most once a minute, so that a busy page costs no writes."""
    now = _now()
    if now - request.session.get(SEEN_AT, 0) < SEEN_EVERY:
        return
    request.session[SEEN_AT] = now
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=datetime.fromtimestamp(now, tz=timezone.get_current_timezone())
    )


def session_rotate(request, *, password_changed_for: User | None = None) -> None:
    """A new session id when the session gains privilege (second factor, re-authentication),
    or after the user changed their password: then the new session also carries the new
    password's hash, so that it stays signed in."""
    old_key = request.session.session_key
    if password_changed_for is None:
        request.session.cycle_key()
    else:
        update_session_auth_hash(request, password_changed_for)  # cycles the key too
    if old_key:
        UserSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def session_authenticated(request) -> None:
    """Record that password and second factor were just given in this session."""
    request.session[AUTHENTICATED_AT] = _now()


def authenticated_within(request, seconds: int) -> bool:
    authenticated_at = request.session.get(AUTHENTICATED_AT)
    return authenticated_at is not None and _now() - authenticated_at <= seconds


@transaction.atomic
def user_sessions_end(
    *,
    user: User,
    reason: str,
    actor: User | None = None,
    keep_session_key: str | None = None,
    session_ids: list[int] | None = None,
    request=None,
) -> int:
    """End every session of ``user`` (only those of ``session_ids``, if given; never
    ``keep_session_key``, the one asking) and record it, as done by ``actor`` (None: the
    system). Returns how many were ended."""
    tracked = UserSession.objects.filter(user=user)
    if session_ids is not None:
        tracked = tracked.filter(pk__in=session_ids)
    if keep_session_key:
        tracked = tracked.exclude(session_key=keep_session_key)
    ended = dict(tracked.values_list("pk", "session_key"))
    store = _session_store()
    for key in ended.values():
        store(session_key=key).delete()
    UserSession.objects.filter(pk__in=ended).delete()
    details: dict[str, object] = {"reason": reason, "count": len(ended)}
    if session_ids is not None:
        details["sessions"] = sorted(ended)
    audit_record(
        user=actor,
        action="sessions_ended",
        channel=Channel.AUTH,
        request=request,
        object_type="user",
        object_id=user.pk,
        details=details,
    )
    return len(ended)


@transaction.atomic
def user_password_change(*, request, user: User, password: str) -> int:
    """The user's own new password (OWASP ASVS 5.0 6.2.2), already checked by the form. This
    session stays signed in under a new key; every other session of the user ends (7.4.3).
    Returns how many ended."""
    user.set_password(password)
    # Changed in a session that gave the second factor: whatever an administrator reset is
    # the user's own again.
    user.password_must_change = False
    user.password_reset_by = None
    user.save(update_fields=["password", "password_must_change", "password_reset_by"])
    session_rotate(request, password_changed_for=user)
    audit_record(user=user, action="password_changed", channel=Channel.AUTH, request=request)
    return user_sessions_end(
        user=user,
        reason="password_changed",
        actor=user,
        keep_session_key=request.session.session_key,
        request=request,
    )


# Second factors ----------------------------------------------------------------------------


def second_factor_given(*, user: User) -> None:
    """The user signed in with password and second factor. A password or address an
    administrator reset is the user's own again once they also chose a new password."""
    if user.password_reset_by_id is not None and not user.password_must_change:
        user.password_reset_by = None
        user.save(update_fields=["password_reset_by"])


def user_has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user: User, device_id: int | None) -> TOTPDevice:
    """The authenticator the user is setting up: the one started earlier in this session, or a
    new one with a fresh random key."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = pending.filter(pk=device_id).first() if device_id else None
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, without padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, request=None
) -> list[str] | None:
    """Confirm a new authenticator with a code it shows. It replaces any earlier one, comes with
    new recovery codes (returned, to be shown once), and ends the user's other sessions."""
    if device.user_id != user.pk or verify_token(user, device.persistent_id, token) is None:
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        if user.mfa_reset_by_id is not None:
            user.mfa_reset_by = None
            user.save(update_fields=["mfa_reset_by"])
        codes = _recovery_codes_issue(user=user)
        audit_record(user=user, action="mfa_enrolled", channel=Channel.AUTH, request=request)
        user_sessions_end(
            user=user,
            reason="mfa_enrolled",
            actor=user,
            keep_session_key=request.session.session_key if request is not None else None,
            request=request,
        )
    return codes


def _recovery_code_digest(code: str) -> str:
    # Stored keyed and hashed, never as typed (OWASP ASVS 5.0 6.5.2): reading the database is
    # not enough to use them. StaticToken.token holds 16 characters.
    normalized = "".join(code.split()).replace("-", "").lower()
    return salted_hmac("nansen.accounts.recovery-code", normalized).hexdigest()[:16]


def _recovery_code_new() -> str:
    raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_codes_issue(*, user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_recovery_code_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, request=None) -> list[str]:
    """New recovery codes replace all earlier ones (returned, to be shown once); the user's
    other sessions end, since a factor changed."""
    codes = _recovery_codes_issue(user=user)
    audit_record(
        user=user, action="recovery_codes_regenerated", channel=Channel.AUTH, request=request
    )
    user_sessions_end(
        user=user,
        reason="recovery_codes_regenerated",
        actor=user,
        keep_session_key=request.session.session_key if request is not None else None,
        request=request,
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _recovery_code_use(*, user: User, code: str) -> StaticDevice | None:
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not device.verify_is_allowed()[0]:
            return None
        used, _ = device.token_set.filter(token=_recovery_code_digest(code)).delete()
        if used:
            device.throttle_reset()
            return device
        device.throttle_increment()
        return None


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code``: six digits from the authenticator app (each code once:
    django-otp refuses a time step already used), or one of the recovery codes (used up)."""
    code = "".join(code.split())
    if code.isdigit() and len(code) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            return None
        return verify_token(user, device.persistent_id, code)
    return _recovery_code_use(user=user, code=code)


def second_factor_throttled(user: User) -> bool:
    """True while wrong codes have locked the user's factors for a while (django-otp doubles
    the wait after each wrong code)."""
    devices = [
        *TOTPDevice.objects.filter(user=user),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    return any(not device.verify_is_allowed()[0] for device in devices)
