"""The procedure engine at scale: counting periods, writing letters, and "my work" over an
office with tens of thousands of running periods.

Builds one bureau's refused applications, each with its notified refusal and its open
review-request period, rows written straight into the tables (the services are exercised by
the test suite), with last days spread over the past year and the next month. Then times:
the deadline computation (both profiles' rules, cold and warm holiday cache), the decision
letter as PDF in each language, the "My work" page for a supervisor (the whole office) and
for an officer (the applications in their charge), and one application's page, with the
number of queries each takes.

    .venv/bin/python bench/procedures/run.py --applications 20000 \
        --database sqlite:///var/bench/procedures.sqlite3
    .venv/bin/python bench/procedures/run.py --applications 20000 \
        --database postgres://postgres@127.0.0.1:5432/nansen_bench_procedures

The database must be new (or empty): it is migrated and filled. Prints a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def setup(database: str) -> None:
    os.environ["NANSEN_ENV"] = "test"
    os.environ["NANSEN_DATABASE_URL"] = database
    os.environ["NANSEN_TIME_ZONE"] = "Asia/Tokyo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, runs: int = 5) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(n: int, today: date):
    from nansen.accounts.models import Office
    from nansen.accounts.roles import Role
    from nansen.procedures.models import Application, Deadline, Decision
    from nansen.registration.models import Case, CaseMember, Person
    from nansen.testing import make_user

    rng = random.Random(7)  # noqa: S311 - synthetic data, not secrets
    office = Office.objects.create(
        code="TKY", name="Tokyo bureau", kind="asylum_authority", country="JPN"
    )
    supervisor = make_user("supervisor", office, Role.SUPERVISOR)
    officers = [make_user(f"officer{i}", office, Role.ELIGIBILITY_OFFICER) for i in range(20)]
    persons = Person.objects.bulk_create(
        [
            Person(
                office=office,
                given_name=f"Given{i}",
                family_name=f"Family{i}",
                sex=rng.choice("FM"),
                country_of_origin=rng.choice(["MMR", "TUR", "LKA", "NPL", "SYR", "AFG"]),
                created_by=supervisor,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    cases = Case.objects.bulk_create(
        [
            Case(office=office, number=f"TKY-2025-{i + 1:06d}", created_by=supervisor)
            for i in range(n)
        ],
        batch_size=1000,
    )
    CaseMember.objects.bulk_create(
        [
            CaseMember(case=c, person=p, relationship="principal")
            for c, p in zip(cases, persons, strict=True)
        ],
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                case=c,
                person=p,
                office=office,
                profile="jp-icrra",
                lodged_on=today - timedelta(days=700),
                ordinal=1,
                stage="refused",
                officer=officers[i % len(officers)],
                suspends_removal=True,
                created_by=supervisor,
            )
            for i, (c, p) in enumerate(zip(cases, persons, strict=True))
        ],
        batch_size=1000,
    )
    notified = [today - timedelta(days=rng.randint(-20, 400)) for _ in applications]
    notified = [min(day, today) for day in notified]
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                outcome="rejected",
                form="refusal",
                decided_on=day,
                decided_by=a.officer,
                reasons="Reasons.",
                notified_on=day,
            )
            for a, day in zip(applications, notified, strict=True)
        ],
        batch_size=1000,
    )
    from nansen.procedures import profiles

    jp = profiles.get("jp-icrra")
    Deadline.objects.bulk_create(
        [
            Deadline(
                application=a,
                rule="review-request",
                party="applicant",
                event="notified",
                event_on=day,
                due_on=jp.last_day("review-request", day).last_day,
                decision=d,
            )
            for a, d, day in zip(applications, decisions, notified, strict=True)
        ],
        batch_size=1000,
    )
    return supervisor, officers[0], applications[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--database", default="sqlite:///var/bench/procedures.sqlite3")
    args = parser.parse_args()
    setup(args.database)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from nansen.procedures import profiles
    from nansen.procedures.calendars import _public_holidays
    from nansen.procedures.letters import render_letter_html, render_pdf
    from nansen.procedures.models import Decision
    from nansen.testing import VerifiedClient

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    setup_test_environment()
    rows = []
    today = timezone.localdate()

    # Counting periods: every rule of both profiles, for each day of 2024-2026.
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(3 * 365)]
    rules = [(p, r) for p in profiles.profiles().values() for r in p.deadlines]

    def count_all():
        for profile, rule in rules:
            for day in days:
                profile.last_day(rule, day)

    _public_holidays.cache_clear()
    start = time.perf_counter()
    count_all()
    cold = (time.perf_counter() - start) * 1000
    warm = timed(count_all, runs=3)
    calls = len(days) * len(rules)
    rows.append((f"{calls:,} last days (5 rules × 1,095 days), cold holiday cache", cold, "—"))
    rows.append((f"{calls:,} last days, warm: {warm / calls * 1000:.1f} µs each", warm, "—"))

    start = time.perf_counter()
    supervisor, officer, application = fill(args.applications, today)
    build = time.perf_counter() - start

    decision = Decision.objects.select_related(
        "application__case", "application__person", "application__office", "decided_by"
    ).get(application=application)
    for language in ("en", "ja", "ar"):

        def letter(language=language):
            html = render_letter_html(
                decision=decision, language=language, notification_on=today, addressee="A"
            )
            render_pdf(html)

        rows.append((f"decision letter PDF, {language}", timed(letter), "—"))

    client = VerifiedClient()
    for who, user in (("supervisor (whole office)", supervisor), ("officer (own)", officer)):
        client.force_login(user)

        def work():
            assert client.get(reverse("procedures:work"), HTTP_HOST="localhost").status_code == 200

        work()
        with CaptureQueriesContext(connection) as ctx:
            work()
        queries = len(ctx.captured_queries)  # read now: each request resets the query log
        rows.append((f"My work page, {who}", timed(work), queries))
    client.force_login(supervisor)

    def page():
        url = reverse("procedures:application_detail", args=[application.pk])
        assert client.get(url, HTTP_HOST="localhost").status_code == 200

    page()
    with CaptureQueriesContext(connection) as ctx:
        page()
    queries = len(ctx.captured_queries)
    rows.append(("application page", timed(page), queries))

    vendor = connection.vendor
    print(
        f"{args.applications:,} applications with open periods, built in {build:.0f} s "
        f"({vendor}).\n"
    )
    print(f"| what | {vendor} ms | queries |")
    print("|---|---:|---:|")
    for what, ms, queries in rows:
        print(f"| {what} | {ms:,.0f} | {queries} |")


if __name__ == "__main__":
    main()
