import csv
import io
import json
from io import StringIO

from django.core.management import call_command


def test_stats_prints_csv(personas, caseload):
    out = StringIO()
    call_command("stats", "--user", "statistician", "--csv", stdout=out)
    rows = {
        (r["country_of_origin"], r["year"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))
    }
    assert rows[("SYR", "2024")]["applications"] == "5"
    assert rows[("SYR", "2024")]["recognition_rate"] == "66.7"


def test_stats_breaks_down_and_reports_as_json(personas, caseload):
    out = StringIO()
    call_command("stats", "--user", "supervisor", "--by", "instance,year", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["unit"] == "persons"
    appeal = next(r for r in document["rows"] if r["instance"] == "appeal")
    assert (appeal["recognized"], appeal["rejected"]) == (1, 1)
    out = StringIO()
    call_command(
        "stats",
        "--user",
        "statistician",
        "--report",
        "--on",
        "2024-06-30",
        "--published",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["stock_by_origin"]["on"] == "2024-06-30"
    assert "refused" in report["decisions_by_sex_and_age_group"]


def test_benchmark_adds_the_office_for_a_statistics_user(personas, caseload, unhcr_excerpt):
    call_command("statistics", "import-unhcr", str(unhcr_excerpt), stdout=StringIO())
    out = StringIO()
    call_command(
        "statistics",
        "benchmark",
        "--origin",
        "SYR",
        "--year",
        "2023",
        "--user",
        "statistician",
        "--json",
        stdout=out,
    )
    office = json.loads(out.getvalue())["office"]
    # First instance and appeal together: 1 recognized, 4 rejected, shown as published (a
    # count of 1 to 4 as 5, the rate from the shown counts), to a statistician too.
    assert (office["recognized"], office["rejected"], office["rrr"]) == (5, 5, 0.5)
    assert json.loads(out.getvalue())["gap"]["flagged"] in (True, False)


def test_the_consistency_command_reads_any_csv(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("judge,outcome,kind\n" + "a,yes,x\n" * 30 + "b,no,x\n" * 30, encoding="utf-8")
    out = StringIO()
    call_command(
        "statistics",
        "consistency",
        str(path),
        "--maker",
        "judge",
        "--outcome",
        "outcome",
        "--granted",
        "yes",
        "--refused",
        "no",
        "--group",
        "kind",
        "--json",
        stdout=out,
    )
    makers = {m["maker"]: m for m in json.loads(out.getvalue())["makers"]}
    assert (makers["a"]["rate"], makers["b"]["rate"]) == (1.0, 0.0)
    assert {makers["a"]["verdict"], makers["b"]["verdict"]} == {"higher", "lower"}
