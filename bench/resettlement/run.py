"""Resettlement at scale: a pledge filled by tens of thousands of persons.

Builds a database with one office's families referred to a handful of pledges (rows written
straight into the tables, not through the services: the services are exercised by the test
suite), then times what the pages do: every pledge's fulfilment, one pledge's fulfilment
over time, the longest-waiting lists, the dashboard and pledge pages, and the referral
export as CSV and XLSX, with the number of queries each takes.

    .venv/bin/python bench/resettlement/run.py --referrals 10000 \
        --database sqlite:///var/bench/resettlement.sqlite3
    .venv/bin/python bench/resettlement/run.py --referrals 10000 \
        --database postgres://postgres@127.0.0.1:5432/nansen_bench_resettlement

The database must be new (or empty): it is migrated and filled. Prints a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

STATUSES = (  # (status, share of referrals): most arrive, some are still on their way
    ("identified", 0.08),
    ("submitted", 0.10),
    ("accepted", 0.07),
    ("departed", 0.03),
    ("arrived", 0.62),
    ("rejected", 0.06),
    ("withdrawn", 0.04),
)
PATH = {
    "identified": (),
    "submitted": ("submitted",),
    "accepted": ("submitted", "accepted"),
    "departed": ("submitted", "accepted", "departed"),
    "arrived": ("submitted", "accepted", "departed", "arrived"),
    "rejected": ("submitted", "rejected"),
    "withdrawn": ("withdrawn",),
}


def setup(database: str) -> None:
    os.environ["NANSEN_ENV"] = "test"
    os.environ["NANSEN_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(referrals: int, seed: int) -> tuple:
    """One office, its supervisor, four pledges and ``referrals`` families referred to them."""
    from django.db import transaction

    from nansen.registration.models import Case, CaseMember, Person
    from nansen.resettlement.models import Pledge, PledgeRevision, Referral, ReferralMember
    from nansen.testing import make_personas

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    personas = make_personas()
    office, actor = personas.tokyo, personas.supervisor
    pledges = []
    for country, places in (("DEU", 35000), ("AUS", 5600), ("FRA", 1000), ("CAN", 25000)):
        pledge = Pledge.objects.create(
            receiving_country=country,
            programme_type="resettlement",
            title=f"Bench pledge {country}",
            places=places,
            target_nationalities=["SYR"],
            period_start=date(2013, 1, 1),
            period_end=date(2017, 12, 31),
            announced_on=date(2013, 1, 1),
            source_title="Benchmark",
            eligible_outcomes=["recognized"],
            created_by=actor,
        )
        PledgeRevision.objects.create(
            pledge=pledge,
            number=1,
            revised_by=actor,
            **{f: getattr(pledge, f) for f in ("receiving_country", "programme_type", "title")},
            places=places,
            announced_on=pledge.announced_on,
            source_title="Benchmark",
        )
        pledges.append(pledge)
    weights = [w for _s, w in STATUSES]
    persons_total = 0
    batch = 2000
    with transaction.atomic():
        for start in range(0, referrals, batch):
            count = min(batch, referrals - start)
            sizes = [rng.choice((1, 2, 3, 4, 4, 5, 6)) for _ in range(count)]
            people = Person.objects.bulk_create(
                Person(
                    office=office,
                    given_name=f"P{start}-{i}-{j}",
                    family_name="BENCH",
                    sex=rng.choice("FM"),
                    country_of_origin="SYR",
                    nationalities=["SYR"],
                    created_by=actor,
                )
                for i, size in enumerate(sizes)
                for j in range(size)
            )
            cases = Case.objects.bulk_create(
                Case(office=office, number=f"TKY-2015-{start + i + 1:06d}", created_by=actor)
                for i in range(count)
            )
            members, rows, position = [], [], 0
            for case, size in zip(cases, sizes, strict=True):
                family = people[position : position + size]
                position += size
                members += [
                    CaseMember(case=case, person=p, relationship="principal" if k == 0 else "child")
                    for k, p in enumerate(family)
                ]
                status = rng.choices([s for s, _w in STATUSES], weights)[0]
                day = date(2013, 3, 1) + timedelta(days=rng.randrange(0, 1500))
                dates = {"identified_on": day}
                for reached in PATH[status]:
                    day += timedelta(days=rng.randrange(20, 120))
                    dates[f"{reached}_on"] = day
                rows.append(
                    (
                        Referral(
                            case=case,
                            office=office,
                            pledge=rng.choice(pledges),
                            programme_type="resettlement",
                            receiving_country="DEU",
                            categories=["protection_needs"],
                            priority=rng.choice(("normal", "normal", "urgent", "emergency")),
                            status=status,
                            status_on=day,
                            rejection_reason="criteria" if status == "rejected" else "",
                            withdrawal_reason="by_refugee" if status == "withdrawn" else "",
                            created_by=actor,
                            **dates,
                        ),
                        family,
                    )
                )
            CaseMember.objects.bulk_create(members)
            created = Referral.objects.bulk_create(r for r, _f in rows)
            ReferralMember.objects.bulk_create(
                ReferralMember(referral=r, person=p)
                for r, (_r, family) in zip(created, rows, strict=True)
                for p in family
            )
            persons_total += len(people)
    for pledge in pledges:  # each receiving country is its pledge's own
        Referral.objects.filter(pledge=pledge).update(receiving_country=pledge.receiving_country)
    return personas, pledges, persons_total


def timed(label: str, call, repeat: int = 5) -> tuple[str, float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()  # warm up (caches, first connection)
    times = []
    queries = 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return label, statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=10000)
    parser.add_argument("--database", default="sqlite:///var/bench/resettlement.sqlite3")
    parser.add_argument("--seed", type=int, default=2015)
    options = parser.parse_args()
    if options.database.startswith("sqlite:///"):
        Path(options.database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    setup(options.database)

    from django.test import Client
    from django.test.utils import setup_test_environment

    from nansen.resettlement.selectors import (
        fulfilment_over_time,
        pledge_summaries,
        waiting_longest,
    )
    from nansen.testing import VerifiedClient

    setup_test_environment()
    started = time.perf_counter()
    personas, pledges, persons = build(options.referrals, options.seed)
    built = time.perf_counter() - started
    client: Client = VerifiedClient()
    client.force_login(personas.supervisor)
    biggest = pledges[0]

    def get(url: str):
        def call():
            response = client.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return call

    rows = [
        timed("fulfilment of every pledge (`pledge_summaries`)", pledge_summaries),
        timed(
            "one pledge over time (`fulfilment_over_time`)",
            lambda: fulfilment_over_time(pledge=biggest, today=date(2018, 1, 1)),
        ),
        timed(
            "longest-waiting lists (`waiting_longest`)",
            lambda: waiting_longest(user=personas.supervisor),
        ),
        timed("dashboard page", get("/resettlement/")),
        timed("pledge page", get(f"/resettlement/pledges/{biggest.pk}/")),
        timed("referrals export, CSV", get("/resettlement/referrals/export.csv"), repeat=3),
        timed("referrals export, XLSX", get("/resettlement/referrals/export.xlsx"), repeat=3),
    ]
    engine = options.database.split(":", 1)[0]
    print(
        f"\n{options.referrals} referrals, {persons} persons, 4 pledges, on {engine} "
        f"(built in {built:.1f} s)\n"
    )
    print("| what | median ms | queries |")
    print("|---|---:|---:|")
    for label, ms, queries in rows:
        print(f"| {label} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
