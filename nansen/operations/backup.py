"""Backups that restore exactly, on SQLite and on PostgreSQL.

A backup is one file: a tar archive holding ``manifest.json`` and the database itself
(``database.sqlite3``, made with SQLite's online backup API, or ``database.pgdump``, a
``pg_dump`` custom-format dump), optionally sealed with AES-256-GCM (:mod:`.sealing`).

The manifest records when and by which version the backup was made, the migrations applied,
and for every table its row count and the SHA-256 of its *canonical export*: every row, in
primary-key order, as a JSON array of its column values written the same way whatever the
database (dates and times in ISO 8601 UTC, JSON values sorted, UUIDs as text). Both halves
come from one consistent state: the SQLite copy is read after it is made; on PostgreSQL the
checksums are read in the same exported snapshot that pg_dump dumps.

``restore`` writes into the empty database the settings name, then recomputes every
checksum and compares it with the manifest. A SQLite backup restores into PostgreSQL too:
the schema is created by the migrations and the rows are copied table by table from the
backup's SQLite file, which is how an office moves from the embedded default to a server.
Encrypted fields are copied as the stored tokens: they stay bound to the same rows and
decrypt with the same NANSEN_FIELD_KEYS; the audit chain is copied entry by entry and still
verifies under the same NANSEN_AUDIT_KEY.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from nansen import __version__
from nansen.operations import sealing

FORMAT = "nansen-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
_SOURCE_ALIAS = "nansen_backup_source"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


# Canonical export ------------------------------------------------------------------------


def _canonical_value(value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _json(value) -> str:
    return json.dumps(
        value, default=_canonical_value, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every table Django manages that the database has, many-to-many tables included, in
    a stable order. (A model whose migration has not run has no table and no rows.)"""
    tables = set(connections[using].introspection.table_names())
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


def canonical_rows(model: type[models.Model], using: str) -> Iterator[str]:
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.using(using).order_by(model._meta.pk.attname)
    for row in rows.values_list(*columns).iterator(chunk_size=2000):
        yield _json([_canonical_value(v) for v in row])


def canonical_export(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Every table as its list of canonical rows (for tests and small databases)."""
    return {m._meta.db_table: list(canonical_rows(m, using)) for m in backed_up_models(using)}


def table_checksums(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    checksums = {}
    for model in backed_up_models(using):
        digest, count = hashlib.sha256(), 0
        for line in canonical_rows(model, using):
            digest.update(line.encode())
            digest.update(b"\n")
            count += 1
        checksums[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return checksums


def applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def code_migrations() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.disk_migrations)


def _manifest(using: str, vendor: str) -> dict:
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "nansen_version": __version__,
        "database": vendor,
        "migrations": applied_migrations(using),
        "tables": table_checksums(using),
    }


# Making a backup ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict
    encrypted: bool

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


def _sqlite_source_alias(path: Path) -> str:
    """A database alias for a SQLite file (the copy being backed up or restored from)."""
    default = connections.databases[DEFAULT_DB_ALIAS]
    connections.databases[_SOURCE_ALIAS] = {
        **{key: default[key] for key in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "TIME_ZONE")},
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "AUTOCOMMIT": True,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {"timeout": 20},
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return _SOURCE_ALIAS


def _drop_source_alias() -> None:
    if _SOURCE_ALIAS in connections.databases:
        connections[_SOURCE_ALIAS].close()
        del connections.databases[_SOURCE_ALIAS]
        with contextlib.suppress(AttributeError, KeyError):
            del connections[_SOURCE_ALIAS]


def _sqlite_copy(target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others keep writing. One step
    (pages=-1) reads the whole database in one read transaction, which in WAL mode does not
    block writers; copying in several steps would start over after every write."""
    name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    source = sqlite3.connect(name, timeout=20)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
        source.close()


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    arguments = [
        f"--host={settings_dict.get('HOST') or '127.0.0.1'}",
        f"--port={settings_dict.get('PORT') or 5432}",
        f"--username={settings_dict.get('USER') or 'postgres'}",
        f"--dbname={settings_dict['NAME']}",
    ]
    return arguments, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _postgres_dump(target: Path) -> dict:
    """pg_dump and the manifest, both from one exported snapshot."""
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        arguments, env = _pg_environment(connection.settings_dict)
        _run(
            [
                shutil.which("pg_dump") or "pg_dump",
                *arguments,
                f"--snapshot={snapshot}",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            env,
        )
        return _manifest(DEFAULT_DB_ALIAS, "postgresql")


def backup_create(output: Path, *, encrypt: bool = False) -> BackupResult:
    """Write a backup of the default database to ``output`` (replaced only when complete)."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if encrypt:
        sealing.backup_key()  # fail before the work if the key is missing
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="nansen-backup-", dir=output.parent) as tmp:
        workdir = Path(tmp)
        if vendor == "sqlite":
            database = workdir / SQLITE_MEMBER
            _sqlite_copy(database)
            try:
                manifest = _manifest(_sqlite_source_alias(database), "sqlite")
            finally:
                _drop_source_alias()
        elif vendor == "postgresql":
            database = workdir / POSTGRES_MEMBER
            manifest = _postgres_dump(database)
        else:
            raise BackupError(f"No backup for {vendor} databases.")
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive = workdir / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(workdir / MANIFEST, arcname=MANIFEST)
            tar.add(database, arcname=database.name)
        if encrypt:
            sealed = workdir / "backup.sealed"
            sealing.seal_file(archive, sealed)
            archive = sealed
        with archive.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(archive, output)
    return BackupResult(path=output, manifest=manifest, encrypted=encrypt)


# Restoring ---------------------------------------------------------------------------------


def read_archive(path: Path, workdir: Path) -> tuple[dict, Path]:
    """Open (and if sealed, unseal) a backup into ``workdir``: its manifest and database."""
    path = Path(path)
    if sealing.is_sealed(path):
        opened = workdir / "backup.tar"
        sealing.open_file(path, opened)
        path = opened
    try:
        with tarfile.open(path, "r") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in members:
                raise BackupError("This is not a Nansen backup (no manifest).")
            for name in (MANIFEST, SQLITE_MEMBER, POSTGRES_MEMBER):
                if name in members and members[name].isfile():
                    tar.extract(members[name], workdir, filter="data")
    except tarfile.TarError as exc:
        raise BackupError(f"The backup file cannot be read: {exc}") from None
    manifest = json.loads((workdir / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    member = SQLITE_MEMBER if manifest["database"] == "sqlite" else POSTGRES_MEMBER
    if not (workdir / member).is_file():
        raise BackupError(f"The backup has no {member}.")
    return manifest, workdir / member


def _require_empty() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database named by the settings is not empty ({len(tables)} tables); "
            "restore only into a new, empty database."
        )


def _restore_sqlite_file(database: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    name = Path(connection.settings_dict["NAME"])
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    staged = name.with_name(name.name + ".restoring")
    shutil.copyfile(database, staged)
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staged, name)


def _restore_postgres_dump(database: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    arguments, env = _pg_environment(connection.settings_dict)
    connection.close()
    _run(
        [
            shutil.which("pg_restore") or "pg_restore",
            *arguments,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(database),
        ],
        env,
    )


def _copy_rows(source: str) -> None:
    """Copy every table from the ``source`` alias into the default database, whose schema
    the migrations have just created (and whose seeded rows are replaced)."""
    target = connections[DEFAULT_DB_ALIAS]
    ordered = backed_up_models(source)
    with transaction.atomic(using=DEFAULT_DB_ALIAS), target.cursor() as cursor:
        if target.vendor == "postgresql":
            tables = ", ".join(target.ops.quote_name(m._meta.db_table) for m in ordered)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for model in ordered:
                cursor.execute(f"DELETE FROM {target.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        for model in ordered:
            fields = model._meta.concrete_fields
            columns = ", ".join(target.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            table = target.ops.quote_name(model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            rows = (
                model._base_manager.using(source)
                .order_by(model._meta.pk.attname)
                .values_list(*[f.attname for f in fields])
                .iterator(chunk_size=2000)
            )
            batch = []
            for row in rows:
                batch.append(
                    [
                        f.get_db_prep_save(v, connection=target)
                        for f, v in zip(fields, row, strict=True)
                    ]
                )
                if len(batch) >= 2000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        for statement in target.ops.sequence_reset_sql(no_style(), ordered):
            cursor.execute(statement)


def _restore_across(manifest: dict, database: Path) -> None:
    """A SQLite backup into PostgreSQL: schema from the migrations, rows copied over."""
    if manifest["migrations"] != code_migrations():
        raise BackupError(
            "The backup was made at another schema version than this Nansen's; restore it "
            "with the same version (into SQLite), migrate, and back up again."
        )
    call_command("migrate", interactive=False, verbosity=0)
    try:
        _copy_rows(_sqlite_source_alias(database))
    finally:
        _drop_source_alias()


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    mismatched: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatched


def verify_against(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables whose rows differ from the manifest (count or checksum)."""
    actual = table_checksums(using)
    problems = []
    for table, expected in sorted(manifest["tables"].items()):
        found = actual.get(table)
        if found is None:
            problems.append(f"{table}: missing")
        elif found != expected:
            problems.append(
                f"{table}: {found['rows']} rows (expected {expected['rows']}), "
                f"checksum {'matches' if found['sha256'] == expected['sha256'] else 'differs'}"
            )
    return problems


def backup_restore(path: Path) -> RestoreResult:
    """Restore a backup into the empty database named by the settings and verify it."""
    _require_empty()
    target = connections[DEFAULT_DB_ALIAS].vendor
    with tempfile.TemporaryDirectory(prefix="nansen-restore-") as tmp:
        manifest, database = read_archive(path, Path(tmp))
        if manifest["database"] == target == "sqlite":
            _restore_sqlite_file(database)
        elif manifest["database"] == target == "postgresql":
            _restore_postgres_dump(database)
        elif manifest["database"] == "sqlite":
            _restore_across(manifest, database)
        else:
            raise BackupError("A PostgreSQL backup restores into PostgreSQL only (pg_restore).")
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations(DEFAULT_DB_ALIAS)))
    mismatched = verify_against(manifest)
    if missing:
        mismatched.append(f"migrations not recorded: {', '.join(missing[:5])}")
    return RestoreResult(manifest=manifest, mismatched=mismatched)
