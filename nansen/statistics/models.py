"""Reference tables of UNHCR's published asylum statistics, and the office's pre-aggregated
counts (the statistics cube) that keep the standard tables fast on a large caseload.

Neither holds personal data: the UNHCR tables are public aggregates; the cube holds counts of
persons per combination of country of origin, sex, age group, period, instance and outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnhcrCountry(models.Model):
    """UNHCR's list of countries (countries.csv): ISO 3166-1 alpha-3 and UNHCR's own codes."""

    iso_code = models.CharField(max_length=3, blank=True)
    unhcr_code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    unhcr_region = models.CharField(max_length=60, blank=True)
    unsd_region = models.CharField(max_length=60, blank=True)
    unsd_subregion = models.CharField(max_length=60, blank=True)
    unsd_imregion = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("UNHCR country")
        verbose_name_plural = _("UNHCR countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.iso_code or self.unhcr_code} {self.name}"


class UnhcrFlow(models.Model):
    """The columns every UNHCR asylum table starts with."""

    year = models.PositiveSmallIntegerField()
    coo_name = models.CharField(max_length=100)
    coo = models.CharField(max_length=3)
    coo_iso = models.CharField(max_length=3)
    coa_name = models.CharField(max_length=100)
    coa = models.CharField(max_length=3)
    coa_iso = models.CharField(max_length=3)

    class Meta:
        abstract = True


class UnhcrDecision(UnhcrFlow):
    """One row of UNHCR's asylum_decisions table. Counts are as published: small numbers are
    masked by UNHCR (see statistics.unhcr.MASKED_DECISION_VALUES)."""

    procedure_type = models.CharField(max_length=2)
    dec_level = models.CharField(max_length=2)
    dec_pc = models.CharField(max_length=1)
    dec_recognized = models.PositiveIntegerField()
    dec_other = models.PositiveIntegerField()
    dec_rejected = models.PositiveIntegerField()
    dec_closed = models.PositiveIntegerField()
    dec_total = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("UNHCR asylum decisions")
        verbose_name_plural = _("UNHCR asylum decisions")
        indexes = [
            models.Index(fields=["coo_iso", "year"]),
            models.Index(fields=["coa_iso", "coo_iso", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.coo_iso}→{self.coa_iso} {self.dec_level}/{self.dec_pc}"


class UnhcrApplication(UnhcrFlow):
    """One row of UNHCR's asylum_applications table."""

    procedure_type = models.CharField(max_length=2)
    app_type = models.CharField(max_length=2)
    dec_level = models.CharField(max_length=2)
    app_pc = models.CharField(max_length=1)
    applied = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("UNHCR asylum applications")
        verbose_name_plural = _("UNHCR asylum applications")
        indexes = [
            models.Index(fields=["coo_iso", "year"]),
            models.Index(fields=["coa_iso", "coo_iso", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.coo_iso}→{self.coa_iso} {self.app_type}/{self.app_pc}"


class UnhcrSolution(UnhcrFlow):
    """One row of UNHCR's solutions table (returns, resettlement arrivals, naturalisation)."""

    returned_refugees = models.PositiveIntegerField(null=True)
    resettlement = models.PositiveIntegerField(null=True)
    naturalisation = models.PositiveIntegerField(null=True)
    returned_idps = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("UNHCR durable solutions")
        verbose_name_plural = _("UNHCR durable solutions")
        indexes = [models.Index(fields=["coo_iso", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.coo_iso}→{self.coa_iso}"


class UnhcrImport(models.Model):
    """When the reference tables were last replaced, from which files."""

    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.CharField(max_length=500)
    files = models.JSONField(default=dict, help_text="file name → SHA-256 and rows")

    class Meta:
        verbose_name = _("UNHCR import")
        verbose_name_plural = _("UNHCR imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M} {self.source}"


class CubeSnapshot(models.Model):
    """The statistics cube was built from decisions and applications up to these ids; newer
    rows are counted live and added (statistics.cube)."""

    built_at = models.DateTimeField(default=timezone.now)
    decision_max_id = models.BigIntegerField(default=0)
    application_max_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        ordering = ["-built_at"]

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}"


class DecisionCell(models.Model):
    """Decisions, in persons, at one grain of the cube. Dimensions outside the grain are ""
    (or 0 for month)."""

    grain = models.PositiveSmallIntegerField()
    office_id = models.BigIntegerField()
    origin = models.CharField(max_length=3, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    age_group = models.CharField(max_length=8, blank=True)
    profile = models.CharField(max_length=40, blank=True)
    application = models.CharField(max_length=6, blank=True)
    instance = models.CharField(max_length=12)
    outcome = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)
    persons = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["grain", "office_id", "year"])]

    def __str__(self) -> str:
        return f"grain {self.grain}, office {self.office_id}, {self.year}: {self.persons}"


class ApplicationCell(models.Model):
    """Applications lodged, in persons, at one grain of the cube."""

    grain = models.PositiveSmallIntegerField()
    office_id = models.BigIntegerField()
    origin = models.CharField(max_length=3, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    age_group = models.CharField(max_length=8, blank=True)
    profile = models.CharField(max_length=40, blank=True)
    application = models.CharField(max_length=6, blank=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)
    persons = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["grain", "office_id", "year"])]

    def __str__(self) -> str:
        return f"grain {self.grain}, office {self.office_id}, {self.year}: {self.persons}"


class DurationCell(models.Model):
    """How many decisions at an instance took exactly ``days`` days, per office and year of
    decision: percentiles of processing time are read from this histogram exactly."""

    office_id = models.BigIntegerField()
    instance = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    days = models.IntegerField()
    decisions = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["office_id", "instance", "year"])]

    def __str__(self) -> str:
        return f"office {self.office_id}, {self.instance} {self.year}: {self.days} days"
