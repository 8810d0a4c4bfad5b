"""``nansen accounts``: create an administrator from the server's command line."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nansen.accounts import administration
from nansen.core.permissions import NotAllowed


class Command(BaseCommand):
    help = "Create the first administrator (or, with --another, one more)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create-admin",
            help="Create an administrator, who sets up a second factor at the first sign-in. "
            "The password is asked for twice, or read from --password-file.",
        )
        create.add_argument("username")
        create.add_argument(
            "--password-file",
            type=Path,
            help="Read the password from the first line of this file ('-': standard input), "
            "for automation.",
        )
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")
        create.add_argument("--email", default="")
        create.add_argument(
            "--another",
            action="store_true",
            help="Create one even though an active administrator exists: the second one that "
            "four-eyes approvals need, or a way back in when the others are lost.",
        )

    def handle(self, *args, action, **options):
        password = self._password(options["password_file"])
        try:
            user = administration.administrator_bootstrap(
                username=options["username"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                another=options["another"],
            )
        except NotAllowed as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        self.stdout.write(
            f"administrator {user.username} created; they set up their second factor at their "
            "first sign-in"
        )

    def _password(self, source: Path | None) -> str:
        if source is not None:
            try:
                text = sys.stdin.read() if str(source) == "-" else source.read_text()
            except OSError as exc:
                raise CommandError(f"cannot read the password file {source}: {exc}") from exc
            password = text.splitlines()[0] if text else ""
            if not password:
                raise CommandError("the password file is empty")
            return password
        if not sys.stdin.isatty():
            raise CommandError("no terminal to ask for the password: use --password-file")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return password
