"""``nansen demo_seed``: fill an empty database with the demo installation of Nansen."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from nansen.accounts.models import Office
from nansen.accounts.roles import Role
from nansen.core.reference_data import reference_data_dir
from nansen.demo.caseload import (
    OFFICES,
    USERS,
    DemoDataError,
    load_demo_data,
    plan_caseload,
    summarize,
)
from nansen.demo.seed import create_installation, seed_caseload
from nansen.procedures.models import Outcome

DEFAULT_PERSONS = 3000
DEFAULT_SEED = 2015
DEFAULT_PASSWORD = "nansen-demo-2026"  # noqa: S105 - the demo's published password
MIN_PASSWORD_LENGTH = 12


def default_data_dir() -> Path:
    return reference_data_dir()


class Command(BaseCommand):
    help = (
        "Create the demo installation in an empty database: offices in Tokyo, Osaka and "
        "Kuala Lumpur and a legal-aid organisation, a user for every role, and a synthetic "
        "caseload whose countries of origin, names and outcomes follow real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help=f"How many persons to register, in family cases (default {DEFAULT_PERSONS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same caseload (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password of every demo user (at least 12 characters; default "
            f"{DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help="The reference data directory (default: the copy shipped with Nansen).",
        )

    def handle(self, *args, **options) -> None:
        offices = Office.objects.count()
        if offices:
            raise CommandError(
                f"This database already has {offices} office(s). demo_seed only fills an "
                "empty database: point NANSEN_DATABASE_URL at a new one and run "
                "`nansen migrate` first."
            )
        persons, seed, password = options["persons"], options["seed"], options["password"]
        if persons < 1:
            raise CommandError("--persons must be at least 1.")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise CommandError(
                f"The demo password must be at least {MIN_PASSWORD_LENGTH} characters long."
            )
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("The demo password is refused: " + " ".join(exc.messages)) from exc
        data_dir = options["data"] or default_data_dir()
        try:
            data = load_demo_data(Path(data_dir))
        except DemoDataError as exc:
            raise CommandError(f"{exc} (choose the data directory with --data DIR)") from exc

        started = time.monotonic()
        plan = plan_caseload(
            data, persons=persons, seed=seed, today=timezone.localdate(), now=timezone.now()
        )
        with transaction.atomic():
            _offices, _users = create_installation(password)
        reported = [0]

        def progress(done: int, total: int) -> None:
            tenth = done * 10 // total
            if tenth > reported[0] or done == total:
                reported[0] = tenth
                self.stderr.write(f"  {done}/{total} persons ({done * 100 // total} %)")

        self.stderr.write(f"Seeding {persons} persons in {len(plan)} cases (seed {seed})...")
        seed_caseload(plan, _users, progress)
        elapsed = time.monotonic() - started
        self._report(plan, password, elapsed)

    def _report(self, plan, password: str, elapsed: float) -> None:
        summary = summarize(plan)
        by_office = Counter()
        for case in plan:
            by_office[case.office] += len(case.members)
        out = self.stdout
        out.write(
            f"Demo installation created in {elapsed:.1f} s: {summary.cases} cases, "
            f"{summary.persons} persons, {summary.applications} applications, "
            f"{sum(summary.decisions.values())} first-instance decisions."
        )
        out.write(
            "  Persons by office: "
            + ", ".join(f"{code} {by_office[code]}" for code in sorted(by_office))
        )
        out.write(
            "  Decisions: " + ", ".join(f"{o.value} {summary.decisions.get(o, 0)}" for o in Outcome)
        )
        out.write("")
        for line in logins_table(password):
            out.write(line)


def logins_table(password: str) -> list[str]:
    """The demo users, their offices and roles, as lines of a table."""
    offices = {spec.code: spec for spec in OFFICES}
    rows = [("username", "office", "roles", "password")] + [
        (
            spec.username,
            f"{spec.office} ({offices[spec.office].name})",
            ", ".join(role.value for role in spec.roles)
            + (" (/admin/)" if Role.ADMINISTRATOR in spec.roles else ""),
            password,
        )
        for spec in USERS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["Demo logins:"]
    for index, row in enumerate(rows):
        lines.append(
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines
