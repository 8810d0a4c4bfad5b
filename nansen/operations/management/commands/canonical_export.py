"""``nansen canonical_export --output FILE``: every table, every row, in the canonical form
backups are checked with (one JSON line per row, tables and rows in a fixed order). Two
databases hold the same data exactly when their exports are identical, whatever the
database engine."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from nansen.operations.backup import backed_up_models, canonical_rows


class Command(BaseCommand):
    help = "Write the canonical export of every table (for restore drills)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, output: Path, **options):
        tables = rows = 0
        with output.open("w", encoding="utf-8") as handle:
            for model in backed_up_models("default"):
                table = json.dumps(model._meta.db_table)
                tables += 1
                for line in canonical_rows(model, "default"):
                    handle.write(f'{{"table":{table},"row":{line}}}\n')
                    rows += 1
        self.stdout.write(f"Exported {tables} tables, {rows} rows to {output}")
