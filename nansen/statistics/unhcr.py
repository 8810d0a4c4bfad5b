"""UNHCR's asylum statistics: its codes, and the import of its published tables into the
reference tables the comparison with world practice reads.

The tables are UNHCR's Refugee Data Finder data as the R package ``refugees`` ships them
(asylum_decisions, asylum_applications, solutions, countries). They are read as strings:
"NA" is both Namibia's ISO code and the dec_level of new applications, never a missing value.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Instance
from nansen.statistics.models import (
    UnhcrApplication,
    UnhcrCountry,
    UnhcrDecision,
    UnhcrImport,
    UnhcrSolution,
)

SHIPPED_COUNTRIES = Path(__file__).resolve().parent / "data" / "unhcr_countries.csv"

# procedure_type: the authority with whom the claim was lodged (UNHCR, asylum_decisions
# documentation: G – Government, J – Joint, U – UNHCR).
PROCEDURE_TYPES = {"G": _("Government"), "J": _("Joint (government and UNHCR)"), "U": _("UNHCR")}
PROCEDURE_TYPE_OF_OFFICE = {
    Office.Kind.ASYLUM_AUTHORITY: "G",
    Office.Kind.UNHCR_OPERATION: "U",
}

# dec_level: the stage of the procedure (UNHCR, asylum_decisions documentation: "NA (New
# applications), RA (repeat/reopened applications) and AR (administrative review)"; FI and JR
# as UNHCR's tables use them). Other codes in UNHCR's tables (FA, EO, IN, SP, TA, TP, BL, CA,
# TR) are kept as published.
DEC_LEVELS = {
    "FI": _("First instance"),
    "NA": _("New applications"),
    "RA": _("Repeat or reopened applications"),
    "AR": _("Administrative review or appeal"),
    "JR": _("Judicial review"),
}
# How Nansen reports its own decisions: first instance on a first application → FI, on a
# repeat application → RA (UNHCR's level for repeat/reopened applications); appeal → AR;
# judicial review → JR.
DEC_LEVEL_OF_INSTANCE = {
    (Instance.FIRST, "new"): "FI",
    (Instance.FIRST, "repeat"): "RA",
    (Instance.APPEAL, "new"): "AR",
    (Instance.APPEAL, "repeat"): "AR",
    (Instance.JUDICIAL, "new"): "JR",
    (Instance.JUDICIAL, "repeat"): "JR",
}
# app_type and dec_level of an application lodged (N: new, R: repeat/reopened).
APPLICATION_CODES = {"new": ("N", "FI"), "repeat": ("R", "RA")}
PERSONS, CASES = "P", "C"

# In UNHCR's decisions table no count takes the values 1-4 or 6-9: small figures are
# published as 5 or 10, so either may stand for anything from 1 to 9. In the applications
# table counts from 1 to 4 are published as 5 (see nansen/data/reference/README.md).
MASKED_DECISION_VALUES = frozenset({5, 10})
MASKED_APPLICATION_VALUES = frozenset({5})
MASKED_RANGE = (1, 9)

DECISION_COLUMNS = (
    "year",
    "coo_name",
    "coo",
    "coo_iso",
    "coa_name",
    "coa",
    "coa_iso",
    "procedure_type",
    "dec_level",
    "dec_pc",
    "dec_recognized",
    "dec_other",
    "dec_rejected",
    "dec_closed",
    "dec_total",
)
APPLICATION_COLUMNS = (
    "year",
    "coo_name",
    "coo",
    "coo_iso",
    "coa_name",
    "coa",
    "coa_iso",
    "procedure_type",
    "app_type",
    "dec_level",
    "app_pc",
    "applied",
)
SOLUTION_COLUMNS = (
    "year",
    "coo_name",
    "coo",
    "coo_iso",
    "coa_name",
    "coa",
    "coa_iso",
    "returned_refugees",
    "resettlement",
    "naturalisation",
    "returned_idps",
)
COUNTRY_COLUMNS = (
    "iso_code",
    "unhcr_code",
    "name",
    "unhcr_region",
    "unsd_region",
    "unsd_subregion",
    "unsd_imregion",
)


@dataclass(frozen=True)
class UnhcrCountryCode:
    iso_code: str
    unhcr_code: str
    name: str


@cache
def shipped_countries() -> dict[str, UnhcrCountryCode]:
    """ISO code → UNHCR's code and name, from the copy of countries.csv shipped with Nansen."""
    with SHIPPED_COUNTRIES.open(newline="", encoding="utf-8") as handle:
        return {
            row["iso_code"]: UnhcrCountryCode(row["iso_code"], row["unhcr_code"], row["name"])
            for row in csv.DictReader(handle, dialect="excel")
            if row["iso_code"]
        }


def country_code(iso: str) -> UnhcrCountryCode:
    return shipped_countries().get(iso) or UnhcrCountryCode(iso, iso, iso)


# -- Import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    file_name: str
    model: type
    columns: tuple[str, ...]
    integers: tuple[str, ...]
    nullable: tuple[str, ...] = ()


TABLES = (
    Table("countries.csv", UnhcrCountry, COUNTRY_COLUMNS, ()),
    Table(
        "asylum_decisions.csv",
        UnhcrDecision,
        DECISION_COLUMNS,
        ("year", "dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
    ),
    Table("asylum_applications.csv", UnhcrApplication, APPLICATION_COLUMNS, ("year", "applied")),
    Table(
        "solutions.csv",
        UnhcrSolution,
        SOLUTION_COLUMNS,
        ("year",),
        ("returned_refugees", "resettlement", "naturalisation", "returned_idps"),
    ),
)


def _integer(value: str, *, where: str) -> int:
    try:
        return int(float(value)) if "." in value else int(value)
    except ValueError as exc:
        raise NotAllowed(f"{where}: {value!r} is not a whole number.") from exc


def _rows(path: Path, table: Table):
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in table.columns if c not in (reader.fieldnames or [])]
        if missing:
            raise NotAllowed(f"{path.name}: missing columns {', '.join(missing)}.")
        for number, row in enumerate(reader, start=2):
            values = {}
            for column in table.columns:
                raw = row[column]
                where = f"{path.name}, line {number}, {column}"
                if column in table.integers:
                    values[column] = _integer(raw, where=where)
                elif column in table.nullable:
                    values[column] = _integer(raw, where=where) if raw != "" else None
                else:
                    values[column] = raw
            yield table.model(**values)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def unhcr_import(*, directory: Path, actor=None) -> UnhcrImport:
    """Replace the reference tables with the UNHCR tables found in ``directory``: all of them
    or none (one transaction), never added to what was there. A table whose file is absent
    is left as it was."""
    directory = Path(directory)
    found = [t for t in TABLES if (directory / t.file_name).is_file()]
    if not found:
        raise NotAllowed(f"No UNHCR table (asylum_decisions.csv, …) in {directory}.")
    files = {}
    for table in found:
        path = directory / table.file_name
        table.model.objects.all().delete()
        batch: list = []
        count = 0
        for instance in _rows(path, table):
            batch.append(instance)
            if len(batch) == 5000:
                table.model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        table.model.objects.bulk_create(batch)
        count += len(batch)
        files[table.file_name] = {"sha256": _digest(path), "rows": count}
    record = UnhcrImport.objects.create(imported_by=actor, source=str(directory), files=files)
    audit_record(
        user=actor,
        action="unhcr_import",
        channel=Channel.COMMAND,
        object_type="unhcrimport",
        object_id=record.pk,
        details={"files": files},
    )
    return record
