"""Reference vocabularies shared by every domain: countries, languages, specific needs.

Countries are ISO 3166-1 alpha-3 (as UNHCR publishes them) plus the two codes UNHCR and
ICAO Doc 9303 use for persons without a country: XXA (stateless) and XXX (unknown).
Languages are ISO 639-3. Names are translated with the catalogues pycountry ships.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

STATELESS = "XXA"
UNKNOWN_COUNTRY = "XXX"
_SPECIAL_COUNTRIES = {STATELESS: _("Stateless"), UNKNOWN_COUNTRY: _("Unknown country")}


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(_SPECIAL_COUNTRIES)


def is_country(code: str) -> bool:
    return code in country_codes()


def country_name(code: str) -> str:
    if code in _SPECIAL_COUNTRIES:
        return str(_SPECIAL_COUNTRIES[code])
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    common = getattr(country, "common_name", None) or country.name
    language = _language()
    if language == "en":
        return common
    catalogue = _catalogue("iso3166-1", language)
    translated = catalogue.gettext(common)
    if translated == common:
        translated = catalogue.gettext(country.name)
    return translated


def country_choices() -> list[tuple[str, str]]:
    """Every country code with its name in the active language, sorted by that name."""
    choices = [(code, country_name(code)) for code in country_codes()]
    return sorted(choices, key=lambda item: item[1])


@cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_3 for lang in pycountry.languages)


def is_language(code: str) -> bool:
    return code in language_codes()


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _catalogue("iso639-3", _language()).gettext(language.name)


# Languages most often spoken by asylum applicants, offered first in forms;
# any other ISO 639-3 code can still be typed.
COMMON_LANGUAGES = (
    "ara",
    "apc",
    "arz",
    "fas",
    "prs",
    "pus",
    "urd",
    "kur",
    "ckb",
    "kmr",
    "tur",
    "som",
    "tir",
    "amh",
    "orm",
    "swa",
    "fra",
    "eng",
    "spa",
    "por",
    "rus",
    "ukr",
    "uzb",
    "tgk",
    "ben",
    "hin",
    "nep",
    "sin",
    "tam",
    "mya",
    "rhg",
    "zho",
    "cmn",
    "yue",
    "vie",
    "tha",
    "khm",
    "ind",
    "jpn",
    "kor",
    "lin",
    "kin",
    "run",
    "hau",
    "yor",
    "ibo",
    "ful",
    "wol",
    "bam",
    "lug",
    "nus",
    "din",
    "mon",
    "kat",
    "hye",
    "aze",
    "sqi",
    "srp",
    "ron",
    "tgl",
)


class SpecificNeed(models.TextChoices):
    """UNHCR's standardised specific-needs categories (Guidance on the Use of Standardized
    Specific Needs Codes, 2009; top-level codes as used in proGres)."""

    CHILD_AT_RISK = "CR", _("Child at risk")
    SEPARATED_CHILD = "SC", _("Unaccompanied or separated child")
    WOMAN_AT_RISK = "WR", _("Woman at risk")
    OLDER_PERSON_AT_RISK = "ER", _("Older person at risk")
    SINGLE_PARENT = "SP", _("Single parent or caregiver")
    DISABILITY = "DS", _("Disability")
    SERIOUS_MEDICAL = "SM", _("Serious medical condition")
    PREGNANT_OR_LACTATING = "PG", _("Pregnant or lactating")
    TORTURE = "TR", _("Survivor of torture")
    SGBV = "SV", _("Survivor of sexual or gender-based violence")
    LEGAL_PHYSICAL_PROTECTION = "LP", _("Specific legal and physical protection needs")
    FAMILY_UNITY = "FU", _("Family unity")
