from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.registration.models import Case, Person


class Stage(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    INTERVIEWED = "interviewed", _("Interviewed")
    DECIDED = "decided", _("Decided at first instance")


class Instance(models.TextChoices):
    FIRST = "first", _("First instance")
    APPEAL = "appeal", _("Administrative review or appeal")
    JUDICIAL = "judicial", _("Judicial review")


class Outcome(models.TextChoices):
    """UNHCR's statistical decision categories (International Recommendations on Refugee
    Statistics; UNHCR asylum decisions: dec_recognized, dec_other, dec_rejected, dec_closed)."""

    RECOGNIZED = "recognized", _("Recognized as a refugee")
    COMPLEMENTARY = "complementary", _("Complementary protection")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Otherwise closed")


class ClosureReason(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABANDONED = "abandoned", _("Abandoned")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other reason")


SUBSTANTIVE_OUTCOMES = (Outcome.RECOGNIZED, Outcome.COMPLEMENTARY, Outcome.REJECTED)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user))


class Application(models.Model):
    """One person's claim for protection, lodged on a date, as part of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="applications")
    profile = models.CharField(_("procedure profile"), max_length=40, default="basic")
    lodged_on = models.DateField(_("date lodged"))
    ordinal = models.PositiveSmallIntegerField(
        _("application number"),
        help_text=_("1 for a first application, 2 for the first repeat application, and so on."),
    )
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LODGED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["lodged_on", "pk"]
        indexes = [models.Index(fields=["office", "lodged_on"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "ordinal"], name="one_nth_application"),
            models.CheckConstraint(condition=models.Q(ordinal__gte=1), name="ordinal_positive"),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="application_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} / {self.person} #{self.ordinal}"

    @property
    def is_repeat(self) -> bool:
        return self.ordinal > 1


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))


class Decision(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    instance = models.CharField(
        _("instance"), max_length=12, choices=Instance.choices, default=Instance.FIRST
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    decided_on = models.DateField(_("date of decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision maker"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    reasons = models.TextField(_("reasons"))
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["instance", "decided_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "instance"], name="one_decision_per_instance"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="decision_outcome_valid"
            ),
            # A closed file states why; a substantive decision has no closure reason.
            models.CheckConstraint(
                condition=(models.Q(outcome="closed") & ~models.Q(closure_reason=""))
                | (~models.Q(outcome="closed") & models.Q(closure_reason="")),
                name="closure_reason_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"
