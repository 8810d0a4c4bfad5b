"""The registration check at scale: p95 latency and the share of true duplicates found.

Loads the candidate index of a generated registry (all records but a held-out set of
duplicates) into a scratch database, then runs the registration check's own query
(``nansen.identity.selectors.candidates_find``: the index, then scoring the candidates)
for each held-out record, timing it at the server (no HTTP, no template) and asking whether
another record of the same person is among the first 20 candidates.

    NANSEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/nansen_bench_identity \\
        python bench/identity/latency.py --data var/bench/translit-1m.parquet
    NANSEN_DATABASE_URL=sqlite:///var/bench/identity-latency.sqlite3 \\
        python bench/identity/latency.py --data var/bench/translit-1m.parquet

The database named is dropped and created again. The index rows point at person ids that
have no Person row (foreign keys are dropped in this scratch database): the check reads
only the identity tables, and loading a million full person records would measure the
loader, not the check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NANSEN_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")

RESULTS = ROOT / "var" / "bench" / "results"


def recreate_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    url = os.environ["NANSEN_DATABASE_URL"]
    recreate_database(url)

    import django

    django.setup()
    import datasets
    from django.core.management import call_command
    from django.db import connection

    from nansen.identity.candidate_index import TOTAL, index_keys
    from nansen.identity.match_records import record_to_json
    from nansen.identity.selectors import active_model, candidates_find

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    records, truth, _rows = datasets.translit(args.data)
    by_entity = defaultdict(list)
    for record in records:
        by_entity[truth[record.key]].append(record.key)
    rng = random.Random(args.seed)  # noqa: S311 (a reproducible sample)
    duplicated = [ids for ids in by_entity.values() if len(ids) > 1]
    held = {rng.choice(ids) for ids in rng.sample(duplicated, args.queries)}
    indexed = [r for r in records if r.key not in held]
    queries = [r for r in records if r.key in held]
    prepared = time.perf_counter() - started

    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for table, constraint in _foreign_keys(cursor):
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
    office_id = 1
    load_started = time.perf_counter()
    frequency = Counter(r.names.signature for r in indexed)
    frequency[TOTAL] = len(indexed)
    key_rows = ((r.key, key, year) for r in indexed for key, year in index_keys(r))
    profile_rows = (
        (r.key, office_id, r.names.signature[:400], json.dumps(record_to_json(r))) for r in indexed
    )
    frequency_rows = ((sig[:400], n) for sig, n in frequency.items())
    _load(connection, "identity_namekey", ("person_id", "key", "birth_year"), key_rows)
    _load(
        connection,
        "identity_matchprofile",
        ("person_id", "office_id", "name_sig", "record"),
        profile_rows,
    )
    _load(connection, "identity_namefrequency", ("name_sig", "count"), frequency_rows)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table that stopped changing: statistics and visibility map.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    loaded = time.perf_counter() - load_started

    model = active_model()
    for record in queries[:20]:  # warm the caches as a running server has them
        candidates_find(record=record, model=model)
    timings, found, candidates = [], 0, []
    for record in queries:
        t0 = time.perf_counter()
        top = candidates_find(record=record, model=model, limit=20)
        timings.append((time.perf_counter() - t0) * 1000)
        candidates.append(len(top))
        entity = truth[record.key]
        found += any(truth[c.person_id] == entity for c in top)
    timings.sort()
    result = {
        "method": "registration-check",
        "data": args.data.stem,
        "database": vendor,
        "indexed_persons": len(indexed),
        "queries": len(queries),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "p99_ms": round(timings[int(0.99 * len(timings)) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "top20_share": round(found / len(queries), 4),
        "mean_candidates": round(statistics.mean(candidates), 1),
        "seconds_preparing": round(prepared, 1),
        "seconds_loading_index": round(loaded, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.data.stem}-check-{vendor}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


def _foreign_keys(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text IN "
        "('identity_namekey', 'identity_matchprofile')"
    )
    return cursor.fetchall()


def _load(connection, table: str, columns: tuple[str, ...], rows) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        raw = cursor.connection
        batch = []
        raw.execute("BEGIN")  # one transaction, not one per row (Django runs autocommit)
        for row in rows:
            batch.append(row)
            if len(batch) >= 50_000:
                raw.executemany(insert, batch)
                batch = []
        raw.executemany(insert, batch)
        raw.execute("COMMIT")


if __name__ == "__main__":
    main()
