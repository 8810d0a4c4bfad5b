"""``nansen statistics``: UNHCR's reference tables, the comparison with world practice, UNHCR-
layout exports, the statistics cube and the consistency monitor on a file.

  nansen statistics import-unhcr [DIR]
  nansen statistics benchmark --origin SYR --year 2015 [--asylum JPN] [--user U] --json
  nansen statistics export --user U --table decisions|applications --format csv|xlsx -o FILE
  nansen statistics refresh
  nansen statistics consistency FILE --maker COL --outcome COL --granted V --refused V
                                [--group COL] [--period COL] [--json]
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from nansen.accounts.models import User
from nansen.audit.models import Channel
from nansen.core.permissions import NotAllowed
from nansen.core.reference_data import reference_data_dir
from nansen.statistics import exports
from nansen.statistics.comparison import benchmark
from nansen.statistics.consistency import Cell, consistency_monitor
from nansen.statistics.cube import cube_refresh
from nansen.statistics.masking import statistics_masked
from nansen.statistics.unhcr import unhcr_import


def _user(username: str | None) -> User | None:
    if not username:
        return None
    try:
        return User.objects.select_related("office").get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"No user {username!r}.") from exc


def _iso3(value: str) -> str:
    value = value.strip().upper()
    if len(value) != 3 or not value.isalpha():
        raise ValueError(value)
    return value


class Command(BaseCommand):
    help = "UNHCR reference data, comparison with world practice, exports, consistency monitor."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)

        importing = commands.add_parser(
            "import-unhcr", help="Replace the UNHCR reference tables with the CSVs in DIR."
        )
        importing.add_argument(
            "directory",
            type=Path,
            nargs="?",
            default=None,
            help="Folder with UNHCR's CSVs (default: the copy shipped with Nansen).",
        )

        bench = commands.add_parser(
            "benchmark", help="Rates for one nationality and year: world, country, office."
        )
        bench.add_argument("--origin", required=True, type=_iso3)
        bench.add_argument("--year", required=True, type=int)
        bench.add_argument("--asylum", type=_iso3)
        bench.add_argument("--user", help="Add the office's own figures (statistics roles).")
        bench.add_argument("--json", action="store_true", help="Print JSON (the default).")

        export = commands.add_parser("export", help="The office's figures in UNHCR's layout.")
        export.add_argument("--user", required=True)
        export.add_argument("--table", choices=list(exports.TABLES), default="decisions")
        export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        export.add_argument("--from", dest="year_from", type=int)
        export.add_argument("--to", dest="year_to", type=int)
        export.add_argument("--published", action="store_true")
        export.add_argument("-o", "--output", type=Path, help="File to write (CSV: stdout).")

        commands.add_parser("refresh", help="Rebuild the pre-aggregated statistics cube.")

        monitor = commands.add_parser(
            "consistency", help="Run the consistency monitor on decisions in a CSV file."
        )
        monitor.add_argument("file", type=Path)
        monitor.add_argument("--maker", required=True, help="Column naming the decision-maker.")
        monitor.add_argument("--outcome", required=True, help="Column holding the outcome.")
        monitor.add_argument("--granted", required=True, action="append", help="Grant value(s).")
        monitor.add_argument("--refused", required=True, action="append", help="Refusal value(s).")
        monitor.add_argument("--group", help="Case-mix column (e.g. nationality).")
        monitor.add_argument("--period", help="Period column (e.g. year).")
        monitor.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        command = options["command"].replace("-", "_")
        try:
            getattr(self, f"_{command}")(options)
        except (NotAllowed, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except Http404 as exc:
            raise CommandError("This user may not see the office's statistics.") from exc

    def _import_unhcr(self, options):
        record = unhcr_import(directory=options["directory"] or reference_data_dir() / "unhcr")
        for name, info in record.files.items():
            self.stdout.write(f"{name}: {info['rows']} rows")

    def _benchmark(self, options):
        user = _user(options["user"])
        document = benchmark(
            origin=options["origin"],
            year=options["year"],
            asylum=options["asylum"],
            user=user,
            published=statistics_masked(user=user, view="benchmark", channel=Channel.COMMAND),
        )
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _export(self, options):
        user = _user(options["user"])
        published = statistics_masked(
            user=user, view="export", channel=Channel.COMMAND, unmask=not options["published"]
        )
        rows = exports.unhcr_rows(
            options["table"],
            user=user,
            year_from=options["year_from"],
            year_to=options["year_to"],
            published=published,
        )
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("An XLSX export needs --output FILE.")
            options["output"].write_bytes(exports.as_xlsx(options["table"], rows))
            return
        text = exports.as_csv(options["table"], rows)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _refresh(self, options):
        snapshot = cube_refresh()
        self.stdout.write(
            f"Statistics cube built from decisions up to #{snapshot.decision_max_id} and "
            f"applications up to #{snapshot.application_max_id}."
        )

    def _consistency(self, options):
        granted, refused = set(options["granted"]), set(options["refused"])
        decided: Counter = Counter()
        grants: Counter = Counter()
        with options["file"].open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                outcome = row[options["outcome"]]
                if outcome not in granted | refused or not row[options["maker"]]:
                    continue
                key = (
                    row[options["maker"]],
                    row[options["group"]] if options["group"] else "",
                    row[options["period"]] if options["period"] else "",
                )
                decided[key] += 1
                grants[key] += outcome in granted
        result = consistency_monitor([Cell(*k, decided[k], grants[k]) for k in sorted(decided)])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        out = csv.writer(self.stdout, lineterminator="\n")
        out.writerow(
            [
                "maker",
                "decisions",
                "granted",
                "rate",
                "colleagues",
                "adjusted",
                "low",
                "high",
                "q",
                "verdict",
            ]
        )
        for m in result.makers:
            out.writerow(
                [
                    m.label,
                    m.decisions,
                    m.granted,
                    f"{m.rate:.3f}",
                    f"{m.expected_rate:.3f}",
                    f"{m.adjusted_rate:.3f}",
                    f"{m.adjusted_interval.low:.3f}",
                    f"{m.adjusted_interval.high:.3f}",
                    f"{m.q_value:.4f}",
                    m.verdict,
                ]
            )
