from __future__ import annotations

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office, validate_country
from nansen.accounts.roles import Action
from nansen.core.fields import EncryptedTextField
from nansen.core.reference import SpecificNeed, country_name, language_name
from nansen.registration.names import fold


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other or not stated")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year only")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated")


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other dependant")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """The persons a user may see: their office's, or those of the cases they represent."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.may(Action.VIEW_CASEWORK):
            return self.filter(office_id=user.office_id)
        if user.may(Action.VIEW_REPRESENTED):
            return self.filter(memberships__case__representatives=user).distinct()
        return self.none()


SENSITIVE_FIELDS = ("ethnicity", "religion", "medical_notes", "flight_reasons")


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="persons")
    given_name = models.CharField(_("given names (Latin letters)"), max_length=200, blank=True)
    family_name = models.CharField(_("family name (Latin letters)"), max_length=200, blank=True)
    given_name_original = models.CharField(
        _("given names (original script)"), max_length=200, blank=True
    )
    family_name_original = models.CharField(
        _("family name (original script)"), max_length=200, blank=True
    )
    other_names = models.JSONField(_("other names and aliases"), default=list, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    country_of_birth = models.CharField(
        _("country of birth"), max_length=3, blank=True, validators=[validate_country]
    )
    country_of_origin = models.CharField(
        _("country of origin"),
        max_length=3,
        validators=[validate_country],
        help_text=_("The country the person fled; statistics count persons by it."),
    )
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    feared_countries = models.JSONField(
        _("other countries the person fears"),
        default=list,
        blank=True,
        help_text=_("Nothing about the person is ever disclosed to their authorities."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    specific_needs = models.JSONField(_("specific needs"), default=list, blank=True)
    # Sensitive personal data, encrypted in the database (AES-GCM, see core.fields) and shown
    # only to the roles that decide or represent the claim (roles.Action.VIEW_SENSITIVE).
    ethnicity = EncryptedTextField(_("ethnicity or tribe"), blank=True)
    religion = EncryptedTextField(_("religion"), blank=True)
    medical_notes = EncryptedTextField(_("medical notes"), blank=True)
    flight_reasons = EncryptedTextField(
        _("reasons for leaving (summary)"),
        blank=True,
        help_text=_("A short summary; the full account belongs in the interview record."),
    )
    search_text = models.TextField(editable=False, default="")
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["office", "country_of_origin"]),
            models.Index(fields=["office", "birth_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(given_name="", family_name=""),
                name="person_has_latin_name",
            ),
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(birth_date_precision__in=DatePrecision.values),
                name="person_birth_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.latin_name

    @property
    def latin_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name.upper()) if part)

    @property
    def original_name(self) -> str:
        return " ".join(p for p in (self.given_name_original, self.family_name_original) if p)

    def refresh_search_text(self) -> None:
        names = [
            self.given_name,
            self.family_name,
            self.given_name_original,
            self.family_name_original,
            *self.other_names,
        ]
        self.search_text = " | ".join(fold(n) for n in names if n)

    @property
    def birth_date_display(self) -> str:
        """The date of birth written only as precisely as it is known."""
        if self.birth_date is None:
            return str(_("unknown"))
        if self.birth_date_precision == DatePrecision.YEAR:
            return str(self.birth_date.year)
        if self.birth_date_precision == DatePrecision.MONTH:
            return self.birth_date.strftime("%Y-%m")
        if self.birth_date_precision == DatePrecision.ESTIMATED:
            return _("about %(year)s") % {"year": self.birth_date.year}
        return self.birth_date.isoformat()

    def birth_date_range(self) -> tuple[date, date] | None:
        """The earliest and latest dates the recorded date of birth allows."""
        if self.birth_date is None:
            return None
        d = self.birth_date
        if self.birth_date_precision == DatePrecision.MONTH:
            return date(d.year, d.month, 1), date(
                d.year, d.month, calendar.monthrange(d.year, d.month)[1]
            )
        if self.birth_date_precision == DatePrecision.YEAR:
            return date(d.year, 1, 1), date(d.year, 12, 31)
        if self.birth_date_precision == DatePrecision.ESTIMATED:
            return date(d.year - 2, 1, 1), date(d.year + 2, 12, 31)
        return d, d

    def age_on(self, on: date) -> int | None:
        if self.birth_date is None:
            return None
        d = self.birth_date
        return on.year - d.year - ((on.month, on.day) < (d.month, d.day))

    @property
    def country_of_origin_name(self) -> str:
        return country_name(self.country_of_origin)

    @property
    def nationality_names(self) -> list[str]:
        return [country_name(code) for code in self.nationalities]

    @property
    def feared_country_names(self) -> list[str]:
        return [country_name(code) for code in self.feared_countries]

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages]

    @property
    def specific_need_labels(self) -> list[str]:
        labels = dict(SpecificNeed.choices)
        return [str(labels.get(code, code)) for code in self.specific_needs]


class IdentityDocument(models.Model):
    class Type(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        FAMILY_BOOK = "family_book", _("Family book")
        MILITARY_BOOK = "military_book", _("Military service book")
        DRIVING_LICENCE = "driving_licence", _("Driving licence")
        REFUGEE_ID = "refugee_id", _("Refugee or asylum-seeker certificate")
        OTHER = "other", _("Other document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document type"), max_length=32, choices=Type.choices)
    number = models.CharField(_("document number"), max_length=64)
    issuing_country = models.CharField(
        _("issuing country"), max_length=3, validators=[validate_country]
    )
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["pk"]
        indexes = [models.Index(fields=["issuing_country", "number"])]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number} ({self.issuing_country})"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The cases a user may see: their office's, or those they represent."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.may(Action.VIEW_CASEWORK):
            return self.filter(office_id=user.office_id)
        if user.may(Action.VIEW_REPRESENTED):
            return self.filter(representatives=user)
        return self.none()


class Case(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=32, unique=True)
    persons = models.ManyToManyField(Person, through="CaseMember", related_name="cases")
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="represented_cases",
        blank=True,
        verbose_name=_("legal representatives"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(
        _("relationship to the principal applicant"),
        max_length=20,
        choices=Relationship.choices,
    )

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="person_once_per_case"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(relationship="principal"),
                name="one_principal_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} / {self.person} ({self.relationship})"


class CaseNumberSequence(models.Model):
    """The last case number given by an office in a year; incremented under a row lock."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_sequence_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_value}"
