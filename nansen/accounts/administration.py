"""Administering Nansen: offices, users, their roles, offices, passwords and second factors.

Every change here needs ``Action.ADMINISTER`` (an administrator's role, never Django's staff
or superuser flags) and is written to the audit chain. Administrators administer; they do not
read: no role here lets them see a person or a case, and they cannot give themselves one.

- No one changes their own roles or office, or resets their own password or second factor
  here (their own pages do the last two).
- A role that opens personal data (``roles.needs_second_administrator``), and a move to
  another office of a user holding such a role, take two administrators: one asks
  (``PendingAccessChange``), another approves; neither may be the user concerned.
- An administrator resets one way in at a time, never both: a password reset is refused while
  a second-factor reset waits for the user to set up a new authenticator, and the other way
  round. The one-time password of a reset is changed at the next sign-in, after the second
  factor. So an administrator cannot take over an account and sign in as its user.
"""

from __future__ import annotations

import getpass
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from nansen.accounts.models import Office, PendingAccessChange, RoleGrant, User
from nansen.accounts.roles import Action, Role, needs_second_administrator
from nansen.accounts.services import RECOVERY_CODE_ALPHABET, user_sessions_end
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.permissions import NotAllowed, require

# Read off paper and typed by hand, like recovery codes.
ONE_TIME_PASSWORD_GROUPS = 4  # of five characters: about 98 bits


def _temporary_password() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(5))
        for _ in range(ONE_TIME_PASSWORD_GROUPS)
    )
    return "-".join(groups)


def _not_oneself(actor: User, user: User, message: str) -> None:
    if actor.pk == user.pk:
        raise NotAllowed(message)


def _audit(actor: User, action: str, user: User | None, request, **details) -> None:
    audit_record(
        user=actor,
        action=action,
        channel=Channel.SERVICE,
        request=request,
        object_type="user" if user is not None else "",
        object_id=user.pk if user is not None else None,
        details=details or None,
    )


def _holds_personal_data_role(user: User) -> bool:
    return any(
        needs_second_administrator(role)
        for role in RoleGrant.objects.filter(user=user).values_list("role", flat=True)
    )


# Offices --------------------------------------------------------------------------------------


@transaction.atomic
def office_create(*, actor: User, office: Office, request=None) -> Office:
    """Save a new office (already validated by its form)."""
    require(actor, Action.ADMINISTER)
    office.save()
    audit_record(
        user=actor,
        action="office_created",
        request=request,
        object_type="office",
        object_id=office.pk,
        details={"code": office.code},
    )
    return office


@transaction.atomic
def office_update(*, actor: User, office: Office, fields: list[str], request=None) -> Office:
    """Save the changed ``fields`` of an office (already validated by its form)."""
    require(actor, Action.ADMINISTER)
    if fields:
        office.save(update_fields=fields)
        audit_record(
            user=actor,
            action="office_changed",
            request=request,
            object_type="office",
            object_id=office.pk,
            details={"fields": sorted(fields)},
        )
    return office


# Users ----------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    office: Office | None = None,
    request=None,
) -> tuple[User, str]:
    """A new user without roles, and a one-time password (returned, shown once, for the
    user) to be changed at the first sign-in, where they also set up their second factor."""
    require(actor, Action.ADMINISTER)
    password = _temporary_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        office=office,
        password_reset_by=actor,
        password_must_change=True,
    )
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    _audit(actor, "user_created", user, request, office=office.pk if office else None)
    return user, password


@transaction.atomic
def user_update(
    *, actor: User, user: User, first_name: str, last_name: str, email: str, request=None
) -> list[str]:
    """Correct a user's name or e-mail address; returns the fields changed. A new address is
    where password-reset links go, so it counts as a reset of the password (see
    ``user_password_reset``)."""
    require(actor, Action.ADMINISTER)
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    changes = {"first_name": first_name, "last_name": last_name, "email": email}
    changed = [field for field, value in changes.items() if getattr(user, field) != value]
    if not changed:
        return []
    if "email" in changed:
        _not_oneself(actor, user, _("Change your own address on your own pages."))
        _one_way_in_at_a_time(user, resetting="password")
        user.password_reset_by = actor
        changed.append("password_reset_by")
    for field in changed:
        if field in changes:
            setattr(user, field, changes[field])
    user.save(update_fields=changed)
    _audit(actor, "user_changed", user, request, fields=sorted(f for f in changed if f in changes))
    return changed


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request=None) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end now."""
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("Another administrator must disable your account."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _audit(actor, "user_deactivated", user, request)
    user_sessions_end(user=user, reason="account_disabled", actor=actor, request=request)


@transaction.atomic
def user_reactivate(*, actor: User, user: User, request=None) -> None:
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("Another administrator must enable your account."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit(actor, "user_reactivated", user, request)


@transaction.atomic
def user_office_change(
    *, actor: User, user: User, office: Office | None, request=None
) -> PendingAccessChange | None:
    """Move a user to ``office``. A user holding a role that opens personal data would see
    another office's persons and cases: that move waits for a second administrator (returned
    request). Other moves, and taking a user out of every office, take effect now (None)."""
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("Another administrator must change your office."))
    if office is not None and office.pk == user.office_id:
        return None
    if office is not None and _holds_personal_data_role(user):
        if PendingAccessChange.objects.filter(user=user, office__isnull=False).exists():
            raise NotAllowed(_("A move of this user to another office is already waiting."))
        pending = PendingAccessChange.objects.create(user=user, office=office, requested_by=actor)
        _audit(actor, "office_change_requested", user, request, office=office.pk)
        return pending
    _office_set(actor=actor, user=user, office=office, request=request)
    _audit(actor, "office_changed", user, request, office=office.pk if office else None)
    return None


def _office_set(*, actor: User, user: User, office: Office | None, request=None) -> None:
    user.office = office
    user.save(update_fields=["office"])
    # Pages opened in the old office's scope end with it.
    user_sessions_end(user=user, reason="office_changed", actor=actor, request=request)


# Passwords and second factors -----------------------------------------------------------------


def _one_way_in_at_a_time(user: User, *, resetting: str) -> None:
    """Refuse to reset one way in while the other one is still in an administrator's hands:
    otherwise whoever reset both could sign in as the user."""
    if resetting == "password" and user.mfa_reset_by_id is not None:
        raise NotAllowed(
            _(
                "This user's second factor was reset and they have not yet set up a new one. "
                "Their password can be reset once they have."
            )
        )
    if resetting == "mfa" and user.password_reset_by_id is not None:
        raise NotAllowed(
            _(
                "This user's password or e-mail address was reset and they have not yet "
                "signed in with their second factor since. Their second factor can be reset "
                "once they have."
            )
        )


@transaction.atomic
def user_password_reset(*, actor: User, user: User, request=None) -> str:
    """A one-time password for the user (returned, to be handed to them), to be changed at
    their next sign-in, after their second factor. Every session of theirs ends."""
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("Change your own password on your own pages."))
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    _one_way_in_at_a_time(user, resetting="password")
    password = _temporary_password()
    user.set_password(password)
    user.password_reset_by = actor
    user.password_must_change = True
    user.save(update_fields=["password", "password_reset_by", "password_must_change"])
    _audit(actor, "password_reset_by_administrator", user, request)
    user_sessions_end(user=user, reason="password_reset", actor=actor, request=request)
    return password


@transaction.atomic
def mfa_reset(*, actor: User, user: User, request=None) -> None:
    """Remove all of a user's second factors (a lost phone): at the next sign-in they must
    set up a new authenticator, with their own password. Their sessions end now."""
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("Replace your own authenticator on your own pages."))
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    _one_way_in_at_a_time(user, resetting="mfa")
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.mfa_reset_by = actor
    user.save(update_fields=["mfa_reset_by"])
    _audit(actor, "mfa_reset", user, request)
    user_sessions_end(user=user, reason="mfa_reset", actor=actor, request=request)


# Roles ----------------------------------------------------------------------------------------


def role_grant_check(*, actor: User, user: User, role: Role | str) -> None:
    """Raise NotAllowed with the reason when ``actor`` may not ask for ``role`` for ``user``."""
    require(actor, Action.ADMINISTER)
    _not_oneself(actor, user, _("No one grants a role to themselves."))
    if not user.is_active:
        raise NotAllowed(_("This account is disabled."))
    if RoleGrant.objects.filter(user=user, role=role).exists():
        raise NotAllowed(_("The user already holds this role."))
    if PendingAccessChange.objects.filter(user=user, role=role).exists():
        raise NotAllowed(_("This role already waits for a second administrator."))


@transaction.atomic
def role_grant_request(
    *, actor: User, user: User, role: Role | str, request=None
) -> RoleGrant | PendingAccessChange:
    """Give ``user`` a role. A role that opens personal data (or administers) waits for a
    second administrator (a PendingAccessChange is returned); any other is granted now."""
    role_grant_check(actor=actor, user=user, role=role)
    if needs_second_administrator(role):
        pending = PendingAccessChange.objects.create(user=user, role=role, requested_by=actor)
        _audit(actor, "role_grant_requested", user, request, role=str(role))
        return pending
    now = timezone.now()
    grant = RoleGrant.objects.create(
        user=user, role=role, requested_by=actor, requested_at=now, approved_at=now
    )
    _audit(actor, "role_granted", user, request, role=str(role))
    return grant


def _second_administrator(actor: User, pending: PendingAccessChange) -> None:
    require(actor, Action.ADMINISTER)
    if actor.pk == pending.requested_by_id:
        raise NotAllowed(_("A second administrator must approve what you asked for."))
    if actor.pk == pending.user_id:
        raise NotAllowed(_("No one approves a change to their own access."))


@transaction.atomic
def role_grant_approve(*, actor: User, pending: PendingAccessChange, request=None) -> RoleGrant:
    """The second administrator's approval: the role counts from now."""
    pending = PendingAccessChange.objects.select_for_update().get(pk=pending.pk, role__gt="")
    _second_administrator(actor, pending)
    grant = RoleGrant.objects.create(
        user=pending.user,
        role=pending.role,
        requested_by=pending.requested_by,
        requested_at=pending.requested_at,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    pending.delete()
    _audit(
        actor,
        "role_granted",
        grant.user,
        request,
        role=grant.role,
        requested_by=grant.requested_by_id,
        approved_by=actor.pk,
    )
    return grant


@transaction.atomic
def office_change_approve(*, actor: User, pending: PendingAccessChange, request=None) -> User:
    """The second administrator's approval: the user works in the new office from now."""
    pending = PendingAccessChange.objects.select_for_update().get(
        pk=pending.pk, office__isnull=False
    )
    _second_administrator(actor, pending)
    user, office = pending.user, pending.office
    _office_set(actor=actor, user=user, office=office, request=request)
    pending.delete()
    _audit(
        actor,
        "office_changed",
        user,
        request,
        office=office.pk,
        requested_by=pending.requested_by_id,
        approved_by=actor.pk,
    )
    return user


def access_change_approve(*, actor: User, pending: PendingAccessChange, request=None) -> None:
    if pending.role:
        role_grant_approve(actor=actor, pending=pending, request=request)
    else:
        office_change_approve(actor=actor, pending=pending, request=request)


@transaction.atomic
def access_change_refuse(*, actor: User, pending: PendingAccessChange, request=None) -> None:
    """Refuse (or, by the one who asked, withdraw) a change waiting for approval."""
    require(actor, Action.ADMINISTER)
    _audit(
        actor,
        "access_change_refused",
        pending.user,
        request,
        role=pending.role or None,
        office=pending.office_id,
        requested_by=pending.requested_by_id,
    )
    pending.delete()


@transaction.atomic
def role_grant_revoke(*, actor: User, grant: RoleGrant, request=None) -> None:
    """Take a role away; it counts no more from the user's next request."""
    require(actor, Action.ADMINISTER)
    _audit(actor, "role_revoked", grant.user, request, role=grant.role)
    grant.delete()


# The first administrator ----------------------------------------------------------------------


def active_administrators():
    return User.objects.filter(is_active=True, role_grants__role=Role.ADMINISTRATOR)


@transaction.atomic
def administrator_bootstrap(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    another: bool = False,
) -> User:
    """The first administrator, from the command line of the server (``nansen accounts
    create-admin``): whoever runs it already holds the database, so no second administrator
    approves. Refused when an active administrator exists, unless ``another`` (the second
    administrator whom four eyes need, or a way back in when all were lost). The password is
    the one given; the second factor is set up at the first sign-in."""
    if active_administrators().exists() and not another:
        raise NotAllowed(
            _("An active administrator exists already; use --another to create one more.")
        )
    if User.objects.filter(username=username).exists():
        raise NotAllowed(_("The user name %(username)s is taken.") % {"username": username})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleGrant.objects.create(user=user, role=Role.ADMINISTRATOR)
    audit_record(
        user=None,
        action="administrator_created",
        channel=Channel.COMMAND,
        object_type="user",
        object_id=user.pk,
        details={"another": another, "system_user": _system_user()},
    )
    return user


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
