from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.roles import OFFICE_FREE_ACTIONS, Action, Role, actions_for
from nansen.core.reference import country_name, is_country


def validate_country(code: str) -> None:
    if not is_country(code):
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 alpha-3 country code."), params={"code": code}
        )


class Office(models.Model):
    class Kind(models.TextChoices):
        ASYLUM_AUTHORITY = "asylum_authority", _("Bureau of an asylum authority")
        UNHCR_OPERATION = "unhcr_operation", _("UNHCR operation")
        LEGAL_AID = "legal_aid", _("Legal-aid organisation")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short upper-case code used in case numbers, e.g. TKY."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    # OWASP ASVS 5.0 V7.3: each office sets how long its staff stay signed in.
    session_idle_minutes = models.PositiveIntegerField(
        _("idle session timeout (minutes)"),
        default=30,
        help_text=_("A session with no activity for this long ends."),
    )
    session_absolute_hours = models.PositiveIntegerField(
        _("maximum session length (hours)"),
        default=10,
        help_text=_("A session ends this long after sign-in, active or not."),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9]{2,8}$"), name="office_code_format"
            ),
            models.CheckConstraint(
                condition=models.Q(session_idle_minutes__gt=0), name="office_session_idle_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(session_absolute_hours__gt=0),
                name="office_session_absolute_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class RoleGrant(models.Model):
    """A role held by a user: only these count in what the user may do.

    Granted through ``nansen.accounts.administration``: never by the user themselves, and a
    role that opens personal data only once a second administrator approved it (four eyes;
    until then it waits as a ``PendingAccessChange``). ``requested_by`` and ``approved_by`` are
    empty for the first administrator (created with ``nansen accounts create-admin``) and for
    grants made before four eyes existed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="role_grant_not_requested_by_grantee",
            ),
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("user"))
                & ~models.Q(approved_by=models.F("requested_by")),
                name="role_grant_approved_by_a_second_administrator",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class PendingAccessChange(models.Model):
    """A change that opens personal data to a user, waiting for a second administrator: a
    role (``role``) or a move to another office (``office``), one of the two."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="pending_access_changes",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("change awaiting a second administrator")
        verbose_name_plural = _("changes awaiting a second administrator")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(office__isnull=False))
                | (~models.Q(role="") & models.Q(office__isnull=True)),
                name="access_change_role_or_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="access_change_not_by_the_user",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=~models.Q(role=""),
                name="one_pending_request_per_role",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(office__isnull=False),
                name="one_pending_office_move",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.what}"

    @property
    def what(self) -> str:
        if self.role:
            return str(_("role: %(role)s") % {"role": self.get_role_display()})
        return str(_("move to office %(office)s") % {"office": self.office})


class User(AbstractUser):
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # An administrator reset the password (or changed the address reset links go to); empty
    # again once the user has signed in with their second factor and a password of their own.
    # While set, no administrator may reset the second factor (administration.py).
    password_reset_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The password is a one-time password from an administrator: changed at the next sign-in,
    # after the second factor.
    password_must_change = models.BooleanField(default=False)
    # Set when an administrator removed the user's second factors: the user sets up a new
    # authenticator at the next sign-in. Empty again once they did.
    mfa_reset_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active or not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    @cached_property
    def allowed_actions(self) -> frozenset[Action]:
        return actions_for(self.roles)

    def may(self, action: Action) -> bool:
        """True when one of the user's roles allows the action (see roles.ROLE_ACTIONS).
        The superuser and staff flags play no part."""
        if action not in self.allowed_actions:
            return False
        return self.office_id is not None or action in OFFICE_FREE_ACTIONS

    # Django's model permissions and its superuser flag grant nothing in Nansen: roles do
    # (the admin asks ``may(Action.ADMINISTER)``, see accounts/admin.py).
    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once."""

    PREFIX = "nsn_"

    class Scope(models.TextChoices):
        # Chosen when the token is made, never defaulted: a token for a report or a
        # dashboard should not be able to change a case (OWASP ASVS 5.0 8.2.1).
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "read_write"]), name="api_token_has_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @classmethod
    def issue(
        cls, *, user: User, name: str, scope: str, days: int | None = None
    ) -> tuple[ApiToken, str]:
        if scope not in cls.Scope.values:
            raise ValueError(f"unknown token scope {scope!r}")
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            digest=_token_digest(raw),
            expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> ApiToken | None:
        """The usable token ``raw`` stands for, its user loaded, or None."""
        if not raw.startswith(cls.PREFIX):
            return None
        token = (
            cls.objects.usable()
            .select_related("user", "user__office")
            .filter(digest=_token_digest(raw))
            .first()
        )
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class UserSession(models.Model):
    """A signed-in browser session of a user, so that all of them can be ended at once
    (account disabled, second factor or password changed) and the user can see and end them.
    The session data stay in Django's store."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    user_agent_hash = models.CharField(max_length=64, blank=True)
    # Where the sign-in came from, shown on the user's own sessions page (OWASP ASVS 5.0
    # 7.5.2) so that they can tell a session that is not theirs. Gone when the session ends.
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
