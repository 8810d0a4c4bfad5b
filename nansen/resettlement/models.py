"""Pledges of places in third countries, and the referrals of cases that fill them.

A pledge is public information (a state's announcement), not personal data: every staff role
of every office sees pledges and their fulfilment in persons. A referral is personal data:
it is seen through its case (``Referral.objects.visible_to(user)``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office, validate_country
from nansen.core.reference import country_name
from nansen.registration.models import Case, Person


class ProgrammeType(models.TextChoices):
    RESETTLEMENT = "resettlement", _("Resettlement")
    HUMANITARIAN_ADMISSION = "humanitarian_admission", _("Humanitarian admission")
    SPONSORSHIP = "sponsorship", _("Private or community sponsorship")
    EDUCATION = "education", _("Education or scholarship pathway")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    LABOUR_MOBILITY = "labour_mobility", _("Labour mobility")


class SubmissionCategory(models.TextChoices):
    """UNHCR's resettlement submission categories (UNHCR Resettlement Handbook, 2011, ch. 6)."""

    PROTECTION_NEEDS = "protection_needs", _("Legal and/or physical protection needs")
    VIOLENCE_TORTURE = "violence_torture", _("Survivors of violence and/or torture")
    MEDICAL = "medical", _("Medical needs")
    WOMEN_GIRLS_AT_RISK = "women_girls_at_risk", _("Women and girls at risk")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    CHILDREN_AT_RISK = "children_at_risk", _("Children and adolescents at risk")
    NO_ALTERNATIVE = "no_alternative", _("Lack of foreseeable alternative durable solutions")


class Priority(models.TextChoices):
    """UNHCR's priority levels for a resettlement submission (Resettlement Handbook, 2011)."""

    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class ReferralStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")


# A referral is open until the family has arrived, or the referral was rejected or withdrawn;
# a case has at most one open referral at a time (a database constraint below).
OPEN_STATUSES = (
    ReferralStatus.IDENTIFIED,
    ReferralStatus.SUBMITTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DEPARTED,
)


class RejectionReason(models.TextChoices):
    CRITERIA = "criteria", _("Does not meet the programme's criteria")
    CREDIBILITY = "credibility", _("Credibility concerns")
    SECURITY = "security", _("Security screening")
    MEDICAL = "medical", _("Medical grounds")
    QUOTA = "quota", _("No place left in the programme")
    OTHER = "other", _("Other reason")


class WithdrawalReason(models.TextChoices):
    BY_REFUGEE = "by_refugee", _("The refugee no longer wishes to go")
    OTHER_SOLUTION = "other_solution", _("Another durable solution was found")
    NO_LONGER_IN_NEED = "no_longer_in_need", _("No longer in need of resettlement")
    FAMILY_CHANGE = "family_change", _("The family's composition changed")
    DECEASED = "deceased", _("Deceased")
    INTEGRITY = "integrity", _("Fraud or integrity concerns")
    OTHER = "other", _("Other reason")


def _countries(codes: list[str]) -> list[str]:
    return [country_name(code) for code in codes]


class PledgeTerms(models.Model):
    """What a pledge says; the pledge and each of its kept revisions carry these fields."""

    receiving_country = models.CharField(
        _("receiving country"), max_length=3, validators=[validate_country]
    )
    programme_type = models.CharField(_("programme"), max_length=32, choices=ProgrammeType.choices)
    title = models.CharField(_("title"), max_length=200)
    target_nationalities = models.JSONField(
        _("nationalities"),
        default=list,
        blank=True,
        help_text=_("Empty when the pledge is open to every nationality."),
    )
    target_first_asylum = models.JSONField(
        _("countries of first asylum"),
        default=list,
        blank=True,
        help_text=_("Where the refugees must be; empty when any country is accepted."),
    )
    target_groups = models.TextField(_("groups"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    places = models.PositiveIntegerField(
        _("places pledged"),
        null=True,
        blank=True,
        help_text=_("Persons, not cases. Empty while the number is not announced."),
    )
    announced_on = models.DateField(_("announced on"))
    source_title = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    eligible_outcomes = models.JSONField(
        _("statuses that may be submitted"),
        default=list,
        help_text=_(
            "The decisions an applicant's current status must be in to be submitted under "
            "this pledge."
        ),
    )

    class Meta:
        abstract = True

    @property
    def receiving_country_name(self) -> str:
        return country_name(self.receiving_country)

    @property
    def target_nationality_names(self) -> list[str]:
        return _countries(self.target_nationalities)

    @property
    def target_first_asylum_names(self) -> list[str]:
        return _countries(self.target_first_asylum)


TERMS_FIELDS = tuple(f.name for f in PledgeTerms._meta.local_fields)


class Pledge(PledgeTerms):
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-announced_on", "receiving_country", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme_type__in=ProgrammeType.values),
                name="pledge_programme_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="pledge_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receiving_country} · {self.title}"


class PledgeRevision(PledgeTerms):
    """One kept state of a pledge: number 1 as first recorded, then one per revision."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("why it was revised"), blank=True)
    revised_at = models.DateTimeField(default=timezone.now, editable=False)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("pledge revision")
        verbose_name_plural = _("pledge revisions")
        ordering = ["pledge", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="one_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} r{self.number}"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals are seen through their case."""
        return self.filter(case__in=Case.objects.visible_to(user))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


def _date_matches_status(status: str) -> models.Q:
    """A referral at a status carries the date it reached it."""
    return ~models.Q(status=status) | models.Q(**{f"{status}_on__isnull": False})


class Referral(models.Model):
    """A case, or chosen members of it, put forward for a programme or a pledge."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="referrals")
    persons = models.ManyToManyField(Person, through="ReferralMember", related_name="referrals")
    pledge = models.ForeignKey(
        Pledge,
        verbose_name=_("pledge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    programme_type = models.CharField(_("programme"), max_length=32, choices=ProgrammeType.choices)
    receiving_country = models.CharField(
        _("receiving country"), max_length=3, validators=[validate_country]
    )
    categories = models.JSONField(_("submission categories"), default=list, blank=True)
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.NORMAL
    )
    profile = models.JSONField(_("pathway profile"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.IDENTIFIED,
    )
    status_on = models.DateField(_("in this status since"))
    identified_on = models.DateField(_("identified on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    reason_details = models.TextField(_("details of the reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-identified_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "status_on"]),
            models.Index(fields=["pledge", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_referral_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values), name="referral_priority_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(programme_type__in=ProgrammeType.values),
                name="referral_programme_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=_date_matches_status(status), name=f"referral_{status}_dated"
                )
                for status in ReferralStatus.values
                if status != ReferralStatus.IDENTIFIED
            ),
            # A rejected or withdrawn referral says why; no other referral has such a reason.
            models.CheckConstraint(
                condition=models.Q(status=ReferralStatus.REJECTED, rejection_reason__gt="")
                | (~models.Q(status=ReferralStatus.REJECTED) & models.Q(rejection_reason="")),
                name="rejection_reason_iff_rejected",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ReferralStatus.WITHDRAWN, withdrawal_reason__gt="")
                | (~models.Q(status=ReferralStatus.WITHDRAWN) & models.Q(withdrawal_reason="")),
                name="withdrawal_reason_iff_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.receiving_country} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def receiving_country_name(self) -> str:
        return country_name(self.receiving_country)

    @property
    def category_labels(self) -> list[str]:
        labels = dict(SubmissionCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    def dates(self) -> list[tuple[str, object]]:
        """Each status the referral reached, with its date, in order."""
        return [
            (str(status.label), getattr(self, f"{status.value}_on"))
            for status in ReferralStatus
            if getattr(self, f"{status.value}_on") is not None
        ]


class ReferralMember(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referred person")
        verbose_name_plural = _("referred persons")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "person"], name="person_once_per_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} / {self.person_id}"
