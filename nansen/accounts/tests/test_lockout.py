"""Five failed sign-ins lock the account, and separately the source address, for 15
minutes (django-axes)."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from nansen.accounts.tests.conftest import sign_in_password
from nansen.audit.models import AuditEntry

WRONG = "not the right password"


def _fail(client, username, address):
    return sign_in_password(client, username, password=WRONG, REMOTE_ADDR=address)


def test_an_account_locks_after_five_failures_from_anywhere(browser, personas):
    for i in range(5):
        _fail(browser, "officer", f"10.0.0.{i + 1}")
    locked = sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.99")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    # Those addresses failed once each: other accounts still sign in from them.
    assert sign_in_password(browser, "clerk", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_an_address_locks_after_five_failures_on_any_accounts(browser, personas):
    for name in ["clerk", "officer", "supervisor", "nobody", "admin"]:
        _fail(browser, name, "10.0.0.7")
    assert sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.7").status_code == 429
    assert sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_four_failures_do_not_lock(browser, personas):
    for _ in range(4):
        assert _fail(browser, "officer", "10.0.0.1").status_code == 200
    assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(browser, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(browser, "officer", "10.0.0.1")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.1").status_code == 429
    # Trying while locked restarts the 15 minutes.
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.1").status_code == 429
    with time_machine.travel(start + timedelta(minutes=44), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_the_lockout_is_recorded(browser, personas):
    for _ in range(5):
        _fail(browser, "officer", "10.0.0.1")
    actions = list(AuditEntry.objects.filter(channel="auth").values_list("action", flat=True))
    assert sorted(actions) == ["locked_out"] + ["login_failed"] * 5
    locked = AuditEntry.objects.get(action="locked_out")
    assert locked.user == personas.officer and locked.remote_addr == "10.0.0.1"


def test_the_lockout_page_is_translated(browser, personas):
    for _ in range(5):
        _fail(browser, "officer", "10.0.0.1")
    page = browser.post(
        reverse("login"),
        {"username": "officer", "password": WRONG},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert page.status_code == 429
    html = page.content.decode()
    assert 'lang="ja"' in html and "Sign-in locked" not in html
