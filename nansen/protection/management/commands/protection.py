"""``nansen protection retention``: list, or anonymise, what the retention rules make due."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.core.permissions import NotAllowed
from nansen.protection.selectors import retention_due
from nansen.protection.services import person_anonymise


class Command(BaseCommand):
    help = "Apply the offices' retention rules."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser(
            "retention", help="List persons due for anonymisation; --apply anonymises them."
        )
        retention.add_argument("--office", required=True, help="Office code, e.g. TKY")
        retention.add_argument("--apply", action="store_true")
        retention.add_argument("--actor", help="The supervisor in whose name to anonymise")

    def handle(self, *args, action, **options):
        try:
            office = Office.objects.get(code=options["office"])
        except Office.DoesNotExist as exc:
            raise CommandError(f"No office {options['office']!r}.") from exc
        due = retention_due(office_id=office.pk)
        self.stdout.write(f"{len(due)} persons due for anonymisation in {office.code}")
        if not options["apply"]:
            for person in due:
                self.stdout.write(f"  person {person.pk}")
            return
        if not options["actor"]:
            raise CommandError("--apply needs --actor (a supervisor of the office).")
        actor = User.objects.filter(username=options["actor"], office=office).first()
        if actor is None or not actor.may(Action.PROTECT_DATA):
            raise CommandError(
                f"{options['actor']!r} is not a user of {office.code} who may anonymise data."
            )
        done = 0
        for person in due:
            try:
                person_anonymise(actor=actor, person=person, reason="retention period ended")
            except NotAllowed as exc:
                self.stderr.write(f"person {person.pk}: {exc}")
            else:
                done += 1
        self.stdout.write(f"{done} anonymised")
