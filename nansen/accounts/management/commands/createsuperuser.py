"""Django's ``createsuperuser``, refused: a superuser flag grants nothing in Nansen."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refused: create the first administrator with `nansen accounts create-admin`."

    def add_arguments(self, parser):
        # Whatever Django's command took, so that scripts calling it get this answer.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")

    def handle(self, *args, **options):
        raise CommandError(
            "Nansen has no superusers: roles decide what each account may do. Create the "
            "first administrator with `nansen accounts create-admin USERNAME` (it asks for "
            "the password; the second factor is set up at the first sign-in)."
        )
