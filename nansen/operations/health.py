"""What a load balancer or a monitor asks: is this instance fit to serve?

Each check answers ok or not and a short reason; none shows a secret, a path with personal
data or a row. The migration check is cached for a minute (loading the migration graph
costs more than the rest together).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from nansen.env import ConfigurationError, env_int

_MIGRATIONS_TTL = 60.0
_migrations_cache: dict[str, tuple[float, bool, str]] = {}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return Check("database", False, type(exc).__name__)
    return Check("database", True, connections[DEFAULT_DB_ALIAS].vendor)


def migrations() -> Check:
    now = time.monotonic()
    cached = _migrations_cache.get(DEFAULT_DB_ALIAS)
    if cached is None or now - cached[0] > _MIGRATIONS_TTL:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            cached = (now, not plan, f"{len(plan)} not applied" if plan else "all applied")
        except Exception as exc:
            cached = (now, False, type(exc).__name__)
        _migrations_cache[DEFAULT_DB_ALIAS] = cached
    return Check("migrations", cached[1], cached[2])


def _data_directory() -> Path:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if db["ENGINE"].endswith("sqlite3") and db["NAME"] not in ("", ":memory:"):
        return Path(db["NAME"]).parent
    return Path(settings.VAR_DIR)


def disk() -> Check:
    minimum_mb = env_int("NANSEN_HEALTH_MIN_FREE_MB", 1024, minimum=0)
    directory = _data_directory()
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    usage = shutil.disk_usage(directory)
    free_mb = usage.free // (1024 * 1024)
    return Check("disk", free_mb >= minimum_mb, f"{free_mb} MB free (minimum {minimum_mb} MB)")


def keys() -> Check:
    """The secret key, the audit key and the field keys are configured (not their values)."""
    from nansen.core import crypto

    missing = [
        name
        for name, value in (
            ("NANSEN_SECRET_KEY", settings.SECRET_KEY),
            ("NANSEN_AUDIT_KEY", settings.AUDIT_KEY),
        )
        if not value
    ]
    try:
        ring = crypto.get_keyring()
    except ConfigurationError:
        missing.append("NANSEN_FIELD_KEYS")
    else:
        if ring.public_demo_ids and settings.NANSEN_ENV == "production":
            missing.append("NANSEN_FIELD_KEYS (public demo key)")
    if missing:
        return Check("keys", False, "missing or unfit: " + ", ".join(missing))
    return Check("keys", True, "present")


def run_checks() -> list[Check]:
    return [database(), migrations(), disk(), keys()]
