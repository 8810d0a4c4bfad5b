"""Counting decisions and applications fast on a large caseload: pre-aggregated cells with a
live tail.

``nansen statistics refresh`` (run nightly) counts every decision and application into a few
grains of pre-aggregated cells (``DecisionCell``, ``ApplicationCell``, ``DurationCell``) and
records up to which ids it counted (``CubeSnapshot``). A table then reads the smallest grain
that holds the dimensions it needs and adds the rows recorded since, counted live with the same
expressions; a breakdown no grain holds is counted live in full. Without a snapshot everything
is live, so the figures never depend on whether the cube was built — only the speed does.

A correction of a person's details (country of origin, sex, date of birth) reaches the cells at
the next refresh; until then the cells count the person as they were when it ran.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from nansen.procedures.models import Appeal, Application, Decision, Instance
from nansen.statistics.dimensions import DIMENSIONS, DaysBetween, Year
from nansen.statistics.models import (
    ApplicationCell,
    CubeSnapshot,
    DecisionCell,
    DurationCell,
)

# Office is in every grain. Grains are tried in order; the first that holds every dimension
# a table needs is read.
DECISION_GRAINS: dict[int, tuple[str, ...]] = {
    1: ("origin", "application", "instance", "year", "month"),
    2: ("sex", "age_group", "instance", "year", "month"),
    3: ("profile", "application", "instance", "year", "month"),
    4: ("origin", "sex", "age_group", "application", "instance", "year"),
}
APPLICATION_GRAINS: dict[int, tuple[str, ...]] = {
    1: ("origin", "application", "profile", "year", "month"),
    2: ("sex", "age_group", "application", "year", "month"),
    3: ("origin", "sex", "age_group", "application", "year"),
}
# Rows recorded less than this long before a refresh are left to the live tail: a transaction
# still open when the refresh reads may commit a row with a lower id later.
SETTLING_TIME = timedelta(minutes=5)
# The start of the period an instance's processing time is counted from: an appeal or a
# court action from the day it was lodged (procedures.Appeal); a decision at those instances
# without a recorded appeal (entered directly) from the decision of the instance before.
PREVIOUS_INSTANCE = {Instance.APPEAL: Instance.FIRST, Instance.JUDICIAL: Instance.APPEAL}


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    origin: str | None = None
    instance: str | None = None
    # Exact days, for the stock on a date; the cells hold months, so these are counted live.
    on_or_after: date | None = None
    on_or_before: date | None = None

    def dimensions(self) -> set[str]:
        needed = {"year"}
        if self.origin:
            needed.add("origin")
        if self.instance:
            needed.add("instance")
        return needed


def _base(dims: Iterable[str]) -> tuple[str, ...]:
    """The stored dimensions a table needs: a quarter is read from the month."""
    out: list[str] = []
    for d in dims:
        stored = "month" if d == "quarter" else d
        if stored not in out:
            out.append(stored)
    return tuple(out)


def _grain(needed: set[str], grains: dict[int, tuple[str, ...]]) -> int | None:
    for grain, dims in grains.items():
        if needed - {"office"} <= set(dims):
            return grain
    return None


LOOK_UP = object()


def current_snapshot() -> CubeSnapshot | None:
    return CubeSnapshot.objects.order_by("-built_at", "-pk").first()


def _snapshot(given) -> CubeSnapshot | None:
    """A table that reads several counts may look the snapshot up once and pass it on."""
    return current_snapshot() if given is LOOK_UP else given


def _alias(dim: str) -> str:
    return f"d_{dim}"


def _id_range(model, rows, after_id, through_id):
    """Rows after the snapshot are looked up by id first: filtered by instance or office
    alone, SQLite's planner would scan every decision of the instance to find a day's few."""
    if after_id:
        rows = rows.filter(pk__in=model.objects.filter(pk__gt=after_id).values("pk"))
    if through_id is not None:
        rows = rows.filter(pk__lte=through_id)
    return rows


def _tail_is_empty(model, after_id) -> bool:
    return bool(after_id) and not model.objects.filter(pk__gt=after_id).exists()


def _live(
    model, office_ids, dims: tuple[str, ...], filters: Filters, *, after_id=0, through_id=None
):
    """Count rows of Decision or Application grouped by ``dims`` (and outcome for decisions)."""
    deciding = model is Decision
    if deciding:
        rows = Decision.objects.filter(application__office_id__in=office_ids)
        date_field, origin_field = "decided_on", "application__person__country_of_origin"
    else:
        rows = Application.objects.filter(office_id__in=office_ids)
        date_field, origin_field = "lodged_on", "person__country_of_origin"
    rows = _id_range(model, rows, after_id, through_id)
    if filters.year_from is not None:
        rows = rows.filter(**{f"{date_field}__year__gte": filters.year_from})
    if filters.year_to is not None:
        rows = rows.filter(**{f"{date_field}__year__lte": filters.year_to})
    if filters.on_or_after is not None:
        rows = rows.filter(**{f"{date_field}__gte": filters.on_or_after})
    if filters.on_or_before is not None:
        rows = rows.filter(**{f"{date_field}__lte": filters.on_or_before})
    if filters.origin:
        rows = rows.filter(**{origin_field: filters.origin})
    if filters.instance and deciding:
        rows = rows.filter(instance=filters.instance)
    expressions = {}
    for dim in dims:
        dimension = DIMENSIONS[dim]
        make = dimension.on_decision if deciding else dimension.on_application
        expressions[_alias(dim)] = make()
    if deciding:
        expressions["d_outcome"] = F("outcome")
    names = list(expressions)
    counted: Counter = Counter()
    for row in rows.annotate(**expressions).values(*names).annotate(n=Count("pk")).order_by():
        counted[tuple(row[name] for name in names)] += row["n"]
    return counted


def _cells(cell_model, grain, office_ids, dims: tuple[str, ...], filters: Filters) -> Counter:
    cells = cell_model.objects.filter(grain=grain, office_id__in=office_ids)
    if filters.year_from is not None:
        cells = cells.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        cells = cells.filter(year__lte=filters.year_to)
    if filters.origin:
        cells = cells.filter(origin=filters.origin)
    if filters.instance and cell_model is DecisionCell:
        cells = cells.filter(instance=filters.instance)
    fields = [("office_id" if d == "office" else d) for d in dims]
    if cell_model is DecisionCell:
        fields.append("outcome")
    counted: Counter = Counter()
    for row in cells.values(*fields).annotate(n=Sum("persons")).order_by():
        counted[tuple(row[f] for f in fields)] += row["n"]
    return counted


def _counts(
    kind: str, *, office_ids, dims, filters: Filters, snapshot=LOOK_UP
) -> tuple[tuple[str, ...], Counter]:
    model, cell_model, grains, max_field = {
        "decisions": (Decision, DecisionCell, DECISION_GRAINS, "decision_max_id"),
        "applications": (Application, ApplicationCell, APPLICATION_GRAINS, "application_max_id"),
    }[kind]
    needed = _base(dims)
    query_dims = needed + tuple(sorted(filters.dimensions() - set(needed)))
    snapshot = _snapshot(snapshot)
    exact_days = filters.on_or_after is not None or filters.on_or_before is not None
    grain = _grain(set(query_dims), grains) if snapshot and not exact_days else None
    counted: Counter = Counter()
    after = 0
    if grain is not None:
        counted += _cells(cell_model, grain, office_ids, query_dims, filters)
        after = getattr(snapshot, max_field)
    if not _tail_is_empty(model, after):
        counted += _live(model, office_ids, query_dims, filters, after_id=after)
    return query_dims, counted


def _reshape(query_dims, counted: Counter, dims: tuple[str, ...], with_outcome: bool) -> dict:
    """Sum the counted cells into the keys of ``dims`` (deriving quarters from months)."""
    position = {d: i for i, d in enumerate(query_dims)}
    out: dict = {}
    for key, n in counted.items():
        if not n:
            continue
        values = []
        for d in dims:
            if d == "quarter":
                month = key[position["month"]]
                values.append((month - 1) // 3 + 1)
            else:
                values.append(key[position[d]])
        group = tuple(values)
        if with_outcome:
            out.setdefault(group, Counter())[key[-1]] += n
        else:
            out[group] = out.get(group, 0) + n
    return out


def decision_counts(
    *, office_ids, dims: tuple[str, ...], filters: Filters, snapshot=LOOK_UP
) -> dict:
    """{key of dims: Counter of outcome → persons}."""
    query_dims, counted = _counts(
        "decisions", office_ids=office_ids, dims=dims, filters=filters, snapshot=snapshot
    )
    return _reshape(query_dims, counted, dims, with_outcome=True)


def application_counts(
    *, office_ids, dims: tuple[str, ...], filters: Filters, snapshot=LOOK_UP
) -> dict:
    """{key of dims: persons who lodged an application}."""
    query_dims, counted = _counts(
        "applications", office_ids=office_ids, dims=dims, filters=filters, snapshot=snapshot
    )
    return _reshape(query_dims, counted, dims, with_outcome=False)


def _live_durations(office_ids, *, after_id=0, through_id=None, filters: Filters | None = None):
    lodged = Subquery(Appeal.objects.filter(new_decision=OuterRef("pk")).values("lodged_on")[:1])
    previous = {
        instance: Coalesce(
            lodged,
            Subquery(
                Decision.objects.filter(
                    application=OuterRef("application"), instance=before
                ).values("decided_on")[:1]
            ),
        )
        for instance, before in PREVIOUS_INSTANCE.items()
    }
    start = Case(
        When(instance=Instance.FIRST, then=F("application__lodged_on")),
        *(When(instance=instance, then=sub) for instance, sub in previous.items()),
    )
    rows = _id_range(
        Decision,
        Decision.objects.filter(application__office_id__in=office_ids),
        after_id,
        through_id,
    )
    if filters is not None:
        if filters.year_from is not None:
            rows = rows.filter(decided_on__year__gte=filters.year_from)
        if filters.year_to is not None:
            rows = rows.filter(decided_on__year__lte=filters.year_to)
        if filters.instance:
            rows = rows.filter(instance=filters.instance)
    rows = (
        rows.annotate(
            d_office=F("application__office_id"),
            d_year=Year("decided_on"),
            d_start=start,
        )
        .annotate(d_days=DaysBetween(F("decided_on"), F("d_start")))
        .filter(d_start__isnull=False)
        .values("d_office", "instance", "d_year", "d_days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted: Counter = Counter()
    for row in rows:
        days = row["d_days"]
        counted[(row["d_office"], row["instance"], row["d_year"], days)] += row["n"]
    return counted


def duration_counts(*, office_ids, filters: Filters, snapshot=LOOK_UP) -> Counter:
    """{(office id, instance, year of decision, days): decisions}."""
    snapshot = _snapshot(snapshot)
    counted: Counter = Counter()
    after = 0
    if snapshot is not None:
        cells = DurationCell.objects.filter(office_id__in=office_ids)
        if filters.year_from is not None:
            cells = cells.filter(year__gte=filters.year_from)
        if filters.year_to is not None:
            cells = cells.filter(year__lte=filters.year_to)
        if filters.instance:
            cells = cells.filter(instance=filters.instance)
        for office_id, instance, year, days, n in cells.values_list(
            "office_id", "instance", "year", "days", "decisions"
        ):
            counted[(office_id, instance, year, days)] += n
        after = snapshot.decision_max_id
    if not _tail_is_empty(Decision, after):
        counted += _live_durations(office_ids, after_id=after, filters=filters)
    return counted


def _watermark(model, time_field: str, cutoff) -> int:
    last = (
        model.objects.filter(**{f"{time_field}__lt": cutoff})
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


@transaction.atomic
def cube_refresh() -> CubeSnapshot:
    """Rebuild every cell from the decisions and applications recorded before the settling
    time; newer rows stay in the live tail. Replaces the previous cells in one transaction."""
    from nansen.accounts.models import Office

    cutoff = timezone.now() - SETTLING_TIME
    decision_max = _watermark(Decision, "recorded_at", cutoff)
    application_max = _watermark(Application, "created_at", cutoff)
    office_ids = list(Office.objects.values_list("pk", flat=True))
    DecisionCell.objects.all().delete()
    ApplicationCell.objects.all().delete()
    DurationCell.objects.all().delete()
    everything = Filters()
    for grain, dims in DECISION_GRAINS.items():
        query_dims = ("office", *dims)
        counted = _live(Decision, office_ids, query_dims, everything, through_id=decision_max)
        DecisionCell.objects.bulk_create(
            (
                DecisionCell(
                    grain=grain,
                    persons=n,
                    outcome=key[-1],
                    **_cell_fields(query_dims, key),
                )
                for key, n in counted.items()
            ),
            batch_size=5000,
        )
    for grain, dims in APPLICATION_GRAINS.items():
        query_dims = ("office", *dims)
        counted = _live(Application, office_ids, query_dims, everything, through_id=application_max)
        ApplicationCell.objects.bulk_create(
            (
                ApplicationCell(grain=grain, persons=n, **_cell_fields(query_dims, key))
                for key, n in counted.items()
            ),
            batch_size=5000,
        )
    DurationCell.objects.bulk_create(
        (
            DurationCell(office_id=o, instance=i, year=y, days=d, decisions=n)
            for (o, i, y, d), n in _live_durations(office_ids, through_id=decision_max).items()
        ),
        batch_size=5000,
    )
    CubeSnapshot.objects.all().delete()
    return CubeSnapshot.objects.create(
        decision_max_id=decision_max, application_max_id=application_max
    )


def _cell_fields(query_dims, key) -> dict:
    fields = {}
    for dim, value in zip(query_dims, key, strict=False):
        fields["office_id" if dim == "office" else dim] = value
    return fields
