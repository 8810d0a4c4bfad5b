"""Settings come from NANSEN_* variables and fail loudly on bad values."""

import os
import subprocess
import sys

import pytest
from django.db import connection

GOOD_KEY = "k" * 60
KEYS = {
    "NANSEN_AUDIT_KEY": "a" * 64,
    "NANSEN_FIELD_KEYS": "k1:ZGVtby1vbmx5IGtleSwgbmV2ZXIgcmVhbCBkYXRhISE=",
}


def _clean_environment() -> dict[str, str]:
    """The environment without Nansen's variables, nor the browser tests' async switch."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NANSEN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }


def _load_settings(**env):
    """Import the settings in a fresh interpreter; return (exit code, stderr)."""
    clean = _clean_environment()
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import nansen.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_production_requires_a_secret_key():
    code, output = _load_settings(NANSEN_ALLOWED_HOSTS="nansen.example.org")
    assert code != 0
    assert "NANSEN_SECRET_KEY" in output


def test_a_short_secret_key_is_refused():
    code, output = _load_settings(
        NANSEN_SECRET_KEY="short", NANSEN_ALLOWED_HOSTS="nansen.example.org"
    )
    assert code != 0 and "at least 50 characters" in output


def test_production_requires_an_audit_key():
    code, output = _load_settings(
        NANSEN_SECRET_KEY=GOOD_KEY, NANSEN_ALLOWED_HOSTS="nansen.example.org"
    )
    assert code != 0 and "NANSEN_AUDIT_KEY" in output


def test_production_requires_field_encryption_keys():
    code, output = _load_settings(
        NANSEN_SECRET_KEY=GOOD_KEY,
        NANSEN_AUDIT_KEY="a" * 64,
        NANSEN_ALLOWED_HOSTS="nansen.example.org",
    )
    assert code != 0 and "NANSEN_FIELD_KEYS" in output


def test_production_requires_allowed_hosts():
    code, output = _load_settings(NANSEN_SECRET_KEY=GOOD_KEY, **KEYS)
    assert code != 0 and "NANSEN_ALLOWED_HOSTS" in output


@pytest.mark.parametrize("value", ["maybe", "2", "ture"])
def test_a_malformed_boolean_is_refused(value):
    code, output = _load_settings(NANSEN_ENV="demo", NANSEN_DEBUG=value)
    assert code != 0 and "NANSEN_DEBUG must be true or false" in output


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "true"])
def test_a_malformed_number_of_trusted_proxies_is_refused(value):
    code, output = _load_settings(NANSEN_ENV="demo", NANSEN_TRUSTED_PROXIES=value)
    assert code != 0 and "NANSEN_TRUSTED_PROXIES must be" in output


def test_no_proxy_is_trusted_unless_configured():
    assert _load_settings_values("TRUSTED_PROXIES", NANSEN_ENV="demo") == (0, "0\n")
    configured = _load_settings_values(
        "TRUSTED_PROXIES", NANSEN_ENV="demo", NANSEN_TRUSTED_PROXIES="2"
    )
    assert configured == (0, "2\n")


def test_an_unknown_environment_is_refused():
    code, output = _load_settings(NANSEN_ENV="staging")
    assert code != 0 and "NANSEN_ENV must be one of" in output


def test_a_database_url_of_another_kind_is_refused():
    code, output = _load_settings(NANSEN_ENV="demo", NANSEN_DATABASE_URL="mysql://x@y/z")
    assert code != 0 and "NANSEN_DATABASE_URL" in output


def test_production_settings_load_with_everything_set(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY)
    code, output = _load_settings(
        NANSEN_SECRET_KEY_FILE=str(key_file),
        NANSEN_ALLOWED_HOSTS="nansen.example.org,10.0.0.5",
        **KEYS,
    )
    assert code == 0, output
    assert "False ['nansen.example.org', '10.0.0.5']" in output


def test_it_reads_any_variable_from_a_file_named_by_name_file(tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("nansen.example.org\n")
    debug = tmp_path / "debug"
    debug.write_text("true")
    code, output = _load_settings(
        NANSEN_ENV="demo", NANSEN_ALLOWED_HOSTS_FILE=str(hosts), NANSEN_DEBUG_FILE=str(debug)
    )
    assert code == 0, output
    assert output.startswith("True ['nansen.example.org']")


def test_it_names_a_variable_file_that_cannot_be_read(tmp_path):
    code, output = _load_settings(NANSEN_ENV="demo", NANSEN_DEBUG_FILE=str(tmp_path / "missing"))
    assert code != 0 and "NANSEN_DEBUG_FILE=" in output


def test_debug_is_off_by_default():
    code, output = _load_settings(NANSEN_ENV="demo")
    assert code == 0 and output.startswith("False")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
@pytest.mark.django_db
def test_sqlite_runs_durable_and_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_a_sqlite_file_database_uses_wal(tmp_path):
    """The test database lives in memory, where WAL does not apply; check a real file."""
    database = tmp_path / "wal.sqlite3"
    script = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    clean = _clean_environment()
    clean.update(
        NANSEN_ENV="demo",
        NANSEN_DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="nansen.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "wal"


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    """`nansen check --deploy --fail-level WARNING` passes under production settings."""
    clean = _clean_environment()
    clean.update(
        NANSEN_SECRET_KEY="p" * 20 + "-production-key-" + "q" * 30,
        NANSEN_ALLOWED_HOSTS="nansen.example.org",
        NANSEN_DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        DJANGO_SETTINGS_MODULE="nansen.settings",
        **KEYS,
    )
    clean["NANSEN_FIELD_KEYS"] = "k1:cHJvZHVjdGlvbiB0ZXN0IGtleSwgMzIgYnl0ZXMhISE="
    result = subprocess.run(
        [sys.executable, "-m", "nansen.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_host_only_secure_and_http_only(tmp_path):
    code, output = _load_settings_values(
        "SESSION_COOKIE_NAME CSRF_COOKIE_NAME SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE "
        "SESSION_COOKIE_HTTPONLY SESSION_COOKIE_SAMESITE SECURE_HSTS_SECONDS SECURE_SSL_REDIRECT",
        NANSEN_SECRET_KEY=GOOD_KEY,
        NANSEN_ALLOWED_HOSTS="nansen.example.org",
        **KEYS,
    )
    assert code == 0, output
    assert output.split() == [
        "__Host-nansen_session",
        "__Host-nansen_csrf",
        "True",
        "True",
        "True",
        "Lax",
        "31536000",
        "True",
    ]


def _load_settings_values(names: str, **env):
    clean = _clean_environment()
    clean.update(env)
    script = f"import nansen.settings as s; print(*(getattr(s, n) for n in {names.split()!r}))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr
