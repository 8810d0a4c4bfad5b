"""``nansen demo``: what ``make demo`` runs. Prepare the demo database, then serve it."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from nansen.accounts.models import Office
from nansen.demo.management.commands.demo_seed import DEFAULT_PASSWORD, logins_table


class Command(BaseCommand):
    help = (
        "Migrate the demo database, seed it on first use, collect the static files and serve "
        "Nansen at http://127.0.0.1:8000 (demo installations only: NANSEN_ENV=demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address to serve on.")
        parser.add_argument("--persons", type=int, default=3000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, but do not serve."
        )

    def handle(self, *args, addr: str, persons: int, no_serve: bool, **options):
        if settings.NANSEN_ENV != "demo":
            raise CommandError("`nansen demo` runs only with NANSEN_ENV=demo (see `make demo`).")
        call_command("migrate", interactive=False, verbosity=0)
        if Office.objects.exists():
            self.stdout.write("Using the existing demo database.")
            for line in logins_table(f"{DEFAULT_PASSWORD} (unless seeded with another)"):
                self.stdout.write(line)
        else:
            call_command("demo_seed", persons=persons, stdout=self.stdout, stderr=self.stderr)
            call_command("resettlement", "demo", stdout=self.stdout)
            call_command("coi", "demo", "--user", "supervisor", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("")
        self.stdout.write(f"Nansen demo: http://{addr}/  (stop with Ctrl-C)")
        if not no_serve:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
