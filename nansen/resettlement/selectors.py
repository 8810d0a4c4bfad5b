"""Reading pledges, referrals and fulfilment.

Pledges and fulfilment counts are not personal data (a state's announcement; persons
counted, across every office). Referrals are read only through ``Referral.objects.visible_to``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nansen.audit.services import read_record
from nansen.procedures.models import Application, Decision, Instance
from nansen.resettlement.models import (
    OPEN_STATUSES,
    Pledge,
    PledgeRevision,
    Referral,
    ReferralMember,
    ReferralStatus,
)
from nansen.resettlement.rules import PRIORITY_TARGET_DAYS
from nansen.resettlement.transitions import PROGRESS
from nansen.resettlement.unhcr import UnhcrContext, resettlement_arrivals

PENDING = "pending"


def current_status(*, person_ids: list[int] | set[int]) -> dict[int, str]:
    """Each person's current protection status: the outcome of their latest decision, across
    all their applications and instances (a later appeal or judicial decision replaces the
    one before it); "pending" when they applied and nothing is decided yet. A person who
    never applied is absent from the answer.

    The one definition of "current status" the resettlement rules use, so the procedure
    engine can refine it (e.g. an appeal that suspends a decision) in one place.
    """
    ids = list(person_ids)
    rank = {value: index for index, value in enumerate(Instance.values)}
    latest: dict[int, tuple] = {}
    statuses: dict[int, str] = {}
    # A decision set aside (e.g. remitted on appeal) is no longer standing and no longer counts.
    decisions = (
        Decision.objects.standing()
        .filter(application__person_id__in=ids)
        .values_list("application__person_id", "outcome", "decided_on", "instance", "pk")
    )
    for person_id, outcome, decided_on, instance, pk in decisions:
        key = (decided_on, rank.get(instance, 0), pk)
        if person_id not in latest or key > latest[person_id]:
            latest[person_id], statuses[person_id] = key, outcome
    applied = Application.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
    for person_id in set(applied) - statuses.keys():
        statuses[person_id] = PENDING
    return statuses


# --- pledges ---------------------------------------------------------------------------------


def pledge_get(*, pk: int) -> Pledge:
    return get_object_or_404(Pledge.objects.select_related("created_by"), pk=pk)


def pledge_revisions(*, pledge: Pledge) -> list[PledgeRevision]:
    return list(pledge.revisions.select_related("revised_by").order_by("number"))


def revision_changes(revisions: list[PledgeRevision]) -> list[tuple[PledgeRevision, list[str]]]:
    """Each revision with the verbose names of the terms it changed from the one before."""
    from nansen.resettlement.models import TERMS_FIELDS

    result = []
    previous = None
    for revision in revisions:
        changed: list[str] = []
        if previous is not None:
            changed = [
                str(PledgeRevision._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
                for name in TERMS_FIELDS
                if getattr(previous, name) != getattr(revision, name)
            ]
        result.append((revision, changed))
        previous = revision
    return result


# --- fulfilment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fulfilment:
    """Persons, never cases. Each progress count includes the persons who went further:
    ``submitted`` ≥ ``accepted`` ≥ ``departed`` ≥ ``arrived``. A pledge is fulfilled by
    arrivals; a departed person who has not arrived is not yet counted as fulfilment."""

    places: int | None = None
    identified: int = 0  # in referrals still being prepared
    submitted: int = 0
    accepted: int = 0
    departed: int = 0
    arrived: int = 0
    rejected: int = 0  # in referrals the receiving country rejected
    withdrawn: int = 0

    @staticmethod
    def _share(count: int, places: int | None) -> float | None:
        return None if not places else 100.0 * count / places

    @property
    def share_fulfilled(self) -> float | None:
        return self._share(self.arrived, self.places)

    @property
    def share_departed(self) -> float | None:
        return self._share(self.departed, self.places)

    @property
    def remaining(self) -> int | None:
        return None if self.places is None else max(self.places - self.arrived, 0)

    def furthest(self) -> list[tuple[str, int]]:
        """Persons by the furthest stage they reached: the segments of a stacked bar."""
        return [
            (ReferralStatus.ARRIVED.value, self.arrived),
            (ReferralStatus.DEPARTED.value, self.departed - self.arrived),
            (ReferralStatus.ACCEPTED.value, self.accepted - self.departed),
            (ReferralStatus.SUBMITTED.value, self.submitted - self.accepted),
        ]


def _counts() -> dict:
    def persons(condition: Q) -> Count:
        return Count("person_id", filter=condition, distinct=True)

    return {
        "identified": persons(Q(referral__status=ReferralStatus.IDENTIFIED)),
        **{
            status.value: persons(Q(**{f"referral__{status.value}_on__isnull": False}))
            for status in PROGRESS
        },
        "rejected": persons(Q(referral__status=ReferralStatus.REJECTED)),
        "withdrawn": persons(Q(referral__status=ReferralStatus.WITHDRAWN)),
    }


def fulfilment_by_pledge(pledges: list[Pledge]) -> dict[int, Fulfilment]:
    """The fulfilment of each pledge, in one query."""
    rows = (
        ReferralMember.objects.filter(referral__pledge__in=[p.pk for p in pledges])
        .values("referral__pledge_id")
        .annotate(**_counts())
        .order_by()
    )
    found = {row.pop("referral__pledge_id"): row for row in rows}  # type: ignore[misc]
    return {p.pk: Fulfilment(places=p.places, **found.get(p.pk, {})) for p in pledges}  # type: ignore[arg-type]


def pledge_summaries() -> list[tuple[Pledge, Fulfilment]]:
    pledges = list(Pledge.objects.all())
    fulfilment = fulfilment_by_pledge(pledges)
    return [(p, fulfilment[p.pk]) for p in pledges]


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    fulfilment: Fulfilment


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(day: date) -> date:
    month = day.month + 3
    return date(day.year + (month > 12), (month - 1) % 12 + 1, 1)


def _periods(first: date, last: date) -> list[tuple[str, date, date]]:
    """Quarters from ``first`` to ``last``; whole years when that would be more than 16."""
    quarters = []
    start = _quarter_start(first)
    while start <= last:
        following = _next_quarter(start)
        quarters.append((f"{start.year} Q{(start.month - 1) // 3 + 1}", start, following))
        start = following
    if len(quarters) <= 16:
        return [(label, s, e - timedelta(days=1)) for label, s, e in quarters]
    return [
        (str(year), date(year, 1, 1), date(year, 12, 31))
        for year in range(first.year, last.year + 1)
    ]


def fulfilment_over_time(*, pledge: Pledge, today: date | None = None) -> list[Period]:
    """Cumulative fulfilment at the end of each quarter (or year) of the pledge: the persons
    who had reached each stage by then."""
    today = today or timezone.localdate()
    rows = ReferralMember.objects.filter(referral__pledge=pledge).values_list(
        "person_id", *(f"referral__{status.value}_on" for status in PROGRESS)
    )
    earliest: dict[str, dict[int, date]] = {status.value: {} for status in PROGRESS}
    for person_id, *dates in rows:
        for status, day in zip(PROGRESS, dates, strict=True):
            seen = earliest[status.value]
            if day is not None and (person_id not in seen or day < seen[person_id]):
                seen[person_id] = day
    stage_dates = {status: sorted(days.values()) for status, days in earliest.items()}
    every_date = [d for days in stage_dates.values() for d in days]
    first = pledge.period_start or min(every_date, default=pledge.announced_on)
    last = min(pledge.period_end or today, today)
    last = max([last, *every_date])
    first = min(first, last)
    return [
        Period(
            label,
            start,
            end,
            Fulfilment(
                places=pledge.places,
                **{status: bisect_right(days, end) for status, days in stage_dates.items()},
            ),
        )
        for label, start, end in _periods(first, last)
    ]


def arrivals_by_year(*, pledge: Pledge) -> dict[int, int]:
    """Persons who arrived under the pledge, by year of arrival."""
    arrived = ReferralMember.objects.filter(
        referral__pledge=pledge, referral__arrived_on__isnull=False
    ).values_list("person_id", "referral__arrived_on")
    first: dict[int, date] = {}
    for person_id, day in arrived:
        if person_id not in first or day < first[person_id]:  # type: ignore[operator]
            first[person_id] = day  # type: ignore[assignment]
    years: dict[int, int] = {}
    for day in first.values():
        years[day.year] = years.get(day.year, 0) + 1
    return years


# --- referrals -------------------------------------------------------------------------------


# The persons of each referral, counted only for the rows a list shows (a correlated
# subquery, not a GROUP BY over every referral the user may see).
_PERSONS_COUNT = Subquery(
    ReferralMember.objects.filter(referral=OuterRef("pk"))
    .order_by()
    .values("referral")
    .annotate(count=Count("pk"))
    .values("count"),
    output_field=IntegerField(),
)


def referral_list(
    *, user, pledge: Pledge | None = None, status: str = "", case=None
) -> QuerySet[Referral]:
    referrals = Referral.objects.visible_to(user)
    if pledge is not None:
        referrals = referrals.filter(pledge=pledge)
    if status:
        referrals = referrals.filter(status=status)
    if case is not None:
        referrals = referrals.filter(case=case)
    return (
        referrals.select_related("case", "pledge", "office")
        .annotate(persons_count=_PERSONS_COUNT)
        .order_by("-identified_on", "-pk")
    )


def referral_get(*, user, pk: int, read: str = "", request=None) -> Referral:
    """The referral, if the user may see its case; 404 otherwise.

    ``read`` names the page or API operation that shows it (``referral_view``): the read is
    then recorded in the audit log, with its case and the persons referred."""
    members = ReferralMember.objects.select_related("person").order_by("pk")
    referral = get_object_or_404(
        Referral.objects.visible_to(user)
        .select_related("case", "pledge", "office", "created_by")
        .prefetch_related(Prefetch("members", queryset=members)),
        pk=pk,
    )
    if read:
        read_record(
            user=user,
            request=request,
            action=read,
            object_type="referral",
            object_ids=[referral.pk],
            case_id=referral.case_id,
            person_ids=[m.person_id for m in referral.members.all()],
        )
    return referral


@dataclass(frozen=True)
class Waiting:
    referral: Referral
    days: int
    overdue: bool


def waiting_longest(
    *, user, pledge: Pledge | None = None, limit: int = 10, today: date | None = None
) -> list[tuple[ReferralStatus, list[Waiting]]]:
    """For each open status, the referrals the user may see that have waited longest in it.

    A submitted or accepted referral is overdue once the time since submission passes its
    priority's target (rules.PRIORITY_TARGET_DAYS).
    """
    today = today or timezone.localdate()
    result = []
    for status in OPEN_STATUSES:
        referrals = referral_list(user=user, pledge=pledge, status=status).order_by(
            "status_on", "pk"
        )[:limit]
        waiting = []
        for referral in referrals:
            overdue = False
            if status in (ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED):
                since = (today - referral.submitted_on).days  # type: ignore[operator]
                overdue = since > PRIORITY_TARGET_DAYS[referral.priority]
            waiting.append(Waiting(referral, (today - referral.status_on).days, overdue))
        result.append((ReferralStatus(status), waiting))
    return result


# --- context from UNHCR's figures -------------------------------------------------------------


@dataclass(frozen=True)
class ContextRow:
    year: int
    unhcr_arrivals: int | None
    arrived_here: int  # persons who arrived under the pledge, as recorded in Nansen


def unhcr_context(
    *, pledge: Pledge, today: date | None = None, path=None
) -> tuple[UnhcrContext, list[ContextRow]]:
    """UNHCR's resettlement arrivals in the pledge's receiving country from its target
    nationalities, for each year of its period (to this year when it has no end), beside
    the arrivals recorded here."""
    today = today or timezone.localdate()
    year_from = (pledge.period_start or pledge.announced_on).year
    year_to = min((pledge.period_end or today).year, today.year)
    year_to = max(year_from, min(year_to, year_from + 14))
    context = resettlement_arrivals(
        country=pledge.receiving_country,
        origins=pledge.target_nationalities,
        year_from=year_from,
        year_to=year_to,
        path=path,
    )
    here = arrivals_by_year(pledge=pledge)
    rows = [ContextRow(y.year, y.arrivals, here.get(y.year, 0)) for y in context.years]
    return context, rows
