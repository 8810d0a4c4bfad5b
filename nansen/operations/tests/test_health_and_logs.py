import json
import logging
import sys

from django.conf import settings

from nansen.operations import health
from nansen.operations.logging import JsonFormatter


def test_the_health_endpoint_reports_each_check_without_secrets(client, db):
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "disk", "keys"}
    assert all(check["ok"] for check in body["checks"].values())
    text = response.content.decode()
    for secret in (settings.SECRET_KEY, settings.AUDIT_KEY, settings.FIELD_ENCRYPTION_KEYS):
        assert secret not in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_health_endpoint_fails_when_disk_space_runs_low(client, db, monkeypatch):
    monkeypatch.setenv("NANSEN_HEALTH_MIN_FREE_MB", str(10**12))
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["disk"]["ok"] is False


def test_missing_migrations_fail_the_health_check(db, monkeypatch):
    monkeypatch.setattr(
        "nansen.operations.health.MigrationExecutor.migration_plan", lambda self, targets: [1]
    )
    health._migrations_cache.clear()
    check = health.migrations()
    health._migrations_cache.clear()
    assert (check.ok, check.detail) == (False, "1 not applied")


def _record(message, *args, exc_info=None, **extra):
    record = logging.LogRecord("nansen.test", logging.ERROR, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_json_logs_carry_no_query_string_and_no_exception_text():
    try:
        raise ValueError("duplicate key (given_name)=(Mariam)")
    except ValueError:
        exc_info = sys.exc_info()
    line = JsonFormatter().format(
        _record("GET %s failed", "/cases/?q=Mariam+Haddad", exc_info=exc_info, status_code=500)
    )
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["status_code"] == 500
    assert entry["exception"] == "ValueError"
    assert "Mariam" not in line
    assert entry["message"] == "GET /cases/?… failed"


def test_only_listed_extra_values_reach_the_json_log():
    entry = json.loads(JsonFormatter().format(_record("x", job="j1", given_name="Mariam")))
    assert entry["job"] == "j1" and "given_name" not in entry
