"""``nansen resettlement``: demo data, UNHCR's context figures, fulfilment on the command line."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from nansen.accounts.models import Office
from nansen.resettlement.demo import DemoError, seed
from nansen.resettlement.selectors import pledge_summaries
from nansen.resettlement.unhcr import resettlement_arrivals


class Command(BaseCommand):
    help = "Resettlement and complementary pathways: demo data, UNHCR context, fulfilment."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser(
            "demo",
            help="Record the 2015 pledges for Syrians (with their sources) and demo referrals "
            "in every state, from the first UNHCR office (needs the demo installation).",
        )
        demo.add_argument("--office", help="Office code to refer from (default: UNHCR office)")
        context = sub.add_parser(
            "context", help="Resettlement arrivals UNHCR recorded (solutions.csv)."
        )
        context.add_argument("--country", required=True, help="Receiving country, ISO alpha-3")
        context.add_argument("--origin", action="append", default=[], help="Origin (repeat)")
        context.add_argument("--from", dest="year_from", type=int, required=True)
        context.add_argument("--to", dest="year_to", type=int, required=True)
        sub.add_parser("fulfilment", help="Every pledge's fulfilment in persons, as JSON.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _demo(self, *, office=None, **_options):
        chosen = None
        if office:
            chosen = Office.objects.filter(code=office).first()
            if chosen is None:
                raise CommandError(f"No office {office!r}.")
        try:
            pledges, referrals = seed(office=chosen)
        except DemoError as exc:
            raise CommandError(f"Resettlement demo not created: {exc}.") from exc
        self.stdout.write(f"Resettlement demo: {pledges} pledges, {referrals} referrals.")

    def _context(self, *, country, origin, year_from, year_to, **_options):
        found = resettlement_arrivals(
            country=country.upper(),
            origins=[o.upper() for o in origin],
            year_from=year_from,
            year_to=year_to,
        )
        if not found.available:
            raise CommandError("UNHCR's solutions.csv could not be read.")
        for row in found.years:
            self.stdout.write(f"{row.year}\t{'' if row.arrivals is None else row.arrivals}")
        self.stdout.write(f"total\t{found.total}")

    def _fulfilment(self, **_options):
        rows = [
            {
                "pledge": pledge.pk,
                "receiving_country": pledge.receiving_country,
                "programme_type": pledge.programme_type,
                "title": pledge.title,
                "places": f.places,
                "submitted": f.submitted,
                "accepted": f.accepted,
                "departed": f.departed,
                "arrived": f.arrived,
                "share_fulfilled": None
                if f.share_fulfilled is None
                else round(f.share_fulfilled, 1),
            }
            for pledge, f in pledge_summaries()
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
