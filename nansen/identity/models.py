from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.registration.models import Person


class NameKey(models.Model):
    """One comparison key of a person (a name skeleton, or a document), with the year of
    birth: the candidate index the registration check asks first."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    birth_year = models.SmallIntegerField(null=True)

    class Meta:
        # Covering (PostgreSQL): the check reads person ids from the index alone.
        indexes = [
            models.Index(fields=["key", "birth_year"], include=["person"], name="identity_key_year")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.key}"


class MatchProfile(models.Model):
    """What the matcher compares (nansen.identity.match_records.MatchRecord), kept beside the
    person so that scoring candidates reads one small row each."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    name_sig = models.CharField(max_length=400, db_index=True)
    record = models.JSONField()

    def __str__(self) -> str:
        return f"profile {self.person_id}"


class NameFrequency(models.Model):
    """How many persons bear exactly this name (spelling keys, any order): the registry's own
    term frequencies. The row with the empty name holds the number of persons."""

    name_sig = models.CharField(max_length=400, unique=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name_sig}: {self.count}"


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")
    MORE_INFO = "more_info", _("Needs more information")
    MERGED = "merged", _("Merged")


class PairSource(models.TextChoices):
    REGISTRATION = "registration", _("Registration check")
    LODGING = "lodging", _("Lodging check")
    BATCH = "batch", _("Batch run")


class CandidatePair(models.Model):
    """Two persons who may be one. Decided pairs are kept: "different persons" is never
    proposed again."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    score = models.FloatField(_("match probability"))
    evidence = models.JSONField(default=dict, blank=True)
    cluster = models.CharField(max_length=40, blank=True, db_index=True)
    source = models.CharField(max_length=12, choices=PairSource.choices)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="identity_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="identity_pair_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PairStatus.values), name="identity_pair_status"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="identity_pair_queue")]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.status})"


class PairDecision(models.Model):
    """Every decision on a pair, with who made it (the pair shows only the last)."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=12, choices=PairStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pair_id} {self.status}"


class MergeRecord(models.Model):
    """One merge of two person records: the absorbed record stays, marked by this row, and
    ``moved`` lists every reference that was moved, so that the merge can be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    absorbed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        CandidatePair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["absorbed"],
                condition=models.Q(unmerged_at__isnull=True),
                name="identity_absorbed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.absorbed_id} -> {self.survivor_id}"

    @property
    def active(self) -> bool:
        return self.unmerged_at is None


class AccessStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class AccessRequest(models.Model):
    """A supervisor's request to see a possible earlier registration in another office."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    other_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=AccessStatus.choices, default="open")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_office_id}->{self.to_office_id} {self.other_person_id}"


class MatchModel(models.Model):
    """A model trained with Splink on this registry (``nansen identity train``); the newest
    one is used, else the one shipped with Nansen."""

    created_at = models.DateTimeField(default=timezone.now)
    persons = models.PositiveIntegerField()
    threshold = models.FloatField()
    review_threshold = models.FloatField()
    splink = models.JSONField()
    # the batch run's second look (nansen.identity.registered_together): weights
    # re-estimated from the office's own decisions, empty while there are too few (the
    # shipped weights apply)
    together = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"model {self.pk} ({self.created_at:%Y-%m-%d})"


class DedupeRun(models.Model):
    """A batch run over the whole registry; its stages are resumable."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=20, default="export")
    workdir = models.CharField(max_length=500)
    persons = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.stage})"


class CheckLimit(models.Model):
    """An office's own limit on identity checks, per user and hour; offices without one
    take ``settings.NANSEN_IDENTITY_CHECKS_PER_HOUR``."""

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    per_hour = models.PositiveIntegerField(_("identity checks per user and hour"))

    def __str__(self) -> str:
        return f"{self.office_id}: {self.per_hour}/h"


class IdentityCheck(models.Model):
    """One identity check a user ran: what the hourly limit counts. ``query`` is the keyed
    hash of the normalised query (the same as in the audit entry), never the query."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    query = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="identity_check_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"


class Announcement(models.Model):
    """A possible earlier registration in an office the user may not see, as one check
    announced it to one user. The user is shown the office alone; the record announced stays
    here, and an access request names the announcement (by ``uid``), never the record."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    identity_check = models.ForeignKey(
        IdentityCheck, on_delete=models.CASCADE, related_name="announcements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The registered person checked (the repeat check); None for a person being typed.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "registration.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    # The likeliest of the office's records the check found.
    other_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.office_id}"
