"""What a load balancer or a monitor asks: is this instance fit to serve?

Each check answers ok or not and a short reason; none shows a secret, a path with personal
data or a row. Even so the reasons (version, database engine, free disk, keys missing) help
an attacker choose: they are shown only to this machine and to an authenticated monitor
(``may_see_details``); anyone else learns ok or error. The migration check is cached for a
minute (loading the migration graph costs more than the rest together).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from nansen.core.client_ip import client_address
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


# Headers a reverse proxy sets: with none trusted (NANSEN_TRUSTED_PROXIES=0), a request that
# carries one came through a proxy, so its loopback REMOTE_ADDR is the proxy's, not the
# client's.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _is_local(request) -> bool:
    if not settings.TRUSTED_PROXIES and any(h in request.META for h in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(client_address(request) or "").is_loopback
    except ValueError:
        return False


def _is_monitor(request) -> bool:
    expected = settings.HEALTH_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    # Digests of equal length, so that the comparison does not tell the token's length.
    return hmac.compare_digest(
        hashlib.sha256(given.strip().encode()).digest(),
        hashlib.sha256(expected.encode()).digest(),
    )


def may_see_details(request) -> bool:
    """A request from this machine (by the client address rule of nansen.core.client_ip, so
    that a forged X-Forwarded-For cannot pass for it), or a monitor with NANSEN_HEALTH_TOKEN."""
    return _is_local(request) or _is_monitor(request)
