"""Restore drill: back up a populated database, restore it elsewhere, and find every table
identical (canonical export) and the audit chain intact; a SQLite backup restores into
PostgreSQL too. Runs the real commands, each in its own process on its own database."""

import base64
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
NANSEN = Path(sys.executable).parent / "nansen"
PG_SERVER = os.environ.get("NANSEN_DATABASE_URL", "")
ON_POSTGRES = PG_SERVER.startswith("postgres")


def _run(url: str, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(NANSEN), *args],
        env={**os.environ, **(env or {}), "NANSEN_ENV": "test", "NANSEN_DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _export(url: str, path: Path) -> list[str]:
    _run(url, "canonical_export", "--output", str(path))
    return path.read_text().splitlines()


@pytest.fixture
def postgres_database():
    """A fresh database on the suite's PostgreSQL server, dropped afterwards."""
    name = f"test_restore_{uuid.uuid4().hex[:10]}"
    server = PG_SERVER.rsplit("/", 1)[0]
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def populated_sqlite(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('drill') / 'source.sqlite3'}"
    _run(url, "migrate", "-v0")
    _run(url, "shell", "-c", "from nansen.operations.drill import populate; populate()")
    return url


def _check_restored(url: str, before: list[str], tmp_path: Path, name: str) -> str:
    after = _export(url, tmp_path / f"{name.replace(' ', '-').replace(',', '')}.jsonl")
    assert after == before
    verified = _run(url, "audit", "verify").strip()
    assert verified.startswith("audit chain intact")
    return f"restore drill ({name}): {len(after)} rows identical after restore; {verified}"


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite drill runs with the SQLite suite")
def test_an_encrypted_sqlite_backup_restores_every_table_exactly(
    populated_sqlite, tmp_path, record_property
):
    before = _export(populated_sqlite, tmp_path / "before.jsonl")
    assert len(before) > 100
    key = {"NANSEN_BACKUP_KEY": base64.b64encode(os.urandom(32)).decode()}
    backup = tmp_path / "nansen.backup"
    printed = _run(populated_sqlite, "backup", "--output", str(backup), "--encrypt", env=key)
    print(printed)
    assert b"Ahmad" not in backup.read_bytes()  # sealed
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    print(_run(target, "restore", str(backup), env=key))
    record_property("counts", _check_restored(target, before, tmp_path, "sqlite, encrypted"))


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite drill runs with the SQLite suite")
def test_restore_refuses_a_database_that_is_not_empty(populated_sqlite, tmp_path):
    backup = tmp_path / "nansen.backup"
    _run(populated_sqlite, "backup", "--output", str(backup))
    done = subprocess.run(
        [str(NANSEN), "restore", str(backup)],
        env={**os.environ, "NANSEN_ENV": "test", "NANSEN_DATABASE_URL": populated_sqlite},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "not empty" in done.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the suite's PostgreSQL server")
def test_a_sqlite_backup_moves_to_postgresql_and_a_postgresql_backup_restores_exactly(
    populated_sqlite, postgres_database, tmp_path, record_property
):
    before = _export(populated_sqlite, tmp_path / "before.jsonl")
    backup = tmp_path / "sqlite.backup"
    _run(populated_sqlite, "backup", "--output", str(backup))
    print(_run(postgres_database, "restore", str(backup)))
    record_property(
        "counts", _check_restored(postgres_database, before, tmp_path, "sqlite to postgresql")
    )

    pg_backup = tmp_path / "postgres.backup"
    print(_run(postgres_database, "backup", "--output", str(pg_backup)))
    second = postgres_database + "_copy"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {second.rsplit('/', 1)[1]}")
    try:
        print(_run(second, "restore", str(pg_backup)))
        record_property(
            "counts", _check_restored(second, before, tmp_path, "postgresql to postgresql")
        )
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {second.rsplit('/', 1)[1]} WITH (FORCE)")
