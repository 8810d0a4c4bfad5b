"""``nansen stats``: the office's statistics per country of origin and year."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from nansen.accounts.models import User
from nansen.statistics.selectors import statistics_by_origin_and_year, statistics_totals


class Command(BaseCommand):
    help = (
        "Print applications and first-instance decisions per country of origin and year, "
        "in persons, with the refugee recognition rate and the total protection rate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            required=True,
            help="The user (with the statistician or supervisor role) whose office is counted.",
        )
        parser.add_argument("--from", dest="year_from", type=int)
        parser.add_argument("--to", dest="year_to", type=int)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, **options):
        try:
            user = User.objects.select_related("office").get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {options['user']!r}.") from exc
        try:
            rows = statistics_by_origin_and_year(
                user=user, year_from=options["year_from"], year_to=options["year_to"]
            )
        except Http404 as exc:
            raise CommandError(
                f"{user.username} may not see statistics (needs the statistician or "
                "supervisor role)."
            ) from exc
        if options["json"]:
            totals = statistics_totals(rows)
            document = {
                "office": user.office.code,
                "unit": "persons",
                "rows": [row.as_dict() for row in rows],
                "totals": {
                    "applications": totals["applications"],
                    "decisions": totals["decisions"].total,
                    "recognition_rate": totals["recognition_rate"],
                    "protection_rate": totals["protection_rate"],
                },
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        header = ("year", "origin", "applied", "recog", "compl", "reject", "closed", "RRR%", "TPR%")
        self.stdout.write("{:>4} {:<6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}".format(*header))
        for row in rows:
            d = row.decisions
            self.stdout.write(
                "{:>4} {:<6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}".format(
                    row.year,
                    row.country_of_origin,
                    row.applications,
                    d.recognized,
                    d.complementary,
                    d.rejected,
                    d.closed,
                    "-" if row.recognition_rate is None else f"{row.recognition_rate:.1f}",
                    "-" if row.protection_rate is None else f"{row.protection_rate:.1f}",
                )
            )
