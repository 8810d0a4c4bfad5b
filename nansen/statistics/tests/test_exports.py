import csv
import io
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from nansen.audit.models import AuditEntry
from nansen.statistics.tests.unhcr_data import UNHCR_DIR


def _header(name: str) -> list[str]:
    with (UNHCR_DIR / name).open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


# UNHCR receives the true counts (it masks them when it publishes): a supervisor unmasks the
# export for that purpose, which is recorded (statistics.masking).
FOR_UNHCR = {"unmask": "on", "purpose": "Annual submission to UNHCR"}


def test_the_decisions_export_has_unhcrs_columns_and_codes(client, personas, caseload):
    client.force_login(personas.supervisor)
    response = client.get(
        reverse("statistics:statistics_export", args=["decisions", "csv"]), FOR_UNHCR
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == _header("asylum_decisions.csv")
    by_level = {(r["year"], r["dec_level"]): r for r in rows}
    first = by_level[("2024", "FI")]
    assert (first["coo"], first["coo_iso"], first["coo_name"]) == ("SYR", "SYR", "Syrian Arab Rep.")
    assert (first["coa"], first["coa_iso"], first["procedure_type"], first["dec_pc"]) == (
        "JPN",
        "JPN",
        "G",
        "P",
    )
    assert [
        first[c] for c in ("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total")
    ] == ["2", "1", "0", "1", "4"]
    # The appeal that overturned a rejection is at UNHCR's level AR, beside the FI rejections.
    assert by_level[("2023", "FI")]["dec_rejected"] == "3"
    appeal = by_level[("2023", "AR")]
    assert (appeal["dec_recognized"], appeal["dec_rejected"]) == ("1", "1")
    assert AuditEntry.objects.filter(action="statistics_export").exists()


def test_the_xlsx_export_reads_back_with_the_same_rows(client, personas, caseload):
    client.force_login(personas.supervisor)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("statistics:statistics_export", args=["applications", "csv"]), FOR_UNHCR
                ).content.decode()
            )
        )
    )
    response = client.get(
        reverse("statistics:statistics_export", args=["applications", "xlsx"]), FOR_UNHCR
    )
    sheet = load_workbook(io.BytesIO(response.content))["asylum_applications"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == _header("asylum_applications.csv")
    read_back = [dict(zip(values[0], (str(v) for v in row), strict=True)) for row in values[1:]]
    assert read_back == csv_rows
    kinds = {
        (r["year"], r["coo_iso"], r["app_type"], r["dec_level"]): r["applied"] for r in read_back
    }
    assert kinds[("2024", "SYR", "N", "FI")] == "4"
    assert kinds[("2024", "SYR", "R", "RA")] == "1"  # the repeat application
    assert kinds[("2024", "AFG", "N", "FI")] == "2"


def test_a_published_export_masks_small_counts(personas, caseload):
    out = StringIO()
    call_command(
        "statistics",
        "export",
        "--user",
        "statistician",
        "--table",
        "applications",
        "--published",
        stdout=out,
    )
    applied = [r["applied"] for r in csv.DictReader(io.StringIO(out.getvalue()))]
    assert set(applied) == {"5"}
