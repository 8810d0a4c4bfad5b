"""``nansen procedures``: the procedure profiles, the deadline calculator, the daily digest.

nansen procedures profiles
nansen procedures deadline --profile jp-icrra --rule review-request --date 2025-04-28
nansen procedures digest [--date YYYY-MM-DD] [--days 14] [--base-url https://…] [--dry-run]
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nansen.procedures import profiles
from nansen.procedures.digest import digest_send
from nansen.procedures.selectors import DUE_SOON_DAYS


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Procedure profiles, deadlines and the daily digest of what is due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("profiles", help="List the profiles and the ids of their deadline rules.")
        deadline = sub.add_parser(
            "deadline", help="Print the last day of a period (ISO date) after an event."
        )
        deadline.add_argument("--profile", required=True)
        deadline.add_argument("--rule", required=True)
        deadline.add_argument("--date", required=True, help="Day of the event, YYYY-MM-DD")
        deadline.add_argument(
            "--explain", action="store_true", help="Also write each counting step to stderr."
        )
        digest = sub.add_parser("digest", help="E-mail each user what is due (run daily).")
        digest.add_argument("--date", help="Count from this day instead of today.")
        digest.add_argument("--days", type=int, default=DUE_SOON_DAYS)
        digest.add_argument("--base-url", default="", help="e.g. https://nansen.example.org")
        digest.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, action, **options):
        if action == "profiles":
            self._profiles()
        elif action == "deadline":
            self._deadline(options)
        else:
            today = _day(options["date"]) if options["date"] else timezone.localdate()
            result = digest_send(
                today=today,
                days=options["days"],
                base_url=options["base_url"],
                dry_run=options["dry_run"],
            )
            verb = "would send" if options["dry_run"] else "sent"
            self.stdout.write(
                f"{verb} {result.sent} digest(s); {result.skipped} user(s) had nothing due"
            )

    def _profiles(self):
        for profile in profiles.profiles().values():
            self.stdout.write(f"{profile.id}\t{profile.name.get('en')}")
            for rule in profile.deadlines.values():
                period = f"{rule.period} after {rule.after}" if rule.after else str(rule.period)
                self.stdout.write(f"  {rule.id}\t{period}\t{rule.label.get('en')}\t{rule.cited()}")

    def _deadline(self, options):
        try:
            profile = profiles.get(options["profile"])
        except profiles.ProfileError as exc:
            raise CommandError(str(exc)) from None
        rule = options["rule"]
        if rule not in profile.deadlines:
            raise CommandError(
                f"{profile.id} has no rule {rule!r} (rules: {', '.join(profile.deadlines)})"
            )
        computation = profile.last_day(rule, _day(options["date"]))
        if options["explain"]:
            for step in computation.steps:
                self.stderr.write(step)
        self.stdout.write(computation.last_day.isoformat())
