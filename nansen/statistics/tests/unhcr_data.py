"""Excerpts of UNHCR's published tables (nansen/data/reference/unhcr), written to a folder for the
import: every row about Syrians, every row whose country of asylum is Namibia ("NA") and the
rows at decision level "NA" (new applications), so the import is fast and the "NA" traps are
in it."""

import csv
from functools import cache
from pathlib import Path

from nansen.core.reference_data import reference_data_dir

UNHCR_DIR = reference_data_dir() / "unhcr"


@cache
def read(name: str) -> list[dict]:
    with (UNHCR_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _keep(row: dict) -> bool:
    return (
        row["coo_iso"] == "SYR"
        or row.get("coa_iso") == "NAM"
        or row.get("coo_iso") == "NAM"
        or row.get("dec_level") == "NA"
    )


def write_excerpt(folder: Path) -> Path:
    for name in ("asylum_decisions.csv", "asylum_applications.csv", "solutions.csv"):
        rows = [r for r in read(name) if _keep(r)]
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    (folder / "countries.csv").write_bytes((UNHCR_DIR / "countries.csv").read_bytes())
    return folder
