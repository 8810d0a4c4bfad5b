"""The office beside world practice: its rates for a nationality and year next to those of
its country and of all countries of asylum in UNHCR's published tables.

Choices (docs/statistics.md):
- UNHCR figures add up every decision level (FI, AR, RA, JR, …) for the nationality and year,
  as UNHCR's own global rates do, and the office's figures add up its instances alike.
- Persons and cases are kept apart as UNHCR's dec_pc says: the rates are computed over the
  rows counted in persons (dec_pc = "P"), the unit Nansen counts in; rows counted in cases
  ("C") are reported beside them, never added.
- A UNHCR count of 5 or 10 may be a masked small number (unhcr.MASKED_DECISION_VALUES); the
  range of rates those counts allow is given, and a rate that rests on them is marked.
- The office is flagged where its total protection rate is at least GAP_FLAG below the
  world's for the same nationality and year and the two-proportion test rejects equality at
  ALPHA (the exact binomial test against the world's rate when the office has few decisions);
  the gap is given with Newcombe's 95 % interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from nansen.accounts.roles import Action
from nansen.statistics.consistency import poisson_binomial_p_value
from nansen.statistics.cube import Filters, decision_counts
from nansen.statistics.inference import (
    Interval,
    newcombe_difference,
    two_proportion_p_value,
    wilson,
)
from nansen.statistics.models import UnhcrDecision
from nansen.statistics.publication import OUTCOMES, is_masked, published_counts
from nansen.statistics.rates import DecisionCounts
from nansen.statistics.unhcr import CASES, MASKED_DECISION_VALUES, PERSONS

GAP_FLAG = 0.20
SMALL_EXPECTED = 5
ALPHA = 0.05
MASKED_LOW, MASKED_HIGH = 1, 10
UNHCR_COLUMNS = ("dec_recognized", "dec_other", "dec_rejected", "dec_closed")


@dataclass
class Figures:
    """Decisions by outcome with what masking allows: ``low`` and ``high`` bound the true
    counts where UNHCR published a masked figure (equal to ``counts`` otherwise)."""

    counts: DecisionCounts = field(default_factory=DecisionCounts)
    low: DecisionCounts = field(default_factory=DecisionCounts)
    high: DecisionCounts = field(default_factory=DecisionCounts)
    rows: int = 0

    @classmethod
    def exact(cls, counts: DecisionCounts) -> Figures:
        return cls(counts, counts, counts, 1)

    @property
    def masked(self) -> bool:
        """A substantive count (the rates' only inputs) may be a masked small number."""
        return any(
            getattr(self.low, c) != getattr(self.high, c)
            for c in ("recognized", "complementary", "rejected")
        )

    @property
    def rrr(self) -> float | None:
        rate = self.counts.recognition_rate
        return None if rate is None else float(rate)

    @property
    def tpr(self) -> float | None:
        rate = self.counts.protection_rate
        return None if rate is None else float(rate)

    def _bounds(self, worst: DecisionCounts, best: DecisionCounts, rate: str):
        low, high = getattr(worst, rate), getattr(best, rate)
        if low is None or high is None:
            return None
        return [float(low), float(high)]

    @property
    def rrr_range(self) -> list[float] | None:
        worst = DecisionCounts(self.low.recognized, self.high.complementary, self.high.rejected)
        best = DecisionCounts(self.high.recognized, self.low.complementary, self.low.rejected)
        return self._bounds(worst, best, "recognition_rate")

    @property
    def tpr_range(self) -> list[float] | None:
        worst = DecisionCounts(self.low.recognized, self.low.complementary, self.high.rejected)
        best = DecisionCounts(self.high.recognized, self.high.complementary, self.low.rejected)
        return self._bounds(worst, best, "protection_rate")

    @property
    def tpr_interval(self) -> Interval | None:
        return wilson(self.counts.protected, self.counts.substantive)

    def as_dict(self) -> dict:
        c = self.counts
        return {
            "recognized": c.recognized,
            "complementary": c.complementary,
            "rejected": c.rejected,
            "closed": c.closed,
            "rrr": self.rrr,
            "tpr": self.tpr,
            "substantive": c.substantive,
            "total": c.total,
            "masked": self.masked,
            "rrr_range": self.rrr_range,
            "tpr_range": self.tpr_range,
        }


def _add(figures: Figures, row: dict) -> None:
    values = [row[column] for column in UNHCR_COLUMNS]
    lows = [MASKED_LOW if v in MASKED_DECISION_VALUES else v for v in values]
    highs = [MASKED_HIGH if v in MASKED_DECISION_VALUES else v for v in values]
    figures.counts += DecisionCounts(*values)
    figures.low += DecisionCounts(*lows)
    figures.high += DecisionCounts(*highs)
    figures.rows += 1


def unhcr_figures(
    *, origin: str, years: tuple[int, int], asylum: str | None = None
) -> dict[int, dict[str, Figures]]:
    """{year: {"P": persons, "C": cases}} from UNHCR's decisions, all decision levels."""
    rows = UnhcrDecision.objects.filter(
        coo_iso=origin, year__gte=years[0], year__lte=years[1]
    ).values("year", "dec_pc", *UNHCR_COLUMNS)
    if asylum:
        rows = rows.filter(coa_iso=asylum)
    out: dict[int, dict[str, Figures]] = {}
    for row in rows:
        per_unit = out.setdefault(row["year"], {PERSONS: Figures(), CASES: Figures()})
        _add(per_unit.setdefault(row["dec_pc"], Figures()), row)
    return out


def _office_scope(user, *, published: bool) -> list[int]:
    """Unmasked figures for statistics roles; published (masked) ones for any signed-in
    member of an office."""
    if not getattr(user, "is_authenticated", False) or user.office_id is None:
        raise Http404
    if not published and not user.may(Action.VIEW_STATISTICS):
        raise Http404
    return [user.office_id]


def office_figures(
    *, user, origin: str | None, years: tuple[int, int], published: bool
) -> dict[int, dict[str, Figures]]:
    """{year: {origin: Figures}} from the office's decisions, all instances together."""
    counted = decision_counts(
        office_ids=_office_scope(user, published=published),
        dims=("year", "origin"),
        filters=Filters(year_from=years[0], year_to=years[1], origin=origin),
    )
    out: dict[int, dict[str, Figures]] = {}
    for (year, country), outcomes in counted.items():
        counts = DecisionCounts(**outcomes)
        figures = _published_figures(counts) if published else Figures.exact(counts)
        out.setdefault(year, {})[country] = figures
    return out


def _published_figures(counts: DecisionCounts) -> Figures:
    """The office's figures as published (statistics.publication), with bounds 1 and 5 for a
    masked cell."""
    shown = published_counts(counts)[0]
    masked = [is_masked(getattr(counts, c)) for c in OUTCOMES]
    values = [getattr(shown, c) for c in OUTCOMES]
    low = [1 if m else v for m, v in zip(masked, values, strict=True)]
    high = [5 if m else v for m, v in zip(masked, values, strict=True)]
    return Figures(shown, DecisionCounts(*low), DecisionCounts(*high), 1)


@dataclass
class Gap:
    difference: float
    interval: Interval | None
    p_value: float | None
    flagged: bool

    def as_dict(self) -> dict:
        return {
            "difference": self.difference,
            "interval": self.interval.as_list() if self.interval else None,
            "p_value": self.p_value,
            "flagged": self.flagged,
        }


def protection_gap(office: Figures, reference: Figures) -> Gap | None:
    """Office TPR minus reference TPR, with its 95 % interval and the test of equality."""
    a, b = office.counts, reference.counts
    if a.protection_rate is None or b.protection_rate is None:
        return None
    rate_b = float(b.protection_rate)
    difference = float(a.protection_rate) - rate_b
    interval = newcombe_difference(a.protected, a.substantive, b.protected, b.substantive)
    if min(a.protected, a.substantive - a.protected) < SMALL_EXPECTED or a.substantive < 30:
        # Few decisions: the normal approximation fails; the exact binomial test of the
        # office's grants against the reference rate (UNHCR's rate rests on far more
        # decisions and is taken as known).
        p_value = poisson_binomial_p_value([(a.substantive, rate_b)], a.protected)
    else:
        p_value = two_proportion_p_value(a.protected, a.substantive, b.protected, b.substantive)
    flagged = difference <= -GAP_FLAG and p_value is not None and p_value < ALPHA
    return Gap(difference, interval, p_value, flagged)


@dataclass
class ComparisonRow:
    year: int
    origin: str
    office: Figures | None
    country: Figures | None
    world: Figures | None
    country_cases: Figures | None = None
    world_cases: Figures | None = None

    @property
    def gap(self) -> Gap | None:
        if self.office is None or self.world is None:
            return None
        return protection_gap(self.office, self.world)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "origin": self.origin,
            "office": self.office.as_dict() if self.office else None,
            "country": self.country.as_dict() if self.country else None,
            "world": self.world.as_dict() if self.world else None,
            "gap": self.gap.as_dict() if self.gap else None,
        }


def _units(found: dict[str, Figures] | None) -> tuple[Figures | None, Figures | None]:
    if not found:
        return None, None
    persons, cases = found.get(PERSONS), found.get(CASES)
    return (persons if persons and persons.rows else None), (
        cases if cases and cases.rows else None
    )


def comparison_series(
    *,
    user,
    origin: str,
    asylum: str | None,
    years: tuple[int, int],
    published: bool,
) -> list[ComparisonRow]:
    """One nationality across years: the office, its country (``asylum``) and the world."""
    world = unhcr_figures(origin=origin, years=years)
    country = unhcr_figures(origin=origin, years=years, asylum=asylum) if asylum else {}
    office = office_figures(user=user, origin=origin, years=years, published=published)
    rows = []
    for year in range(years[0], years[1] + 1):
        world_p, world_c = _units(world.get(year))
        country_p, country_c = _units(country.get(year))
        office_year = office.get(year, {}).get(origin)
        if world_p or country_p or office_year or world_c or country_c:
            rows.append(
                ComparisonRow(year, origin, office_year, country_p, world_p, country_c, world_c)
            )
    return rows


def comparison_by_origin(*, user, year: int, asylum: str | None, published: bool):
    """Every nationality the office decided in ``year``, beside its country and the world."""
    office = office_figures(user=user, origin=None, years=(year, year), published=published)
    rows = []
    for origin, figures in sorted(office.get(year, {}).items()):
        world_p, world_c = _units(unhcr_figures(origin=origin, years=(year, year)).get(year))
        country_p, country_c = (None, None)
        if asylum:
            country_p, country_c = _units(
                unhcr_figures(origin=origin, years=(year, year), asylum=asylum).get(year)
            )
        rows.append(ComparisonRow(year, origin, figures, country_p, world_p, country_c, world_c))
    return rows


def benchmark(
    *, origin: str, year: int, asylum: str | None = None, user=None, published: bool = True
) -> dict:
    """What `nansen statistics benchmark` prints: rates as fractions over substantive
    decisions, all decision levels together, persons (dec_pc P) and cases (C) apart. The
    office's figures (with ``user``) are masked as ``published`` says (statistics.masking)."""

    def unit_document(found: dict[str, Figures] | None) -> dict:
        persons, cases = _units(found)
        document = (persons or Figures()).as_dict()
        document["unit"] = "persons"
        document["cases"] = cases.as_dict() if cases else None
        return document

    document: dict = {"origin": origin, "year": year}
    document["world"] = unit_document(unhcr_figures(origin=origin, years=(year, year)).get(year))
    if asylum:
        document["asylum"] = asylum
        document["country"] = unit_document(
            unhcr_figures(origin=origin, years=(year, year), asylum=asylum).get(year)
        )
    if user is not None:
        office = office_figures(user=user, origin=origin, years=(year, year), published=published)
        figures = office.get(year, {}).get(origin)
        if figures is not None:
            document["office"] = {**figures.as_dict(), "unit": "persons"}
            world_persons = _units(unhcr_figures(origin=origin, years=(year, year)).get(year))[0]
            gap = protection_gap(figures, world_persons) if world_persons else None
            document["gap"] = gap.as_dict() if gap else None
    return document
