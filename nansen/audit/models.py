from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.registration.models import Case


class Verb(models.TextChoices):
    """What happened, as the case timeline shows it."""

    CASE_REGISTERED = "case_registered", _("Case registered")
    MEMBER_ADDED = "member_added", _("Family member added")
    PERSON_UPDATED = "person_updated", _("Personal details corrected")
    REPRESENTATIVE_ADDED = "representative_added", _("Legal representative added")
    REPRESENTATIVE_REMOVED = "representative_removed", _("Legal representative removed")
    APPLICATION_LODGED = "application_lodged", _("Application lodged")
    INTERVIEW_RECORDED = "interview_recorded", _("Interview recorded")
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")


class CaseEvent(models.Model):
    """One state change in a case's history: who did what, when, from which state to which."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    state_before = models.CharField(max_length=40, blank=True)
    state_after = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verb} {self.at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    EXPORT = "export", _("Export")
    COMMAND = "command", _("Command line")
    AUTH = "auth", _("Sign-in")
    SERVICE = "service", _("Change")


class AuditHead(models.Model):
    """The single row that holds the end of the audit chain. Appending locks it, so the
    chain is one sequence even with many writers."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="single_audit_head"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash[:12]}"


class AuditEntry(models.Model):
    """One entry of the append-only audit log: who did or saw what, when, from where.

    Each entry's hash covers its content and the previous entry's hash; the database refuses
    updates and deletes (see the migration's triggers). Entries carry ids, never names.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    office_id = models.BigIntegerField(null=True, db_index=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    person_ids = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"
