"""Country information search at scale: a library of thousands of reports.

Builds a library of synthetic sources (paragraphs drawn from a vocabulary of country
information, written straight into the tables: the index is kept by the database's own
triggers, as in use), with a few "answer" paragraphs hidden among paragraphs that mention
the same words, then times the searches the pages make and checks that each answer ranks
first.

    .venv/bin/python bench/coi/run.py --sources 2000 \
        --database sqlite:///var/bench/coi.sqlite3
    .venv/bin/python bench/coi/run.py --sources 2000 \
        --database postgres://postgres@127.0.0.1:5432/nansen_bench_coi

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

_WORDS = (
    "authorities security forces checkpoint military service conscription reservists army "
    "detention arrest interrogation prison torture ill-treatment disappearance release family "
    "relatives return returnees airport border crossing documents passport identity card "
    "civil registry women children education health hospital displacement camp shelter "
    "water electricity economy prices wages employment housing property land reconstruction "
    "government opposition armed groups militia ceasefire hostilities shelling airstrike "
    "civilians casualties humanitarian access aid organisations reports sources interviews "
    "province district city village region north south east west capital local officials "
    "courts judges law decree amnesty penalty fine sentence trial lawyer rights freedom "
    "expression journalists media internet surveillance informants lists wanted persons "
    "religious minority ethnic community tribe clan marriage divorce inheritance violence"
)
WORDS = _WORDS.split()
_FILLER = "the of and in to a for on by with from at as was were is are that which"
FILLER = _FILLER.split()
COUNTRIES = ("SYR", "AFG", "IRQ", "ERI", "SOM", "MMR", "IRN", "SDN")
TOPICS = ("military service", "treatment of returnees", "women", "documents", "detention")

# (query, answer paragraph): each answer is hidden in the library; paragraphs elsewhere
# mention the same words, but only the answer holds them together.
NEEDLES = (
    (
        "punishment of draft evaders returned at the airport",
        "Draft evaders returned through the airport are arrested by the security services; "
        "their punishment includes detention and forced conscription.",
    ),
    (
        "can women obtain a passport without a male guardian",
        "Women can obtain a passport without the consent of a male guardian since the 2021 "
        "decree, although officials at local offices still ask for it.",
    ),
    (
        "amnesty for deserters reservists",
        "The amnesty decree covered deserters, but reservists who had left the country were "
        "excluded from it and remained on the wanted lists.",
    ),
)


def setup(database: str) -> None:
    os.environ["NANSEN_ENV"] = "test"
    os.environ["NANSEN_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        words = [rng.choice(WORDS if rng.random() < 0.6 else FILLER) for _ in range(18)]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def build(n_sources: int, paragraphs: int, seed: int) -> int:
    from django.db import transaction

    from nansen.accounts.models import Office, User
    from nansen.coi import analysis
    from nansen.coi.models import Passage, Source, SourceCountry, Topic

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    office = Office.objects.create(
        code="BENCH", name="Bench", kind="asylum_authority", country="JPN"
    )
    user = User.objects.create(username="bench", office=office)
    topics = [Topic.objects.create(name=name) for name in TOPICS]
    needles = {rng.randrange(n_sources): needle for needle in NEEDLES}
    total = 0
    with transaction.atomic():
        for i in range(n_sources):
            source = Source.objects.create(
                title=f"Report {i}",
                publisher=rng.choice(("UNHCR", "EUAA", "HRW", "Amnesty", "DIS", "ACCORD")),
                published_on=date(2015, 1, 1) + timedelta(days=rng.randrange(3900)),
                language="eng",
                created_by=user,
                updated_by=user,
            )
            SourceCountry.objects.create(source=source, country=rng.choice(COUNTRIES))
            source.topics.add(rng.choice(topics))
            texts = [paragraph(rng) for _ in range(paragraphs)]
            if i in needles:
                texts[rng.randrange(paragraphs)] = needles[i][1]
            Passage.objects.bulk_create(
                Passage(
                    source=source,
                    number=n,
                    text=text,
                    indexed=analysis.index_text(text),
                    config="english",
                )
                for n, text in enumerate(texts, start=1)
            )
            total += len(texts)
    return total


def timed(fn, runs: int = 5) -> tuple[float, object]:
    fn()
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=25)
    parser.add_argument("--database", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup(args.database)

    from django.db import connection

    from nansen.coi.selectors import search_passages

    start = time.perf_counter()
    passages = build(args.sources, args.paragraphs, args.seed)
    build_s = time.perf_counter() - start
    today = date(2026, 11, 27)
    print(
        f"{connection.vendor}: {args.sources} sources, {passages} passages, "
        f"built and indexed in {build_s:.1f} s ({passages / build_s:,.0f} passages/s)"
    )
    print()
    print("| search | ms (median of 5) | answer ranked |")
    print("|---|---:|---:|")
    for query, answer in NEEDLES:
        ms, results = timed(lambda q=query: search_passages(query=q, office=None, today=today))
        rank = next((i for i, r in enumerate(results, 1) if r.passage.text == answer), None)
        print(f"| {query} | {ms:.0f} | {rank or 'not in top 20'} |")
    ms, _ = timed(
        lambda: search_passages(query="detention torture", office=None, today=today, country="SYR")
    )
    print(f"| detention torture, country SYR | {ms:.0f} | — |")
    ms, _ = timed(
        lambda: search_passages(
            query="checkpoint",
            office=None,
            today=today,
            topic="military service",
            published_from=date(2024, 1, 1),
        )
    )
    print(f"| checkpoint, topic and date filters | {ms:.0f} | — |")


if __name__ == "__main__":
    main()
