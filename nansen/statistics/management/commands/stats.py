"""``nansen stats``: the office's statistics, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from nansen.accounts.models import User
from nansen.audit.models import Channel
from nansen.core.permissions import NotAllowed
from nansen.statistics.cube import Filters
from nansen.statistics.forms import YEAR
from nansen.statistics.masking import statistics_masked
from nansen.statistics.rates import as_percent
from nansen.statistics.selectors import (
    decision_table,
    overview_row_dicts,
    overview_table,
    report_as_dict,
    statistics_report,
)


def year(text: str) -> int:
    """A year the statistics can hold (the pages' and the API's bounds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    if not YEAR["min_value"] <= value <= YEAR["max_value"]:
        raise argparse.ArgumentTypeError(
            f"{value} is outside {YEAR['min_value']}-{YEAR['max_value']}"
        )
    return value


class Command(BaseCommand):
    help = (
        "Print applications and decisions per country of origin and year (or any breakdown "
        "with --by), in persons, with the refugee recognition rate and the total protection "
        "rate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            required=True,
            help="The user (with the statistician or supervisor role) whose office is counted.",
        )
        parser.add_argument("--from", dest="year_from", type=year)
        parser.add_argument("--to", dest="year_to", type=year)
        parser.add_argument(
            "--instance", choices=["first", "appeal", "judicial"], help="One instance only."
        )
        parser.add_argument(
            "--by",
            help="Break decisions down by these dimensions, comma-separated (origin, year, "
            "quarter, month, instance, application, sex, age_group, office, profile).",
        )
        parser.add_argument(
            "--report", action="store_true", help="Every standard table (with --json)."
        )
        parser.add_argument("--on", type=date.fromisoformat, help="Day of the pending caseload.")
        parser.add_argument(
            "--published",
            action="store_true",
            help="As published: counts from 1 to 4 shown as 5; identifying breakdowns refused.",
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="Print JSON.")
        output.add_argument("--csv", action="store_true", help="Print CSV.")

    def handle(self, *args, **options):
        try:
            user = User.objects.select_related("office").get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {options['user']!r}.") from exc
        try:
            self._print(user, options)
        except Http404 as exc:
            raise CommandError(
                f"{user.username} may not see statistics (needs the statistician or "
                "supervisor role)."
            ) from exc
        except NotAllowed as exc:
            raise CommandError(str(exc)) from exc

    def _print(self, user, options):
        years = {"year_from": options["year_from"], "year_to": options["year_to"]}
        published = statistics_masked(
            user=user, view="stats", channel=Channel.COMMAND, unmask=not options["published"]
        )
        if options["report"]:
            report = statistics_report(user=user, on=options["on"], published=published, **years)
            document = {"office": user.office.code, **report_as_dict(report)}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        if options["by"]:
            table = decision_table(
                user=user,
                by=tuple(d.strip() for d in options["by"].split(",") if d.strip()),
                filters=Filters(instance=options["instance"], **years),
                published=published,
            )
            document = {"office": user.office.code, **table.as_dict()}
            if options["json"]:
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            else:
                self._write_csv(document["rows"])
            return
        table = overview_table(
            user=user,
            instance=options["instance"] or "first",
            published=published,
            **years,
        )
        rows = overview_row_dicts(table)
        if options["json"]:
            document = {
                "office": user.office.code,
                "unit": table.unit,
                "published": table.published,
                "rows": rows,
                "totals": {
                    "applications": table.applications_total,
                    "decisions": table.total.total,
                    "recognition_rate": as_percent(table.total.recognition_rate),
                    "protection_rate": as_percent(table.total.protection_rate),
                },
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        if options["csv"]:
            self._write_csv(rows)
            return
        header = ("year", "origin", "applied", "recog", "compl", "reject", "closed", "RRR%", "TPR%")
        line = "{:>4} {:<6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}"
        self.stdout.write(line.format(*header))
        for row in rows:
            self.stdout.write(
                line.format(
                    row["year"],
                    row["country_of_origin"],
                    row["applications"],
                    row["recognized"],
                    row["complementary"],
                    row["rejected"],
                    row["closed"],
                    "-" if row["recognition_rate"] is None else f"{row['recognition_rate']:.1f}",
                    "-" if row["protection_rate"] is None else f"{row['protection_rate']:.1f}",
                )
            )

    def _write_csv(self, rows: list[dict]) -> None:
        if not rows:
            return
        writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
