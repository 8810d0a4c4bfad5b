"""Lockout and the audit log see the client's address: REMOTE_ADDR when no proxy is trusted
(X-Forwarded-For is the client's to forge), the proxy's X-Forwarded-For entry behind one."""

from nansen.accounts.tests.conftest import sign_in_password
from nansen.audit.models import AuditEntry

WRONG = "not the right password"
PROXY = "10.0.0.1"
# Twenty failures from one client, four on each account: below the lock of one account from
# one source and below the slow-down of an account, enough to lock the source.
NAMES = ["clerk", "officer", "supervisor", "nobody", "admin"] * 4


def test_without_trusted_proxies_a_forged_forwarded_address_is_ignored(browser, personas):
    for i, name in enumerate(NAMES):
        sign_in_password(
            browser,
            name,
            password=WRONG,
            REMOTE_ADDR="10.0.0.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}",
        )
    locked = sign_in_password(
        browser, "appeals", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert locked.status_code == 429
    addresses = AuditEntry.objects.filter(channel="auth").values_list("remote_addr", flat=True)
    assert set(addresses) == {"10.0.0.7"}


def test_behind_a_proxy_clients_are_locked_out_separately(browser, personas, settings):
    settings.TRUSTED_PROXIES = 1
    for name in NAMES:
        sign_in_password(
            browser, name, password=WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
    locked = sign_in_password(
        browser, "appeals", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    other = sign_in_password(
        browser, "appeals", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302


def test_behind_a_proxy_the_audit_log_records_the_client(browser, personas, settings):
    settings.TRUSTED_PROXIES = 1
    sign_in_password(
        browser, "nobody", password=WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    failed = AuditEntry.objects.get(action="login_failed")
    assert failed.username == "nobody" and failed.remote_addr == "203.0.113.7"


def test_behind_a_proxy_a_forged_left_part_does_not_escape_the_lock(browser, personas, settings):
    settings.TRUSTED_PROXIES = 1
    for i, name in enumerate(NAMES):
        # The client sends its own X-Forwarded-For; the proxy appends the real address.
        forwarded = f"198.51.100.{i + 1}, 203.0.113.7"
        sign_in_password(
            browser, name, password=WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        )
    locked = sign_in_password(
        browser, "appeals", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7"
    )
    assert locked.status_code == 429
