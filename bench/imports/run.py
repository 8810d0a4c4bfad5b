"""Import speed: a registration file of N persons through Nansen's import, beside a raw bulk
load of the same file into a bare table on the same database.

    python bench/imports/run.py --persons 1000000 --database sqlite
    python bench/imports/run.py --persons 1000000 --database postgres \\
        [--pg-url postgres://postgres@127.0.0.1:5432/postgres]

Nansen's import = read + detect encoding + validate every cell, household and duplicate
(file and registry) + write cases, persons, memberships, documents, history events and the
audit entry in one transaction. The raw load = csv.reader + executemany into a table of
text columns in one transaction (SQLite), or COPY FROM STDIN of the file itself (PostgreSQL),
with no validation. Each run uses a fresh database. Prints one Markdown table row.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _fresh_database(kind: str, pg_url: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    name = "nansen_bench_imports"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


def _setup(url: str) -> None:
    env = {**os.environ, "NANSEN_ENV": "test", "NANSEN_DATABASE_URL": url}
    nansen = [sys.executable, "-m", "nansen.cli"]
    subprocess.run([*nansen, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*nansen, "shell", "-c", "from nansen.testing import make_personas; make_personas()"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def _nansen_import(url: str, path: Path) -> tuple[float, int]:
    os.environ.update(NANSEN_ENV="test", NANSEN_DATABASE_URL=url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")
    import django

    django.setup()
    from nansen.accounts.models import User
    from nansen.imports import services

    clerk = User.objects.select_related("office").get(username="clerk")
    started = time.perf_counter()
    data = path.read_bytes()
    job = services.import_job_create(actor=clerk, file_name=path.name, data=data)
    job = services.import_run(actor=clerk, job=job, data=data)
    elapsed = time.perf_counter() - started
    if job.status != "done":
        raise SystemExit(f"import {job.status}: {job.problems[:5]}")
    return elapsed, job.persons_created


def _raw_load(url: str, path: Path) -> float:
    from django.db import connection, transaction

    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    columns = ", ".join(f'"{name}" text' for name in header)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE raw_import ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                path.open("rb") as handle,
                cursor.cursor.copy(
                    "COPY raw_import FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = csv.reader(handle)
                next(rows)
                marks = ", ".join(["%s"] * len(header))
                cursor.executemany(f"INSERT INTO raw_import VALUES ({marks})", rows)  # noqa: S608
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--file", type=Path, help="an existing file instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nansen-bench-") as tmp:
        workdir = Path(tmp)
        path = args.file or workdir / "persons.csv"
        if args.file is None:
            from bench.imports.generate import generate

            generate(args.persons, path)
        url = _fresh_database(args.database, args.pg_url, workdir)
        _setup(url)
        nansen_seconds, persons = _nansen_import(url, path)
        raw_seconds = _raw_load(url, path)
        size_mb = path.stat().st_size / 1e6
    print(
        f"| {args.database} | {persons:,} | {size_mb:.0f} MB | {nansen_seconds:.1f} s "
        f"| {persons / nansen_seconds:,.0f}/s | {raw_seconds:.1f} s | "
        f"{nansen_seconds / raw_seconds:.1f}× | {platform.python_version()} |"
    )


if __name__ == "__main__":
    main()
