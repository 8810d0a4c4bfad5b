"""``nansen tokens``: create, list and revoke personal API tokens."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nansen.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        # No default: whoever issues a token decides whether it may change anything.
        create.add_argument(
            "--scope",
            required=True,
            choices=ApiToken.Scope.values,
            help="read: the token only reads; read_write: it may also change records.",
        )
        create.add_argument("--name", default="api")
        create.add_argument("--days", type=int, default=None)
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int)

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc

    def handle(self, *args, action, **options):
        if action == "create":
            if options["days"] is not None and options["days"] < 1:
                raise CommandError("--days must be at least 1.")
            token, raw = ApiToken.issue(
                user=self._user(options["username"]),
                name=options["name"],
                scope=options["scope"],
                days=options["days"],
            )
            self.stdout.write(raw)
            self.stderr.write(
                f"token {token.pk} ({token.scope}) expires {token.expires_at:%Y-%m-%d}"
            )
        elif action == "list":
            for token in ApiToken.objects.filter(user=self._user(options["username"])):
                state = (
                    "revoked"
                    if token.revoked_at
                    else ("expired" if token.expires_at <= timezone.now() else "active")
                )
                self.stdout.write(
                    f"{token.pk}\t{token.name}\t{state}"
                    f"\texpires {token.expires_at:%Y-%m-%d}\t{token.scope}"
                )
        else:
            updated = ApiToken.objects.filter(
                pk=options["token_id"], revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            if not updated:
                raise CommandError(f"No active token {options['token_id']}.")
            self.stdout.write(f"token {options['token_id']} revoked")
