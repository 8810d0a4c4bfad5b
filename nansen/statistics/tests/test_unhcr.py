import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from nansen.audit.models import AuditEntry
from nansen.statistics.comparison import benchmark
from nansen.statistics.models import (
    UnhcrApplication,
    UnhcrCountry,
    UnhcrDecision,
    UnhcrImport,
    UnhcrSolution,
)
from nansen.statistics.tests.unhcr_data import read

pytestmark = pytest.mark.django_db


def _import(folder) -> str:
    out = StringIO()
    call_command("statistics", "import-unhcr", str(folder), stdout=out)
    return out.getvalue()


def test_import_twice_replaces_and_never_doubles(unhcr_excerpt):
    _import(unhcr_excerpt)
    counts = (
        UnhcrDecision.objects.count(),
        UnhcrApplication.objects.count(),
        UnhcrSolution.objects.count(),
        UnhcrCountry.objects.count(),
    )
    assert counts[0] > 1000 and counts[3] == 232
    _import(unhcr_excerpt)
    assert (
        UnhcrDecision.objects.count(),
        UnhcrApplication.objects.count(),
        UnhcrSolution.objects.count(),
        UnhcrCountry.objects.count(),
    ) == counts
    assert UnhcrImport.objects.count() == 2
    assert AuditEntry.objects.filter(action="unhcr_import").count() == 2


def test_na_is_namibia_and_a_decision_level_never_a_missing_value(unhcr_excerpt):
    _import(unhcr_excerpt)
    assert UnhcrCountry.objects.get(iso_code="NAM").unhcr_code == "NAM"
    expected_levels = Counter(r["dec_level"] for r in read_excerpt(unhcr_excerpt))
    assert UnhcrDecision.objects.filter(dec_level="NA").count() == expected_levels["NA"] > 0
    assert UnhcrDecision.objects.filter(coa_iso="NAM").exists()
    assert not UnhcrDecision.objects.filter(dec_level="").exists()


def read_excerpt(folder):
    import csv

    with (folder / "asylum_decisions.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_folder_without_unhcr_tables_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No UNHCR table"):
        _import(tmp_path)


def _direct(origin: str, year: int, asylum: str | None = None, unit: str = "P") -> dict:
    """The figures computed straight from UNHCR's CSV, all decision levels together."""
    totals = Counter()
    for row in read("asylum_decisions.csv"):
        if row["coo_iso"] != origin or int(row["year"]) != year or row["dec_pc"] != unit:
            continue
        if asylum and row["coa_iso"] != asylum:
            continue
        for column in ("dec_recognized", "dec_other", "dec_rejected", "dec_closed"):
            totals[column] += int(row[column])
    substantive = totals["dec_recognized"] + totals["dec_other"] + totals["dec_rejected"]
    return {
        "recognized": totals["dec_recognized"],
        "complementary": totals["dec_other"],
        "rejected": totals["dec_rejected"],
        "closed": totals["dec_closed"],
        "rrr": totals["dec_recognized"] / substantive,
        "tpr": (totals["dec_recognized"] + totals["dec_other"]) / substantive,
    }


def test_benchmark_reproduces_syrians_worldwide_and_in_japan_2015(unhcr_excerpt):
    _import(unhcr_excerpt)
    out = StringIO()
    call_command(
        "statistics",
        "benchmark",
        "--origin",
        "SYR",
        "--year",
        "2015",
        "--asylum",
        "JPN",
        "--json",
        stdout=out,
    )
    document = json.loads(out.getvalue())
    keys = ("recognized", "complementary", "rejected", "closed", "rrr", "tpr")
    world, japan = _direct("SYR", 2015), _direct("SYR", 2015, "JPN")
    assert {k: document["world"][k] for k in keys} == pytest.approx(world)
    assert {k: document["country"][k] for k in keys} == pytest.approx(japan)
    assert document["world"]["tpr"] == pytest.approx(0.973, abs=5e-4)  # UNHCR's 97.3 %
    # Cases are never added to persons: they are reported apart.
    cases = _direct("SYR", 2015, unit="C")
    assert document["world"]["cases"]["recognized"] == cases["recognized"]
    assert document["world"]["recognized"] != world["recognized"] + cases["recognized"]
    # Japan's 5 recognitions may stand for any number from 1 to 10.
    assert document["country"]["masked"] is True
    assert document["country"]["rrr_range"][0] < 0.5 < document["country"]["rrr_range"][1]
    assert "office" not in document


def test_benchmark_without_asylum_has_no_country_key(unhcr_excerpt):
    _import(unhcr_excerpt)
    document = benchmark(origin="SYR", year=2016)
    assert "country" not in document
    assert document["world"]["rrr"] == pytest.approx(_direct("SYR", 2016)["rrr"])
