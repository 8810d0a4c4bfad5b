from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office


class ImportJob(models.Model):
    """One bulk registration import: the file, where it stands, and what came of it.

    Holds counts and the problems found (line, column, message), never the file's content.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        VALIDATING = "validating", _("Checking the file")
        WRITING = "writing", _("Registering")
        REFUSED = "refused", _("Refused: nothing was registered")
        DONE = "done", _("Registered")
        FAILED = "failed", _("Failed: nothing was registered")

    FINISHED = (Status.REFUSED, Status.DONE, Status.FAILED)

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    persons_created = models.PositiveIntegerField(default=0)
    cases_created = models.PositiveIntegerField(default=0)
    first_case_number = models.CharField(max_length=32, blank=True)
    last_case_number = models.CharField(max_length=32, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("registration import")
        verbose_name_plural = _("registration imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"import {self.uid} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
