"""The country-of-origin guard: one check on every road by which data leaves Nansen.

UNHCR's confidentiality rule: no information about an asylum-seeker or refugee, not even the
fact that they applied, may reach the authorities of the country they fled (UNHCR Policy on
the Protection of Personal Data of Persons of Concern, 2015, para. 6.1; Advisory Opinion on
the Rules of Confidentiality Regarding Asylum Information, 2005, paras. 8-10). What is known
of one member of a case exposes the others (the Advisory Opinion speaks of the applicant's
family in the country of origin), so the guard shields every country of every member of the
case, whichever members a sending is about, and whatever the recipient is called: a
recipient that is, acts for, or is located in such a country, or whose name names it, is
refused.

Each road out (a disclosure, a letter, a referral, an export, the person's copy sent to a
third party) is a service function decorated with ``outward_road``: the decorator keeps the
road in ``ROADS``, runs it in one transaction, refuses it (and rolls it back) if it ends
without consulting ``guard_check``, and records every refusal in the case history and the
audit chain after the road's own writes are rolled back, so the refusal stays.

The one way past the guard is a ``GuardException`` (``nansen.protection``): the informed
consent of the members concerned, recorded, and a supervisor's approval, by someone other
than who recorded the consent (UNHCR Policy 2015, para. 6.1.2: transfers to the country of
origin only with the person's consent, and para. 7.2: approval of the data controller).
The protection app registers it here from its AppConfig.ready() (``guard_exceptions_set``);
without it nothing gets past the guard.

The guard lives with the registration of cases, below every app that sends data out
(procedures, resettlement, protection), so that each of them can take a road through it
without importing another.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

import pycountry
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nansen.audit.models import Verb
from nansen.core.permissions import NotAllowed
from nansen.core.reference import STATELESS, UNKNOWN_COUNTRY, country_name
from nansen.registration.models import CaseMember

# Codes that name no state, hence no authorities to shield from (ICAO Doc 9303: XXA, XXX).
NOT_A_STATE = frozenset({"", STATELESS, UNKNOWN_COUNTRY})


def countries_to_shield(person) -> set[str]:
    """Every country whose authorities must learn nothing of ``person``: the country they
    fled, the one they were born in, each nationality and each other country they fear."""
    return {
        person.country_of_origin,
        getattr(person, "country_of_birth", ""),
        *(person.nationalities or []),
        *(person.feared_countries or []),
    } - NOT_A_STATE


@dataclass(frozen=True)
class Recipient:
    """Whom data is sent to. ``country`` is where the recipient is; ``acts_for`` the state it
    represents or acts on behalf of when that differs (an embassy, a consulate, a liaison
    officer). An empty recipient is the person themselves, or nobody: nothing leaves."""

    name: str = ""
    kind: str = ""
    country: str = ""
    acts_for: str = ""

    def countries(self) -> set[str]:
        return {self.country, self.acts_for} - {""}


NOBODY = Recipient()


class GuardRefused(NotAllowed):
    """The country-of-origin guard refused a sending; the refusal is recorded."""

    def __init__(self, message: str, *, road: str, country: str, recipient: Recipient, hits):
        super().__init__(message)
        self.road = road
        self.country = country
        self.recipient = recipient
        self.hits = hits  # {case: [person ids whose countries include ``country``]}
        self.obj = None
        self.recorded = False


class RoadUnguarded(RuntimeError):
    """A road out of Nansen returned without consulting the guard; its writes are undone."""


@dataclass(frozen=True)
class Road:
    name: str
    function: Callable
    description: str
    refused_verb: str
    on_refusal: Callable | None = field(default=None, compare=False)


# Every road by which personal data leaves Nansen, by name (filled by ``outward_road``).
ROADS: dict[str, Road] = {}

# Given case, country, road and the moment (``now``), uses up an exception that lets this
# sending through and returns it, or returns None (see ``guard_exceptions_set``).
ExceptionUse = Callable[..., object | None]


def _no_exception(*, case, country: str, road: str, now) -> None:
    return None


_exception_use: ExceptionUse = _no_exception


def guard_exceptions_set(use: ExceptionUse) -> None:
    """Let ``use`` decide which approved exception, if any, lets a sending through."""
    global _exception_use
    _exception_use = use


@dataclass
class _Sending:
    """The road being taken, its actor, and whether it consulted the guard."""

    road: str
    actor: object
    consulted: bool = False


_sending: ContextVar[_Sending | None] = ContextVar("nansen_guard_sending", default=None)


def outward_road(
    name: str,
    *,
    description: str,
    refused_verb: str = Verb.GUARD_REFUSED,
    on_refusal: Callable | None = None,
):
    """Declare a service function a road out of Nansen (see the module's docstring).

    ``on_refusal(refusal, **kwargs)`` may write the road's own record of the refusal (a
    refused disclosure) and return the object the case history should name.
    """

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def road(*args, **kwargs):
            sending = _Sending(road=name, actor=kwargs.get("actor"))
            token = _sending.set(sending)
            try:
                with transaction.atomic():
                    result = function(*args, **kwargs)
                    if not sending.consulted:
                        raise RoadUnguarded(
                            f"{name}: data was about to leave without the country-of-origin "
                            "guard being consulted"
                        )
            except GuardRefused as refusal:
                if not refusal.recorded:
                    if on_refusal is not None:
                        refusal.obj = on_refusal(refusal, **kwargs) or refusal.obj
                    guard_refusal_record(actor=kwargs["actor"], refusal=refusal, verb=refused_verb)
                raise
            finally:
                _sending.reset(token)
            return result

        road.outward_road = name
        if name in ROADS and ROADS[name].function.__qualname__ != function.__qualname__:
            raise ValueError(f"Two outward roads are called {name!r}.")
        ROADS[name] = Road(name, road, description, str(refused_verb), on_refusal)
        return road

    return decorate


def _case_members(cases) -> dict:
    """{case: [(person id, countries to shield)]}, in one query that reads only the four
    country fields (not the encrypted ones): exports check thousands of cases."""
    by_pk = {case.pk: case for case in cases}
    found: dict = {case: [] for case in by_pk.values()}
    rows = (
        CaseMember.objects.filter(case_id__in=by_pk)
        .order_by("pk")
        .values_list(
            "case_id",
            "person_id",
            "person__country_of_origin",
            "person__country_of_birth",
            "person__nationalities",
            "person__feared_countries",
        )
    )
    for case_id, person_id, origin, birth, nationalities, feared in rows:
        countries = {origin, birth, *(nationalities or []), *(feared or [])} - NOT_A_STATE
        found[by_pk[case_id]].append((person_id, countries))
    return found


@cache
def _names(code: str) -> tuple[str, ...]:
    """A country's names, folded, in the languages Nansen is used in (English, Japanese,
    Arabic): enough to recognise "Embassy of Eritrea" or "エリトリア大使館"."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return ()
    names = {getattr(country, "official_name", None) or country.name, country.name}
    for language in ("en", "ja", "ar"):
        with translation.override(language):
            names.add(country_name(code))
    # "Iran, Islamic Republic of": the part before the comma is the name in use; Japanese
    # official forms end in 国 ("country"), which the name in use often drops.
    names |= {n.replace("،", ",").split(",")[0] for n in names}
    names |= {n.removesuffix("国") for n in names}
    folded = {n.casefold().strip() for n in names}
    return tuple(sorted(n for n in folded if len(n) >= (4 if n.isascii() else 2)))


def _named_in(recipient_name: str, code: str) -> bool:
    folded = recipient_name.casefold()
    return bool(folded) and any(name in folded for name in _names(code))


def guard_check(*, road: str, recipient: Recipient, cases: Iterable, obj=None) -> None:
    """The guard: raise GuardRefused unless nothing about any member of ``cases`` would
    reach a country one of them fled, was born in, is a national of, or fears.

    Called by every road (see ``outward_road``), inside the road's transaction, before
    anything is sent or recorded as sent. A supervisor-approved exception for the case and
    the country lets one sending through, and is used up by it (``guard_exceptions_set``).
    """
    from nansen.audit.services import case_event_record

    sending = _sending.get()
    if sending is None:
        raise RoadUnguarded(f"{road}: the guard is consulted from a road (see outward_road)")
    sending.consulted = True
    cases = list(dict.fromkeys(cases))
    members = _case_members(cases)
    shielded: dict = {}  # country -> {case: [person ids]}
    for case, rows in members.items():
        for person_id, countries in rows:
            for country in countries:
                shielded.setdefault(country, {}).setdefault(case, []).append(person_id)
    hits = {c: by_case for c, by_case in shielded.items() if c in recipient.countries()}
    named = {
        c: by_case
        for c, by_case in shielded.items()
        if c not in hits and recipient.name and _named_in(recipient.name, c)
    }
    now = timezone.now()
    for country, by_case in sorted({**hits, **named}.items()):
        for case, person_ids in by_case.items():
            exception = _exception_use(case=case, country=country, road=road, now=now)
            if exception is not None:
                case_event_record(
                    case=case,
                    actor=sending.actor,
                    verb=Verb.GUARD_EXCEPTION_USED,
                    obj=exception,
                    details={
                        "road": road,
                        "country": country,
                        "recipient_kind": recipient.kind,
                        "persons": person_ids,
                    },
                )
                continue
            refusal = GuardRefused(
                _refusal_text(country, recipient, named=country in named),
                road=road,
                country=country,
                recipient=recipient,
                hits={case: person_ids},
            )
            refusal.obj = obj
            raise refusal


def _refusal_text(country: str, recipient: Recipient, *, named: bool) -> str:
    if named:
        return _(
            "Refused: the recipient “%(recipient)s” names %(country)s, a country a member of "
            "this case comes from, was born in, is a national of, or fears. Nothing about an "
            "applicant is ever disclosed to its authorities."
        ) % {"recipient": recipient.name, "country": country_name(country)}
    return _(
        "Refused: %(country)s is a country a member of this case comes from, was born in, is "
        "a national of, or fears. Nothing about an applicant is ever disclosed to its "
        "authorities, to anyone acting for it, or to anyone there."
    ) % {"country": country_name(country)}


def guard_refusal_record(*, actor, refusal: GuardRefused, verb: str = Verb.GUARD_REFUSED) -> None:
    """Write a refusal to the history of each case it concerns and to the audit chain."""
    from nansen.audit.services import case_event_record

    with transaction.atomic():
        for case, person_ids in refusal.hits.items():
            case_event_record(
                case=case,
                actor=actor,
                verb=verb,
                obj=refusal.obj if refusal.obj is not None else case,
                details={
                    "road": refusal.road,
                    "country": refusal.country,
                    "recipient_kind": refusal.recipient.kind,
                    "recipient_country": refusal.recipient.country,
                    "acts_for_country": refusal.recipient.acts_for,
                    "persons": person_ids,
                    "guard": "country_of_origin",
                },
            )
    refusal.recorded = True
