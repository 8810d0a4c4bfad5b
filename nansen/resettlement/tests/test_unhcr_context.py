"""UNHCR's resettlement arrivals beside a pledge, read from solutions.csv."""

import csv
from datetime import date

import pytest

from nansen.resettlement.selectors import unhcr_context
from nansen.resettlement.services import pledge_record
from nansen.resettlement.tests.factories import pledge_input
from nansen.resettlement.unhcr import resettlement_arrivals, solutions_path
from nansen.testing import skip_or_fail

SOLUTIONS = solutions_path()


@pytest.fixture
def _unhcr_solutions():
    if not SOLUTIONS.is_file():
        skip_or_fail(f"no UNHCR data at {SOLUTIONS}")


needs_data = pytest.mark.usefixtures("_unhcr_solutions")


def _from_the_file(country: str, origin: str, year: int) -> int:
    """Read the file independently of the code under test (every value a string)."""
    total = 0
    with SOLUTIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["coa_iso"], row["coo_iso"], row["year"]) == (country, origin, str(year)):
                total += int(float(row["resettlement"] or 0))
    return total


@needs_data
def test_syrians_resettled_to_australia_in_2015_as_unhcr_recorded_them():
    expected = _from_the_file("AUS", "SYR", 2015)
    assert expected == 1502  # UNHCR Refugee Data Finder, solutions, 2025 edition
    found = resettlement_arrivals(country="AUS", origins=["SYR"], year_from=2015, year_to=2015)
    assert found.available
    assert [(y.year, y.arrivals) for y in found.years] == [(2015, expected)]


@needs_data
def test_the_iso_code_is_read_not_unhcrs_own():
    """UNHCR's own code AUS is Austria; ISO's AUS is Australia."""
    austria = resettlement_arrivals(country="AUT", origins=["SYR"], year_from=2015, year_to=2015)
    assert austria.total == _from_the_file("AUT", "SYR", 2015) != 1502


@needs_data
def test_a_pledge_shows_unhcr_arrivals_for_its_country_population_and_period(personas):
    pledge = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(
            receiving_country="DEU",
            programme_type="humanitarian_admission",
            period_start=date(2015, 1, 1),
            period_end=date(2017, 12, 31),
        ),
    )
    context, rows = unhcr_context(pledge=pledge, today=date(2020, 1, 1))
    assert [(r.year, r.unhcr_arrivals, r.arrived_here) for r in rows] == [
        (year, _from_the_file("DEU", "SYR", year) or None, 0) for year in (2015, 2016, 2017)
    ]
    assert context.total == sum(_from_the_file("DEU", "SYR", y) for y in (2015, 2016, 2017))


def test_values_are_read_as_strings_and_na_is_a_country(tmp_path):
    data = tmp_path / "solutions.csv"
    data.write_text(
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,returned_refugees,resettlement,"
        "naturalisation,returned_idps\n"
        "2015.0,Namibia,NAM,NA,Canada,CAN,CAN,,12,,\n"
        "2015,Syria,SYR,SYR,Canada,CAN,CAN,,NA,,\n"
        "2016,Syria,SYR,SYR,Canada,CAN,CAN,,,,\n",
        encoding="utf-8",
    )
    found = resettlement_arrivals(
        country="CAN", origins=["NA"], year_from=2015, year_to=2016, path=data
    )
    assert [(y.year, y.arrivals) for y in found.years] == [(2015, 12), (2016, None)]
    everyone = resettlement_arrivals(country="CAN", year_from=2015, year_to=2016, path=data)
    assert everyone.total == 12


def test_a_missing_file_is_said_to_be_unavailable(tmp_path):
    found = resettlement_arrivals(
        country="CAN", year_from=2015, year_to=2016, path=tmp_path / "none.csv"
    )
    assert not found.available and found.years == []
