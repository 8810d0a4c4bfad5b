"""/healthz names its checks (version, database engine, disk, migrations, keys) only to this
machine and to a monitor holding NANSEN_HEALTH_TOKEN; anyone else learns the status alone."""

import os
import subprocess
import sys

import pytest

TOKEN = "m" * 40
DETAILS = {"status", "version", "checks"}


def _health(client, **extra):
    response = client.get("/healthz", **extra)
    return response.status_code, response.json()


@pytest.fixture
def monitor_token(settings):
    settings.HEALTH_TOKEN = TOKEN
    return TOKEN


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_this_machine_sees_the_checks(client, db, address):
    status, body = _health(client, REMOTE_ADDR=address)
    assert status == 200 and set(body) == DETAILS
    assert body["checks"]["database"]["detail"] in {"sqlite", "postgresql"}


def test_a_remote_client_gets_the_status_alone(client, db):
    assert _health(client, REMOTE_ADDR="203.0.113.5") == (200, {"status": "ok"})


def test_a_remote_client_learns_an_error_but_not_which(client, db, monkeypatch):
    monkeypatch.setenv("NANSEN_HEALTH_MIN_FREE_MB", str(10**12))
    assert _health(client, REMOTE_ADDR="203.0.113.5") == (503, {"status": "error"})


def test_a_request_through_an_untrusted_proxy_on_this_machine_is_not_local(client, db):
    # NANSEN_TRUSTED_PROXIES=0 and a proxy on the same machine: REMOTE_ADDR is loopback for
    # every client, but the header shows the request came through it.
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        body = _health(client, REMOTE_ADDR="127.0.0.1", **{header: "203.0.113.5"})[1]
        assert body == {"status": "ok"}, header


def test_behind_a_trusted_proxy_a_forged_loopback_address_is_not_local(client, db, settings):
    settings.TRUSTED_PROXIES = 1
    # The client wrote 127.0.0.1; the proxy appended the address it really came from.
    forged = _health(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.5")
    assert forged == (200, {"status": "ok"})
    # A monitor on the proxy's machine, which the proxy names as loopback, is local.
    body = _health(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")[1]
    assert set(body) == DETAILS


def test_a_monitor_with_the_token_sees_the_checks(client, db, monitor_token):
    status, body = _health(
        client, REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION=f"Bearer {monitor_token}"
    )
    assert status == 200 and set(body) == DETAILS


@pytest.mark.parametrize(
    "authorization", [f"Bearer {'n' * 40}", f"Bearer {TOKEN[:-1]}", TOKEN, f"Basic {TOKEN}", ""]
)
def test_a_wrong_token_gets_the_status_alone(client, db, monitor_token, authorization):
    body = _health(client, REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION=authorization)[1]
    assert body == {"status": "ok"}


def test_without_a_configured_token_no_bearer_sees_the_checks(client, db, settings):
    settings.HEALTH_TOKEN = ""
    body = _health(client, REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer ")[1]
    assert body == {"status": "ok"}


def _settings_output(**env) -> tuple[int, str]:
    """Import the settings in a fresh interpreter with these NANSEN_* variables only."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NANSEN_")}
    result = subprocess.run(
        [sys.executable, "-c", "import nansen.settings as s; print(len(s.HEALTH_TOKEN))"],
        env={**clean, "NANSEN_ENV": "demo", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_token_may_come_from_a_file_and_a_short_one_is_refused(tmp_path):
    secret = tmp_path / "health-token"
    secret.write_text(TOKEN + "\n")
    assert _settings_output(NANSEN_HEALTH_TOKEN_FILE=str(secret)) == (0, "40\n")
    code, output = _settings_output(NANSEN_HEALTH_TOKEN="short")
    assert code != 0 and "NANSEN_HEALTH_TOKEN must be at least 32 characters" in output
