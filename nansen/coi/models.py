"""The country-of-origin information library: dated, sourced reports that assessments cite.

COI is not personal data: the library is shared by every office, and who added or changed
each source is recorded (``SourceChange`` and the audit log). A source's text is split into
passages (paragraphs, with their page where the file has pages); the full-text index is
over passages, so a search answers with the paragraph that matches and an assessment can
cite it with a pinpoint.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.core.weblinks import validate_web_url


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"
    TEXT = "text", _("Text")


class Topic(models.Model):
    """A subject a source covers, e.g. "military service", "treatment of returnees"."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceQuerySet(models.QuerySet):
    def for_country(self, code: str) -> SourceQuerySet:
        return self.filter(countries__country=code)


class Source(models.Model):
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("author or publisher"), max_length=300)
    published_on = models.DateField(_("date of publication"))
    url = models.URLField(
        _("address (URL)"), max_length=1000, blank=True, validators=[validate_web_url]
    )
    # ISO 639-3; decides how the text is indexed (see coi.analysis).
    language = models.CharField(_("language of the text"), max_length=3, default="eng")
    text = models.TextField(_("text"), blank=True)
    reliability_note = models.TextField(_("note on reliability"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="sources")
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=8, choices=FileType.choices, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("country information source")
        verbose_name_plural = _("country information sources")
        ordering = ["-published_on", "pk"]
        indexes = [models.Index(fields=["published_on"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="coi_source_has_title"),
            models.CheckConstraint(
                condition=models.Q(file__isnull=True) | ~models.Q(file_type=""),
                name="coi_source_file_has_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}, {self.title} ({self.published_on:%Y-%m-%d})"

    @property
    def country_codes(self) -> list[str]:
        return [c.country for c in self.countries.all()]

    def is_stale(self, cutoff: date) -> bool:
        """Published before ``cutoff`` (see selectors.stale_cutoff)."""
        return self.published_on < cutoff


class SourceCountry(models.Model):
    """A country a source covers (ISO 3166-1 alpha-3)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=3)

    class Meta:
        verbose_name = _("country covered")
        verbose_name_plural = _("countries covered")
        ordering = ["country"]
        indexes = [models.Index(fields=["country", "source"])]
        constraints = [
            models.UniqueConstraint(fields=["source", "country"], name="coi_country_once"),
        ]

    def __str__(self) -> str:
        return self.country


class Passage(models.Model):
    """A paragraph of a source, the unit the full-text index finds and a citation points to.

    ``indexed`` is the text as the index sees it (coi.analysis.index_text); ``config`` is
    PostgreSQL's text-search configuration for the source's language. The index itself is
    the database's: an FTS5 table kept by triggers on SQLite, a ``tsvector`` column kept by
    a trigger on PostgreSQL (migration 0002).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveIntegerField(_("paragraph"))
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    text = models.TextField(_("text"))
    indexed = models.TextField(editable=False)
    config = models.CharField(max_length=20, default="simple", editable=False)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="coi_passage_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} ¶{self.number}"


class SourceChange(models.Model):
    """Who added or changed a source, when, and which fields (old and new values; for the
    text and the file, their length and hash)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.BooleanField(default=False)
    fields = models.JSONField(default=list)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("change to a source")
        verbose_name_plural = _("changes to sources")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} {self.at:%Y-%m-%d %H:%M}"


class CoiSettings(models.Model):
    """An office's rule for country information: how old a source may be before it is
    flagged where it is cited."""

    DEFAULT_STALE_AFTER_MONTHS = 24

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="coi_settings")
    stale_after_months = models.PositiveSmallIntegerField(
        _("flag sources older than (months)"),
        default=DEFAULT_STALE_AFTER_MONTHS,
        help_text=_(
            "A cited source published longer ago than this is flagged as possibly out of date."
        ),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("country information settings")
        verbose_name_plural = _("country information settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stale_after_months__gte=1), name="coi_stale_after_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.stale_after_months}"
