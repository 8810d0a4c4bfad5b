"""The office's statistics in the layout of UNHCR's asylum tables, as CSV and XLSX, so that an
office can report to UNHCR from Nansen directly.

The columns are those of UNHCR's asylum_decisions and asylum_applications tables; country
codes and names are UNHCR's (statistics/data/unhcr_countries.csv); procedure_type, dec_level
and dec_pc / app_pc carry UNHCR's codes (statistics.unhcr). Counts are in persons ("P").
An export for UNHCR holds the true counts (UNHCR masks them when it publishes); a published
export applies the office's publication rules first.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from nansen.accounts.models import Office
from nansen.statistics import publication
from nansen.statistics.cube import Filters, application_counts, decision_counts
from nansen.statistics.rates import DecisionCounts
from nansen.statistics.selectors import office_scope
from nansen.statistics.unhcr import (
    APPLICATION_CODES,
    APPLICATION_COLUMNS,
    DEC_LEVEL_OF_INSTANCE,
    DECISION_COLUMNS,
    PERSONS,
    PROCEDURE_TYPE_OF_OFFICE,
    country_code,
)

TABLES = {"decisions": DECISION_COLUMNS, "applications": APPLICATION_COLUMNS}
SHEETS = {"decisions": "asylum_decisions", "applications": "asylum_applications"}


def _flow(year: int, origin: str, office: Office) -> dict:
    coo, coa = country_code(origin), country_code(office.country)
    return {
        "year": year,
        "coo_name": coo.name,
        "coo": coo.unhcr_code,
        "coo_iso": coo.iso_code,
        "coa_name": coa.name,
        "coa": coa.unhcr_code,
        "coa_iso": coa.iso_code,
        "procedure_type": PROCEDURE_TYPE_OF_OFFICE.get(office.kind, ""),
    }


def unhcr_decision_rows(
    *, user, year_from=None, year_to=None, published: bool = False
) -> list[dict]:
    (office_id,) = office_scope(user)
    office = Office.objects.get(pk=office_id)
    counted = decision_counts(
        office_ids=[office_id],
        dims=("year", "origin", "instance", "application"),
        filters=Filters(year_from=year_from, year_to=year_to),
    )
    merged: dict[tuple, Counter] = {}
    for (year, origin, instance, kind), outcomes in counted.items():
        key = (year, origin, DEC_LEVEL_OF_INSTANCE[(instance, kind)])
        merged.setdefault(key, Counter()).update(outcomes)
    rows = []
    for (year, origin, level), outcomes in sorted(merged.items()):
        counts = DecisionCounts(**{o: outcomes[o] for o in publication.OUTCOMES})
        if published:
            counts = publication.published_counts(counts)[0]
        rows.append(
            {
                **_flow(year, origin, office),
                "dec_level": level,
                "dec_pc": PERSONS,
                "dec_recognized": counts.recognized,
                "dec_other": counts.complementary,
                "dec_rejected": counts.rejected,
                "dec_closed": counts.closed,
                "dec_total": counts.total,
            }
        )
    return rows


def unhcr_application_rows(
    *, user, year_from=None, year_to=None, published: bool = False
) -> list[dict]:
    (office_id,) = office_scope(user)
    office = Office.objects.get(pk=office_id)
    counted = application_counts(
        office_ids=[office_id],
        dims=("year", "origin", "application"),
        filters=Filters(year_from=year_from, year_to=year_to),
    )
    rows = []
    for (year, origin, kind), applied in sorted(counted.items()):
        app_type, level = APPLICATION_CODES[kind]
        rows.append(
            {
                **_flow(year, origin, office),
                "app_type": app_type,
                "dec_level": level,
                "app_pc": PERSONS,
                "applied": publication.mask(applied) if published else applied,
            }
        )
    return rows


def unhcr_rows(table: str, **options) -> list[dict]:
    builder = {"decisions": unhcr_decision_rows, "applications": unhcr_application_rows}[table]
    return builder(**options)


def as_csv(table: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[table], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_xlsx(table: str, rows: list[dict]) -> bytes:
    # Imported here, as the import templates do: openpyxl (and numpy with it) costs every
    # process that loads the URLs half a second.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEETS[table]
    columns = TABLES[table]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in columns])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
