"""The registration import format: one row per person, families grouped by ``household``.

This table is the format's definition: the template files, the page that explains the
format and the validation all read it. docs/imports.md describes it for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    example: str = ""
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "household",
        _("Any label shared by the members of one family; each household becomes one case."),
        "F001",
        required=True,
    ),
    Column(
        "relationship",
        _(
            "principal (exactly one per household), spouse, child, parent, sibling, "
            "other_relative or other."
        ),
        "principal",
        required=True,
    ),
    Column("given_name", _("Given names in Latin letters."), "Ahmad"),
    Column(
        "family_name",
        _("Family name in Latin letters; a person needs a given or a family name."),
        "Al-Hassan",
    ),
    Column("given_name_original", _("Given names in the original script."), "أحمد"),
    Column("family_name_original", _("Family name in the original script."), "الحسن"),
    Column("other_names", _("Other names and aliases, separated by |."), "Ahmed Hasan"),
    Column("sex", _("F, M or X (other or not stated)."), "M", required=True),
    Column(
        "birth_date",
        _("YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown."),
        "1988-03-14",
    ),
    Column("birth_date_estimated", _("yes when the date of birth is an estimate."), "no"),
    Column("place_of_birth", _("Place of birth."), "Homs"),
    Column("country_of_birth", _("ISO 3166-1 alpha-3 code, e.g. SYR."), "SYR"),
    Column(
        "country_of_origin",
        _("ISO 3166-1 alpha-3 code of the country the person fled; XXA stateless."),
        "SYR",
        required=True,
    ),
    Column("nationalities", _("ISO 3166-1 alpha-3 codes separated by spaces."), "SYR"),
    Column(
        "feared_countries",
        _("Other countries the person fears: ISO 3166-1 alpha-3 codes separated by spaces."),
        "",
    ),
    Column("languages", _("ISO 639-3 codes separated by spaces, e.g. ara kur."), "ara"),
    Column("interpreter_needed", _("yes or no."), "yes"),
    Column("phone", _("Telephone."), ""),
    Column("email", _("E-mail address."), ""),
    Column("address", _("Address."), ""),
    Column(
        "specific_needs",
        _("UNHCR specific-needs codes separated by spaces, e.g. SM DS."),
        "",
    ),
    Column(
        "document_type",
        _(
            "passport, national_id, birth_certificate, family_book, military_book, "
            "driving_licence, refugee_id or other; empty when the person has none."
        ),
        "passport",
    ),
    Column("document_number", _("The document's number."), "N1234567"),
    Column("document_issuing_country", _("ISO 3166-1 alpha-3 code."), "SYR"),
    Column("document_expires_on", _("YYYY-MM-DD."), "2027-05-31"),
)

COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = frozenset(c.name for c in COLUMNS if c.required)
