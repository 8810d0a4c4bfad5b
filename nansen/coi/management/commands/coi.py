"""``nansen coi``: the country-of-origin information library from the command line.

    nansen coi import PATH --user NAME   add sources from a CSV file, or from a folder of
                                         PDF, HTML and text files (with an optional
                                         sources.csv describing them)
    nansen coi demo --user NAME          add the demo library (summaries of public reports)
    nansen coi search QUERY              search it

The CSV columns: title, publisher, published_on (YYYY-MM-DD), countries (ISO 3166-1
alpha-3, separated by ";"), topics (separated by ";"), url, language (ISO 639-3, default
eng), reliability_note, and either text or file (a path relative to the CSV file).
All sources are added, or none: a refusal names the line.
"""

from __future__ import annotations

import html
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.html import strip_tags

from nansen.accounts.models import User
from nansen.coi.imports import rows_from_csv, rows_from_folder
from nansen.coi.models import Source
from nansen.coi.selectors import search_passages
from nansen.coi.services import sources_import
from nansen.core.permissions import NotAllowed


class Command(BaseCommand):
    help = "Import, load the demo library into, or search the country information library."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Add sources from a CSV file or a folder.")
        load.add_argument("path")
        load.add_argument("--user", required=True, help="Who adds them (recorded).")
        load.add_argument(
            "--country",
            action="append",
            default=[],
            help="For a folder without sources.csv: a country (repeatable).",
        )
        load.add_argument(
            "--topic",
            action="append",
            default=[],
            help="For a folder without sources.csv: a topic (repeatable).",
        )
        load.add_argument("--language", default="eng")
        demo = sub.add_parser("demo", help="Add the demo library (summaries of public reports).")
        demo.add_argument("--user", required=True)
        find = sub.add_parser("search", help="Search the library.")
        find.add_argument("query")
        find.add_argument("--country", default="")
        find.add_argument("--limit", type=int, default=10)

    def handle(self, *args, action: str, **options):
        if action == "search":
            return self._search(options)
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        try:
            if action == "demo":
                from nansen.coi.demo import demo_rows

                # Loading the demo twice adds nothing the second time.
                rows = [
                    row
                    for row in demo_rows()
                    if not Source.objects.filter(
                        title=row.data.title, published_on=row.data.published_on
                    ).exists()
                ]
            else:
                path = Path(options["path"])
                if path.is_dir():
                    rows = rows_from_folder(
                        path,
                        countries=options["country"],
                        topics=options["topic"],
                        language=options["language"],
                    )
                elif path.is_file():
                    rows = rows_from_csv(path)
                else:
                    raise CommandError(f"no file or folder {path}")
            added = sources_import(actor=user, rows=rows)
        except NotAllowed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(added)} source(s) added.")

    def _search(self, options):
        for result in search_passages(
            query=options["query"],
            office=None,
            today=timezone.localdate(),
            country=options["country"],
            limit=options["limit"],
        ):
            page = f"p. {result.passage.page}, " if result.passage.page else ""
            self.stdout.write(
                f"{result.rank:8.4f}  {result.source.publisher}, {result.source.title} "
                f"({result.source.published_on}), {page}para. {result.passage.number}"
            )
            self.stdout.write(f"          {html.unescape(strip_tags(result.snippet))}")
