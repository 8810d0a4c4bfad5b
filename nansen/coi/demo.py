"""The demo library (``nansen coi demo``): short summaries, written for Nansen's demo in our
own words, of real public reports on Syria and of the UNHCR guidelines they are read with.
Each names the report's title, publisher, date and address: read the original before
relying on it. They live in data/demo/ (sources.csv and one text file each)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nansen.coi.imports import rows_from_csv
from nansen.coi.services import ImportRow

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
DEMO_NOTE = (
    "Summary written for the Nansen demo, not the report's text; a date given to the month "
    "is set to the first of the month. Read the original before citing it."
)


def demo_rows() -> list[ImportRow]:
    rows = rows_from_csv(DEMO_DIR / "sources.csv")
    for row in rows:
        note = f"{row.data.reliability_note} {DEMO_NOTE}".strip()
        row.data = replace(row.data, reliability_note=note)
    return rows
