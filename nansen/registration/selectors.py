"""Reading persons and cases, always through the user's scoped querysets."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from nansen.audit.services import read_record
from nansen.core.search import search_terms
from nansen.registration.models import Case, CaseMember, DatePrecision, Person
from nansen.registration.names import fold

_CASE_NUMBER = re.compile(r"^[A-Z0-9]{2,8}-\d{4}-\d{1,6}$", re.IGNORECASE)


def case_get(*, user, pk: int, read: str = "", request=None) -> Case:
    """The case, if the user may see it; 404 otherwise.

    ``read`` names the page or API operation that shows it (``case_view``): the read is
    then recorded in the audit log with the case's members, through ``request``; the
    members come loaded with their persons (``members_prefetch``) for the page to show."""
    cases = Case.objects.visible_to(user)
    if read:
        cases = cases.prefetch_related(members_prefetch())
    case = get_object_or_404(cases, pk=pk)
    if read:
        read_record(
            user=user,
            request=request,
            action=read,
            object_type="case",
            object_ids=[case.pk],
            case_id=case.pk,
            person_ids=[m.person_id for m in case.members.all()],
        )
    return case


def person_get(*, user, pk: int, read: str = "", request=None) -> Person:
    """The person, if the user may see one of their cases; 404 otherwise. ``read`` records
    the read, as for ``case_get``."""
    person = get_object_or_404(Person.objects.visible_to(user), pk=pk)
    if read:
        read_record(
            user=user,
            request=request,
            action=read,
            object_type="person",
            object_ids=[person.pk],
            person_ids=[person.pk],
        )
    return person


def members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=CaseMember.objects.select_related("person").order_by("pk"),
    )


def case_list(
    *,
    user,
    q: str = "",
    country_of_origin: str = "",
    birth: tuple[date, str] | None = None,
) -> QuerySet[Case]:
    """Cases the user may see, filtered by name (either script), case number, country of
    origin and date of birth of any member."""
    cases = Case.objects.visible_to(user)
    persons = Person.objects.all()
    filtered = False
    q = (q or "").strip()
    if q and _CASE_NUMBER.match(q):
        cases = cases.filter(number__iexact=q)
    elif q:
        for token in search_terms(fold(q)):
            persons = persons.filter(search_text__contains=token)
        filtered = True
    if country_of_origin:
        persons = persons.filter(country_of_origin=country_of_origin)
        filtered = True
    if birth is not None:
        persons = persons.filter(_birth_filter(*birth))
        filtered = True
    if filtered:
        cases = cases.filter(members__person__in=persons).distinct()
    return cases.select_related("office").prefetch_related(members_prefetch())


def _birth_filter(value: date, precision: str) -> Q:
    if precision == DatePrecision.EXACT:
        return Q(birth_date=value)
    if precision == DatePrecision.MONTH:
        return Q(birth_date__year=value.year, birth_date__month=value.month)
    return Q(birth_date__year=value.year)
