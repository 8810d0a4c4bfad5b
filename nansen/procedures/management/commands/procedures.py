"""``nansen procedures``: the procedure profiles, the deadline calculator, the daily digest.

nansen procedures profiles [--on YYYY-MM-DD] [--markdown PROFILE]
nansen procedures deadline --profile jp-icrra --rule review-request --date 2025-04-28
nansen procedures digest [--date YYYY-MM-DD] [--days 14] [--base-url https://…] [--dry-run]
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nansen.procedures import profiles
from nansen.procedures.digest import digest_send
from nansen.procedures.profiles.docs import rules_table
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
        listing = sub.add_parser(
            "profiles",
            help="List each profile's steps, kinds of decision and deadline rules, with the "
            "articles they cite.",
        )
        listing.add_argument(
            "--on",
            help="Only what was in force that day (YYYY-MM-DD), citing the articles as "
            "numbered that day.",
        )
        listing.add_argument(
            "--markdown",
            metavar="PROFILE",
            help="Print the table of the profile's rules that docs/procedures/PROFILE.md carries.",
        )
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
        if action == "profiles" and options.get("markdown"):
            try:
                self.stdout.write(rules_table(profiles.get(options["markdown"])))
            except profiles.ProfileError as exc:
                raise CommandError(str(exc)) from None
        elif action == "profiles":
            self._profiles(_day(options["on"]) if options.get("on") else None)
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

    def _profiles(self, on: date | None):
        """Each profile (as in force on ``on``, if given): one line per rule, tab-separated:
        the kind of rule, its id, what it does, when it is in force, and its sources."""
        for full in profiles.profiles().values():
            profile = full.on(on) if on else full
            heading = f"{profile.id}\t{profile.name.get('en')}"
            self.stdout.write(heading + (f"\tin force on {on.isoformat()}" if on else ""))
            for step in profile.steps.values():
                to = ", ".join(
                    f"{key} → {stage}" if key else stage for key, stage in step.targets.items()
                )
                what = f"{', '.join(sorted(step.sources))} → {to}"
                self._rule("step", step.id, what, step)
            for form in profile.forms.values():
                self._rule("decision", form.id, f"{form.outcome}: {form.label.get('en')}", form)
            for rule in profile.deadlines.values():
                period = f"{rule.period} after {rule.after}" if rule.after else str(rule.period)
                self._rule("deadline", rule.id, f"{period}: {rule.label.get('en')}", rule)
            for mode in profile.modes.values():
                self._rule("mode", mode.id, mode.label.get("en"), mode)
            if profile.removal is not None:
                what = "suspends removal" if profile.removal.suspends else "no suspension"
                self._rule("removal", "removal", what, profile.removal)
                for exception in profile.removal.exceptions:
                    self._rule("removal", exception.id, exception.label.get("en"), exception)

    def _rule(self, kind: str, rule_id: str, what: str, item) -> None:
        in_force = item.in_force_text() if hasattr(item, "in_force_text") else ""
        sources = "; ".join(
            str(c) + (f" ({c.in_force_text()})" if c.dated else "") for c in item.citations
        )
        self.stdout.write(f"  {kind}\t{rule_id}\t{what}\t{in_force or 'always'}\t{sources}")

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
