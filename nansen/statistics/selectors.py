"""The office's asylum statistics: counted in persons (one application, one decision each)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404

from nansen.accounts.roles import Action
from nansen.core.reference import country_name
from nansen.procedures.models import Application, Decision, Instance
from nansen.statistics.rates import DecisionCounts, as_percent


@dataclass
class StatisticsRow:
    country_of_origin: str
    year: int
    applications_new: int = 0
    applications_repeat: int = 0
    decisions: DecisionCounts = field(default_factory=DecisionCounts)

    @property
    def applications(self) -> int:
        return self.applications_new + self.applications_repeat

    @property
    def recognition_rate(self) -> float | None:
        return as_percent(self.decisions.recognition_rate)

    @property
    def protection_rate(self) -> float | None:
        return as_percent(self.decisions.protection_rate)

    @property
    def country_name(self) -> str:
        return country_name(self.country_of_origin)

    def as_dict(self) -> dict:
        d = self.decisions
        return {
            "country_of_origin": self.country_of_origin,
            "year": self.year,
            "applications": self.applications,
            "applications_new": self.applications_new,
            "applications_repeat": self.applications_repeat,
            "recognized": d.recognized,
            "complementary": d.complementary,
            "rejected": d.rejected,
            "closed": d.closed,
            "total_decisions": d.total,
            "recognition_rate": self.recognition_rate,
            "protection_rate": self.protection_rate,
        }


def _office_scope(user) -> int:
    if not getattr(user, "is_authenticated", False) or not user.may(Action.VIEW_STATISTICS):
        raise Http404
    return user.office_id


def statistics_by_origin_and_year(
    *,
    user,
    year_from: int | None = None,
    year_to: int | None = None,
    instance: str = Instance.FIRST,
) -> list[StatisticsRow]:
    """Applications lodged and decisions by outcome, per country of origin and year, for the
    user's office. Persons only: each application and each decision is one person's."""
    office_id = _office_scope(user)
    rows: dict[tuple[str, int], StatisticsRow] = {}

    def row(origin: str, year: int) -> StatisticsRow:
        return rows.setdefault((origin, year), StatisticsRow(origin, year))

    applications = (
        Application.objects.filter(office_id=office_id)
        .annotate(year=ExtractYear("lodged_on"))
        .values("person__country_of_origin", "year")
        .annotate(
            new=Count("pk", filter=Q(ordinal=1)),
            repeat=Count("pk", filter=Q(ordinal__gt=1)),
        )
    )
    decisions = (
        Decision.objects.filter(application__office_id=office_id, instance=instance)
        .annotate(year=ExtractYear("decided_on"))
        .values("application__person__country_of_origin", "year", "outcome")
        .annotate(n=Count("pk"))
    )
    if year_from is not None:
        applications = applications.filter(lodged_on__year__gte=year_from)
        decisions = decisions.filter(decided_on__year__gte=year_from)
    if year_to is not None:
        applications = applications.filter(lodged_on__year__lte=year_to)
        decisions = decisions.filter(decided_on__year__lte=year_to)

    for item in applications:
        r = row(item["person__country_of_origin"], item["year"])
        r.applications_new = item["new"]
        r.applications_repeat = item["repeat"]
    by_outcome: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for item in decisions:
        key = (item["application__person__country_of_origin"], item["year"])
        by_outcome[key][item["outcome"]] = item["n"]
    for key, counts in by_outcome.items():
        row(*key).decisions = DecisionCounts(**counts)
    return sorted(rows.values(), key=lambda r: (-r.year, -r.decisions.total, r.country_name))


def statistics_totals(rows: list[StatisticsRow]) -> dict:
    decisions = sum((r.decisions for r in rows), DecisionCounts())
    return {
        "applications": sum(r.applications for r in rows),
        "decisions": decisions,
        "recognition_rate": as_percent(decisions.recognition_rate),
        "protection_rate": as_percent(decisions.protection_rate),
    }
