"""Resettlement arrivals as UNHCR recorded them, for context beside a pledge.

Read straight from UNHCR's ``solutions.csv`` (Refugee Data Finder, CC BY 4.0): one row per
year, country of origin and receiving country, with the persons resettled. Until the
statistics app's reference tables (``nansen statistics import-unhcr``) hold these figures,
this module is the one place that reads them; it should then read those tables instead.

Every value is read as a string: "NA" is Namibia's code and is never a missing value. The
country columns used are the ISO ones (``coa_iso``, ``coo_iso``): UNHCR's own ``coa`` code
"AUS" is Austria, while ISO's AUS is Australia.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nansen.core.reference_data import reference_data_dir

COLUMNS = ("year", "coo_iso", "coa_iso", "resettlement")


def solutions_path() -> Path:
    """Where the shared UNHCR data lives beside the project (as the demo reads it)."""
    return reference_data_dir() / "unhcr" / "solutions.csv"


@dataclass(frozen=True)
class YearArrivals:
    year: int
    arrivals: int | None  # None: UNHCR recorded no resettlement for that year and population


@dataclass(frozen=True)
class UnhcrContext:
    country: str
    origins: tuple[str, ...]
    years: list[YearArrivals]
    available: bool  # False when the data file could not be read

    @property
    def total(self) -> int:
        return sum(y.arrivals or 0 for y in self.years)


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(float(text))  # some exports wrote counts as 2015.0
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _by_receiving_country(path: str, _mtime: float) -> dict[str, list[tuple[int, str, int]]]:
    """(year, origin, persons resettled) rows of each receiving country; read once per file
    version."""
    table: dict[str, list[tuple[int, str, int]]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        for row in reader:
            year, persons = _int(row["year"]), _int(row["resettlement"])
            if year is None or persons is None:
                continue
            table.setdefault(row["coa_iso"], []).append((year, row["coo_iso"], persons))
    return table


def resettlement_arrivals(
    *,
    country: str,
    origins: list[str] | tuple[str, ...] = (),
    year_from: int,
    year_to: int,
    path: Path | None = None,
) -> UnhcrContext:
    """Persons UNHCR recorded as resettled to ``country`` in each year, from the given
    countries of origin (all origins when none is given)."""
    path = path or solutions_path()
    wanted = set(origins)
    try:
        rows = _by_receiving_country(str(path), path.stat().st_mtime).get(country, [])
    except (OSError, ValueError):
        return UnhcrContext(country, tuple(origins), [], available=False)
    per_year: dict[int, int] = {}
    for year, origin, persons in rows:
        if year_from <= year <= year_to and (not wanted or origin in wanted):
            per_year[year] = per_year.get(year, 0) + persons
    years = [YearArrivals(year, per_year.get(year)) for year in range(year_from, year_to + 1)]
    return UnhcrContext(country, tuple(origins), years, available=True)
