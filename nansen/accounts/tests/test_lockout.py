"""Guessing passwords at sign-in: five failures lock the account from that source address for
15 minutes (django-axes); the account alone is only slowed down, so that no one who knows a
user name can keep its owner out; a source failing on many accounts is locked."""

from datetime import timedelta
from unittest import mock

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nansen.accounts.models import User
from nansen.accounts.sign_in_limits import slowdown_interval
from nansen.accounts.tests.conftest import sign_in_password
from nansen.audit.models import AuditEntry

WRONG = "not the right password"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.5"


def _fail(client, username, address):
    return sign_in_password(client, username, password=WRONG, REMOTE_ADDR=address)


def _retry_after(response) -> int:
    assert response.status_code == 429, response.content
    return int(response["Retry-After"])


def test_an_account_locks_after_five_failures_from_one_address(browser, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(browser, "officer", "10.0.0.1")
    # Past the slow-down (one second after five failures): the lock is what answers.
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        locked = sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.1")
        assert locked.status_code == 429
        assert "Sign-in locked" in locked.content.decode()
        # The address failed on this account only: other accounts still sign in from it.
        assert sign_in_password(browser, "clerk", REMOTE_ADDR="10.0.0.1").status_code == 302
        assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.0.2").status_code == 302


def test_an_attacker_cannot_lock_the_owner_out(browser, personas):
    start = timezone.now()
    # Twenty tries, a minute apart, from one address: each one the slow-down lets through
    # fails; those after the fifth meet the lock.
    for minute in range(20):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert _fail(browser, "officer", ATTACKER).status_code in (200, 429)
    after = start + timedelta(minutes=19, seconds=1)
    with time_machine.travel(after, tick=False):
        slowed = sign_in_password(browser, "officer", REMOTE_ADDR=OWNER)
        wait = _retry_after(slowed)
        assert 0 < wait <= 15 * 60
        assert f"Try again in {wait} seconds" in slowed.content.decode()
    # The owner, from their own address, once the interval has passed: signed in.
    with time_machine.travel(after + timedelta(seconds=wait), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR=OWNER).status_code == 302
    # The attacker's address stays locked for this account, for the owner too.
    with time_machine.travel(after + timedelta(seconds=wait + 1), tick=False):
        locked = sign_in_password(Client(), "officer", REMOTE_ADDR=ATTACKER)
        assert locked.status_code == 429
        assert "Sign-in locked" in locked.content.decode()


def test_the_slow_down_answers_without_looking_at_the_password(browser, personas):
    start = timezone.now()
    # Eight failures a minute apart, each let through by the slow-down.
    for i in range(8):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            _fail(browser, "officer", f"10.0.1.{i + 1}")
    start += timedelta(minutes=7)
    with time_machine.travel(start, tick=False):
        failures = AuditEntry.objects.filter(action="login_failed").count()
        with mock.patch.object(User, "check_password", side_effect=AssertionError) as check:
            slowed = sign_in_password(browser, "officer", REMOTE_ADDR="10.0.2.1")
        check.assert_not_called()
        # Eight failures: eight seconds between attempts, the right password included.
        assert _retry_after(slowed) == slowdown_interval(8) == 8
        assert AuditEntry.objects.filter(action="login_failed").count() == failures
        refused = AuditEntry.objects.filter(action="sign_in_refused").get()
        assert refused.user == personas.officer and refused.remote_addr == "10.0.2.1"
        assert refused.details == {"reason": "account_slowed", "retry_after": 8}
    with time_machine.travel(start + timedelta(seconds=8), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR="10.0.2.1").status_code == 302


def test_the_slow_down_grows_with_failures_and_stops_at_fifteen_minutes():
    assert [slowdown_interval(n) for n in range(4, 11)] == [0, 1, 2, 4, 8, 16, 32]
    assert slowdown_interval(14) == 512
    assert slowdown_interval(15) == slowdown_interval(1000) == 15 * 60


def test_a_successful_sign_in_ends_the_slow_down(browser, personas):
    start = timezone.now()
    for i in range(6):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            _fail(browser, "officer", f"10.0.1.{i + 1}")
    start += timedelta(minutes=5)
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        assert _retry_after(sign_in_password(browser, "officer", REMOTE_ADDR=OWNER)) == 1
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        assert sign_in_password(browser, "officer", REMOTE_ADDR=OWNER).status_code == 302
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        browser = Client()
        _fail(browser, "officer", OWNER)
        # One failure since the owner signed in: no wait.
        assert sign_in_password(browser, "officer", REMOTE_ADDR=OWNER).status_code == 302


def test_an_address_locks_after_twenty_failures_on_any_accounts(browser, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(20):
            _fail(browser, f"guess{i}", "10.0.0.7")
        locked = sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.7")
        assert _retry_after(locked) == 15 * 60
        assert "from this device" in locked.content.decode()
        assert sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.8").status_code == 302
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_nineteen_failures_on_many_accounts_do_not_lock_the_address(browser, personas):
    for i in range(19):
        _fail(browser, f"guess{i}", "10.0.0.7")
    assert sign_in_password(browser, "appeals", REMOTE_ADDR="10.0.0.7").status_code == 302


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
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(browser, "officer", "10.0.0.1")
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        page = browser.post(
            reverse("accounts:login"),
            {"username": "officer", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_ACCEPT_LANGUAGE="ja",
        )
    assert page.status_code == 429
    html = page.content.decode()
    assert 'lang="ja"' in html and "Sign-in locked" not in html
