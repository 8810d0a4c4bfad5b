"""The office's asylum statistics, counted in persons (one application, one decision each).

Every table is counted at each instance separately, as UNHCR's dec_level does: a person whose
rejection is overturned on appeal counts once as rejected at first instance and once as
recognized on appeal. Cases are never counted, so persons and cases are never added together.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.accounts.roles import Action
from nansen.core.reference import country_name
from nansen.procedures.models import Instance
from nansen.statistics import publication
from nansen.statistics.cube import (
    LOOK_UP,
    Filters,
    application_counts,
    current_snapshot,
    decision_counts,
    duration_counts,
)
from nansen.statistics.dimensions import (
    APPLICATION_DIMENSIONS,
    DECISION_DIMENSIONS,
    DIMENSIONS,
    validate_dimensions,
)
from nansen.statistics.rates import DecisionCounts, as_percent

UNIT = "persons"
COLUMN_LABELS = {
    "new": _("First applications"),
    "repeat": _("Repeat applications"),
    "pending": _("Pending"),
}
STOCK_DIMENSIONS = ("origin", "sex", "profile", "application", "office")
DURATION_DIMENSIONS = ("office", "instance", "year")


def office_scope(user) -> list[int]:
    """The offices whose statistics the user may see: their own. 404 for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.may(Action.VIEW_STATISTICS):
        raise Http404
    return [user.office_id]


def _labeller(dims: tuple[str, ...], keys):
    offices = {}
    if "office" in dims:
        position = dims.index("office")
        ids = {k[position] for k in keys}
        offices = dict(Office.objects.filter(pk__in=ids).values_list("pk", "code"))

    def labels(key) -> list[str]:
        out = []
        for dim, value in zip(dims, key, strict=True):
            if dim == "office":
                out.append(offices.get(value, str(value)))
            else:
                out.append(DIMENSIONS[dim].value_label(value))
        return out

    return labels


def _sort_key(dims, key):
    out = []
    for dim, value in zip(dims, key, strict=True):
        if dim in ("year", "quarter", "month"):
            out.append((-(value or 0), ""))
        elif dim == "origin":
            out.append((0, country_name(value)))
        else:
            out.append((0, str(value)))
    return out


# -- Decisions -------------------------------------------------------------------------------


@dataclass
class DecisionRow:
    key: tuple
    labels: list[str]
    counts: DecisionCounts
    masked: bool = False
    # The persons who lodged an application in the same group, {"new": n, "repeat": n}, in a
    # table that shows them beside the decisions (DecisionTable.beside); None otherwise.
    applications: dict[str, int] | None = None

    @property
    def applications_total(self) -> int | None:
        return None if self.applications is None else sum(self.applications.values())


@dataclass
class DecisionTable:
    dims: tuple[str, ...]
    rows: list[DecisionRow]
    total: DecisionCounts
    published: bool = False
    unit: str = UNIT
    # Totals of DecisionRow.applications, {"new": n, "repeat": n}, where the rows hold them.
    applications: dict[str, int] | None = None

    @property
    def headers(self) -> list[str]:
        return [str(DIMENSIONS[d].label) for d in self.dims]

    @property
    def applications_total(self) -> int | None:
        return None if self.applications is None else sum(self.applications.values())

    def beside(self, applications: CountTable) -> DecisionTable:
        """This table with ``applications`` (new and repeat, by the same dimensions) in its
        rows: a group with applications and no decisions gets a row of zero decisions, and a
        row is masked where either of its parts is."""
        empty = dict.fromkeys(applications.columns, 0)
        rows = {row.key: replace(row, applications=dict(empty)) for row in self.rows}
        for counted in applications.rows:
            row = rows.get(counted.key) or DecisionRow(
                counted.key, counted.labels, DecisionCounts()
            )
            rows[counted.key] = replace(
                row, applications=dict(counted.values), masked=row.masked or counted.masked
            )
        return replace(self, rows=list(rows.values()), applications=applications.totals)

    def as_dict(self) -> dict:
        return {
            "unit": self.unit,
            "published": self.published,
            "dimensions": list(self.dims),
            "rows": [
                {
                    **dict(zip(self.dims, row.key, strict=True)),
                    **_counts_dict(row.counts),
                    "masked": row.masked,
                }
                for row in self.rows
            ],
            "total": _counts_dict(self.total),
        }


def _counts_dict(c: DecisionCounts) -> dict:
    return {
        "recognized": c.recognized,
        "complementary": c.complementary,
        "rejected": c.rejected,
        "closed": c.closed,
        "total": c.total,
        "recognition_rate": as_percent(c.recognition_rate),
        "protection_rate": as_percent(c.protection_rate),
    }


def decision_table(
    *,
    user,
    snapshot=LOOK_UP,
    by: tuple[str, ...] = ("origin", "year"),
    filters: Filters | None = None,
    published: bool = False,
) -> DecisionTable:
    """Decisions by outcome per group of ``by``, in persons, with UNHCR's two rates."""
    dims = validate_dimensions(by, allowed=DECISION_DIMENSIONS)
    counted = decision_counts(
        office_ids=office_scope(user), dims=dims, filters=filters or Filters(), snapshot=snapshot
    )
    labels = _labeller(dims, counted)
    rows = []
    for key, outcomes in counted.items():
        counts = DecisionCounts(**outcomes)
        rows.append(DecisionRow(key, labels(key), counts))
    if published:
        publication.refuse_identifying_groups(dims, [r.counts.total for r in rows])
        for row in rows:
            row.counts, row.masked = publication.published_counts(row.counts)
    rows.sort(key=lambda r: _sort_key(dims, r.key))
    total = sum((r.counts for r in rows), DecisionCounts())
    return DecisionTable(dims, rows, total, published=published)


# -- Applications and stock -----------------------------------------------------------------


@dataclass
class CountRow:
    key: tuple
    labels: list[str]
    values: dict[str, int]
    masked: bool = False

    @property
    def total(self) -> int:
        return sum(self.values.values())


@dataclass
class CountTable:
    dims: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[CountRow]
    published: bool = False
    unit: str = UNIT
    on: date | None = None

    @property
    def headers(self) -> list[str]:
        return [str(DIMENSIONS[d].label) for d in self.dims]

    @property
    def column_labels(self) -> list[str]:
        return [str(COLUMN_LABELS.get(c, c)) for c in self.columns]

    @property
    def totals(self) -> dict[str, int]:
        return {c: sum(r.values.get(c, 0) for r in self.rows) for c in self.columns}

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def as_dict(self) -> dict:
        document = {
            "unit": self.unit,
            "published": self.published,
            "dimensions": list(self.dims),
            "rows": [
                {
                    **dict(zip(self.dims, row.key, strict=True)),
                    **row.values,
                    "total": row.total,
                    "masked": row.masked,
                }
                for row in self.rows
            ],
            "total": {**self.totals, "total": self.total},
        }
        if self.on is not None:
            document["on"] = self.on.isoformat()
        return document


def _count_table(dims, columns, grouped: dict, *, published: bool, on=None) -> CountTable:
    labels = _labeller(dims, grouped)
    rows = [CountRow(key, labels(key), values) for key, values in grouped.items()]
    rows = [r for r in rows if r.total]
    if published:
        publication.refuse_identifying_groups(dims, [r.total for r in rows])
        for row in rows:
            row.masked = any(publication.is_masked(v) for v in row.values.values())
            row.values = {c: publication.mask(v) for c, v in row.values.items()}
    rows.sort(key=lambda r: _sort_key(dims, r.key))
    return CountTable(dims, columns, rows, published=published, on=on)


def application_table(
    *,
    user,
    snapshot=LOOK_UP,
    by: tuple[str, ...] = ("origin", "year"),
    filters: Filters | None = None,
    published: bool = False,
) -> CountTable:
    """Applications lodged per group, in persons: first applications and repeat ones."""
    dims = validate_dimensions(by, allowed=APPLICATION_DIMENSIONS)
    split = "application" not in dims
    query_dims = (*dims, "application") if split else dims
    counted = application_counts(
        office_ids=office_scope(user),
        dims=query_dims,
        filters=filters or Filters(),
        snapshot=snapshot,
    )
    grouped: dict = {}
    for key, n in counted.items():
        if split:
            group, kind = key[:-1], key[-1]
        else:
            group, kind = key, key[dims.index("application")]
        values = grouped.setdefault(group, {"new": 0, "repeat": 0})
        values[kind] += n
    return _count_table(dims, ("new", "repeat"), grouped, published=published)


def stock_on(
    *,
    user,
    on: date,
    by: tuple[str, ...] = ("origin",),
    published: bool = False,
    snapshot=LOOK_UP,
) -> CountTable:
    """The pending caseload at first instance at the end of ``on``: persons whose application
    was lodged on or before that day and not decided at first instance by then.

    Whole months come from the cube; the days of ``on``'s month up to ``on`` are counted
    live, unless ``on`` is the month's last day (the usual case: a month's, quarter's or
    year's end), when its month is whole too."""
    dims = validate_dimensions(by, allowed=STOCK_DIMENSIONS)
    office_ids = office_scope(user)
    snapshot = current_snapshot() if snapshot is LOOK_UP else snapshot
    month_start = on.replace(day=1)
    whole_month = on.day == monthrange(on.year, on.month)[1]
    last_month = (on.year, on.month) if whole_month else None
    query_dims = (*dims, "year", "month")

    def before_month(counted: dict) -> Counter:
        kept: Counter = Counter()
        for key, n in counted.items():
            year, month = key[-2], key[-1]
            if (year, month) < (on.year, on.month) or (year, month) == last_month:
                kept[key[:-2]] += n if isinstance(n, int) else n.total()
        return kept

    def this_month(kind) -> Counter:
        if whole_month:
            return Counter()
        counted = kind(
            office_ids=office_ids,
            dims=dims,
            filters=Filters(
                on_or_after=month_start,
                on_or_before=on,
                instance=Instance.FIRST if kind is decision_counts else None,
            ),
            snapshot=None,
        )
        return Counter(
            {key: (n if isinstance(n, int) else n.total()) for key, n in counted.items()}
        )

    lodged = before_month(
        application_counts(
            office_ids=office_ids,
            dims=query_dims,
            filters=Filters(year_to=on.year),
            snapshot=snapshot,
        )
    ) + this_month(application_counts)
    decided = before_month(
        decision_counts(
            office_ids=office_ids,
            dims=query_dims,
            filters=Filters(year_to=on.year, instance=Instance.FIRST),
            snapshot=snapshot,
        )
    ) + this_month(decision_counts)
    pending = {key: {"pending": lodged[key] - decided.get(key, 0)} for key in lodged}
    return _count_table(dims, ("pending",), pending, published=published, on=on)


# -- Processing times -----------------------------------------------------------------------


def percentile(histogram: dict[int, int], q: float) -> float | None:
    """The q-quantile of values given as {value: count}, interpolated linearly between the
    closest ranks (numpy's default, and the textbook median for q = 0.5)."""
    n = sum(histogram.values())
    if n == 0:
        return None
    values = sorted(histogram)

    def value_at(rank: int) -> int:
        seen = 0
        for value in values:
            seen += histogram[value]
            if seen > rank:
                return value
        return values[-1]

    position = (n - 1) * q
    lower_rank = int(position)
    lower = value_at(lower_rank)
    upper = value_at(min(lower_rank + 1, n - 1))
    return lower + (upper - lower) * (position - lower_rank)


@dataclass
class DurationRow:
    key: tuple
    labels: list[str]
    decisions: int
    median_days: float | None
    p90_days: float | None


@dataclass
class DurationTable:
    dims: tuple[str, ...]
    rows: list[DurationRow] = field(default_factory=list)
    published: bool = False

    @property
    def headers(self) -> list[str]:
        return [str(DIMENSIONS[d].label) for d in self.dims]

    def as_dict(self) -> dict:
        return {
            "unit": "days",
            "published": self.published,
            "dimensions": list(self.dims),
            "rows": [
                {
                    **dict(zip(self.dims, r.key, strict=True)),
                    "decisions": r.decisions,
                    "median_days": r.median_days,
                    "p90_days": r.p90_days,
                }
                for r in self.rows
            ],
        }


def processing_times(
    *,
    user,
    snapshot=LOOK_UP,
    by: tuple[str, ...] = ("instance", "year"),
    filters: Filters | None = None,
    published: bool = False,
) -> DurationTable:
    """Median and 90th percentile of days from lodging to the first-instance decision, and
    from the decision appealed to the appeal decision (see cube.PREVIOUS_INSTANCE)."""
    dims = validate_dimensions(by, allowed=DURATION_DIMENSIONS)
    counted = duration_counts(
        office_ids=office_scope(user), filters=filters or Filters(), snapshot=snapshot
    )
    histograms: dict[tuple, Counter] = {}
    for (office_id, instance, year, days), n in counted.items():
        values = {"office": office_id, "instance": instance, "year": year}
        histograms.setdefault(tuple(values[d] for d in dims), Counter())[days] += n
    labels = _labeller(dims, histograms)
    rows = []
    for key, histogram in histograms.items():
        n = sum(histogram.values())
        hidden = published and n < publication.MIN_DECISIONS_FOR_PERCENTILES
        rows.append(
            DurationRow(
                key,
                labels(key),
                publication.mask(n) if published else n,
                None if hidden else percentile(histogram, 0.5),
                None if hidden else percentile(histogram, 0.9),
            )
        )
    rows.sort(key=lambda r: _sort_key(dims, r.key))
    return DurationTable(dims, rows, published=published)


# -- The overview: decisions beside applications, by country of origin and year ----------------


def overview_table(
    *,
    user,
    year_from: int | None = None,
    year_to: int | None = None,
    instance: str = Instance.FIRST,
    published: bool = False,
) -> DecisionTable:
    """Decisions at one instance by country of origin and year, each row beside the persons
    of that origin who lodged an application that year, for the user's office: the statistics
    page, GET /api/statistics and `nansen stats`. Latest year first, then the most decisions."""
    office_scope(user)
    snapshot = current_snapshot()
    applications = application_table(
        user=user,
        snapshot=snapshot,
        by=("origin", "year"),
        filters=Filters(year_from=year_from, year_to=year_to),
        published=published,
    )
    decisions = decision_table(
        user=user,
        snapshot=snapshot,
        by=("origin", "year"),
        filters=Filters(year_from=year_from, year_to=year_to, instance=instance),
        published=published,
    )
    table = decisions.beside(applications)
    table.rows.sort(key=lambda r: (-r.key[1], -r.counts.total, country_name(r.key[0])))
    return table


def overview_row_dicts(table: DecisionTable) -> list[dict]:
    """The rows of an overview_table as GET /api/statistics and `nansen stats` give them."""
    out = []
    for row in table.rows:
        (origin, year), applications = row.key, row.applications or {}
        counts = _counts_dict(row.counts)
        out.append(
            {
                "country_of_origin": origin,
                "year": year,
                "applications": row.applications_total or 0,
                "applications_new": applications.get("new", 0),
                "applications_repeat": applications.get("repeat", 0),
                "recognized": counts["recognized"],
                "complementary": counts["complementary"],
                "rejected": counts["rejected"],
                "closed": counts["closed"],
                "total_decisions": counts["total"],
                "recognition_rate": counts["recognition_rate"],
                "protection_rate": counts["protection_rate"],
            }
        )
    return out


def statistics_report(
    *,
    user,
    year_from: int | None = None,
    year_to: int | None = None,
    on: date | None = None,
    published: bool = False,
) -> dict:
    """The standard tables together, as `nansen stats --json`, the API and the report page
    show them. In a published report a table whose groups would identify persons is replaced
    by the refusal (publication.PublicationRefused)."""
    office_scope(user)
    years = Filters(year_from=year_from, year_to=year_to)
    first = Filters(year_from=year_from, year_to=year_to, instance=Instance.FIRST)
    stock_day = on or timezone.localdate()
    snap = current_snapshot()
    builders = {
        "decisions_by_origin_and_year": lambda: decision_table(
            user=user, snapshot=snap, by=("origin", "year"), filters=first, published=published
        ),
        "decisions_by_instance_and_year": lambda: decision_table(
            user=user, snapshot=snap, by=("instance", "year"), filters=years, published=published
        ),
        "applications_by_origin_and_year": lambda: application_table(
            user=user, snapshot=snap, by=("origin", "year"), filters=years, published=published
        ),
        "decisions_by_sex_and_age_group": lambda: decision_table(
            user=user, snapshot=snap, by=("sex", "age_group"), filters=first, published=published
        ),
        "decisions_by_profile_and_year": lambda: decision_table(
            user=user, snapshot=snap, by=("profile", "year"), filters=first, published=published
        ),
        "stock_by_origin": lambda: stock_on(
            user=user, snapshot=snap, on=stock_day, by=("origin",), published=published
        ),
        "processing_times": lambda: processing_times(
            user=user, snapshot=snap, by=("instance", "year"), filters=years, published=published
        ),
    }
    report = {}
    for name, build in builders.items():
        try:
            report[name] = build()
        except publication.PublicationRefused as refusal:
            report[name] = refusal
    return report


def report_as_dict(report: dict) -> dict:
    return {
        name: ({"refused": str(table)} if isinstance(table, Exception) else table.as_dict())
        for name, table in report.items()
    }
