"""Data protection: disclosures to third parties, legal holds and retention rules."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office, validate_country
from nansen.procedures.models import Outcome
from nansen.registration.models import Case, Person


class RecipientKind(models.TextChoices):
    AUTHORITY = "authority", _("State authority (government, police, embassy, court)")
    UN_AGENCY = "un_agency", _("UN agency")
    NGO = "ngo", _("Non-governmental organisation")
    LAWYER = "lawyer", _("Lawyer or legal representative")
    RESETTLEMENT = "resettlement", _("Resettlement or admission country")
    OTHER = "other", _("Other")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("The person's informed consent")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the person or another person")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    MANDATE = "mandate", _("Performance of the office's mandate")
    PUBLIC_INTEREST = "public_interest", _("Important public interest, under the law")


class Disclosure(models.Model):
    """Information about persons shared with a third party, or an attempt that was refused."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    persons = models.ManyToManyField(Person, related_name="disclosures")
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=20, choices=RecipientKind.choices
    )
    recipient_country = models.CharField(
        _("recipient's country"),
        max_length=3,
        validators=[validate_country],
        help_text=_("Where the recipient is."),
    )
    acts_for_country = models.CharField(
        _("country the recipient acts for"),
        max_length=3,
        blank=True,
        validators=[validate_country],
        help_text=_(
            "The state it represents, if any (an embassy, a consulate, a liaison officer)."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    shared = models.TextField(_("what is shared"))
    refused = models.BooleanField(default=False)
    refusal_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """While a hold is on a case (litigation, investigation, a pending request), no personal
    data of its members may be erased or anonymised."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_hold_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.reason[:40]}"


class RetentionRule(models.Model):
    """How long an office keeps personal data after the last decision, by its outcome."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="retention_rules")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    years = models.PositiveSmallIntegerField(_("years after the decision"))

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["office", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["office", "outcome"], name="one_rule_per_outcome"),
            models.CheckConstraint(condition=models.Q(years__gte=1), name="retention_years_min"),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} {self.outcome}: {self.years}"


class GuardExceptionQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Approved, not expired, not yet used: the only exceptions the guard consults."""
        now = now or timezone.now()
        return self.filter(approved_at__isnull=False, expires_at__gt=now, used_at__isnull=True)


class GuardException(models.Model):
    """One sending about a case to a country the guard shields, allowed because the members
    concerned gave their informed consent (recorded here, with its words) and a supervisor
    other than who recorded it approved it (UNHCR Policy on the Protection of Personal Data
    of Persons of Concern, 2015, paras. 6.1 and 7.2). Used once, and only until it expires.
    """

    # An approval is for a sending about to happen, not a standing permission.
    VALID_FOR = timedelta(days=30)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="guard_exceptions")
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    road = models.CharField(
        _("road"),
        max_length=40,
        blank=True,
        help_text=_("What may be sent: a disclosure, a letter, a referral…"),
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    purpose = models.TextField(_("what is sent, and why"))
    consenting_persons = models.ManyToManyField(
        Person, related_name="+", verbose_name=_("who consented")
    )
    consent_wording = models.TextField(
        _("what the person was told and agreed to"),
        help_text=_(
            "The words of the consent, as read to the person in a language they understand."
        ),
    )
    consent_reference = models.CharField(
        _("reference of the signed consent"), max_length=200, blank=True
    )
    consent_given_on = models.DateField(_("consent given on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_on_road = models.CharField(max_length=40, blank=True)

    objects = GuardExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exception to the country-of-origin guard")
        verbose_name_plural = _("exceptions to the country-of-origin guard")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Four eyes: who records the consent never approves the exception.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("requested_by")),
                name="guard_exception_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True)
                | models.Q(approved_by__isnull=False, expires_at__isnull=False),
                name="guard_exception_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.country}"

    @property
    def status(self) -> str:
        if self.used_at is not None:
            return _("used")
        if self.approved_at is None:
            return _("awaiting a supervisor's approval")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("approved")

    def use(self, *, road: str, at) -> None:
        """Spend the exception on one sending (inside the road's transaction)."""
        self.used_at, self.used_on_road = at, road
        self.save(update_fields=["used_at", "used_on_road"])
