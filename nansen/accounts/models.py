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

from nansen.accounts.roles import Action, Role, actions_for
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
    """A role held by a user. Reference data managed in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class User(AbstractUser):
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
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
        """True when one of the user's roles allows the action (see roles.ROLE_ACTIONS)."""
        return self.office_id is not None and action in self.allowed_actions

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
