"""The country-of-origin guard.

UNHCR's confidentiality rule: no information about an asylum-seeker or refugee, not even the
fact that they applied, may reach the authorities of the country they fled (UNHCR Policy on
the Protection of Personal Data of Persons of Concern, 2015, para. 6.1; Advisory Opinion on
the Rules of Confidentiality Regarding Asylum Information, 2005). Nansen applies it to every
disclosure, export and letter addressed to a state authority: the authority's country may be
none of the countries a person of the case is a national of, comes from, or fears.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from nansen.core.reference import country_name
from nansen.protection.models import RecipientKind


def countries_to_shield(person) -> set[str]:
    return {person.country_of_origin, *person.nationalities, *person.feared_countries}


def guard_refusal(*, persons: Iterable, recipient_kind: str, recipient_country: str) -> str:
    """The reason a disclosure must be refused, or "" when the guard does not apply."""
    if recipient_kind != RecipientKind.AUTHORITY:
        return ""
    for person in persons:
        if recipient_country in countries_to_shield(person):
            return _(
                "Refused: %(country)s is a country a member of this case comes from, is a "
                "national of, or fears. Nothing about an applicant is ever disclosed to its "
                "authorities."
            ) % {"country": country_name(recipient_country)}
    return ""
