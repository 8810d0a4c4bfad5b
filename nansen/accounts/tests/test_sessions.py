"""Sessions end after the office's idle and absolute timeouts, and all of a user's sessions
end when the account is disabled or its second factor changes."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nansen.accounts import administration, services
from nansen.accounts.models import Office, UserSession
from nansen.accounts.tests.conftest import sign_in, sign_in_password
from nansen.audit.models import AuditEntry


def test_an_idle_session_ends(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(personas.officer)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("procedures:dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get(reverse("procedures:dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get(reverse("registration:case_search"), follow=True)
    assert response.redirect_chain[0] == (f"{reverse('accounts:login')}?next=%2Fcases%2F", 302)
    assert "signed out after a period of inactivity" in response.content.decode()
    assert not UserSession.objects.filter(user=personas.officer).exists()
    logout = AuditEntry.objects.filter(action="logout").get()
    assert logout.details == {"reason": "idle_timeout"}


def test_the_idle_timeout_is_the_offices(client, personas):
    Office.objects.filter(pk=personas.tokyo.pk).update(session_idle_minutes=5)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(personas.officer)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert client.get(reverse("procedures:dashboard")).status_code == 302


def test_a_session_ends_at_its_maximum_length_even_when_active(client, personas):
    Office.objects.filter(pk=personas.tokyo.pk).update(session_absolute_hours=1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(personas.officer)
    for minutes in (20, 40, 59):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("procedures:dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = client.get(reverse("procedures:dashboard"), follow=True)
    assert "sessions have a maximum length" in response.content.decode()
    assert AuditEntry.objects.get(action="logout").details == {"reason": "absolute_timeout"}


def test_a_half_signed_in_session_times_out_too(browser, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in_password(browser, "officer")
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = browser.get(reverse("accounts:mfa_verify"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_activity_is_written_at_most_once_a_minute(client, personas):
    client.force_login(personas.statistician)
    client.get(reverse("statistics:statistics"))
    seen = UserSession.objects.get(user=personas.statistician).last_seen_at
    client.get(reverse("statistics:statistics"))
    assert UserSession.objects.get(user=personas.statistician).last_seen_at == seen
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        client.get(reverse("statistics:statistics"))
    assert UserSession.objects.get(user=personas.statistician).last_seen_at > seen


@pytest.mark.parametrize(
    ("field", "value"), [("session_idle_minutes", 0), ("session_absolute_hours", 0)]
)
def test_timeouts_must_be_positive(personas, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=personas.tokyo.pk).update(**{field: value})


def test_sessions_are_tracked_per_user(personas):
    first, second = Client(), Client()
    sign_in(first, personas.officer, HTTP_USER_AGENT="Firefox")
    sign_in(second, personas.officer, HTTP_USER_AGENT="Chromium")
    tracked = UserSession.objects.filter(user=personas.officer)
    assert tracked.count() == 2
    assert len({s.user_agent_hash for s in tracked}) == 2
    assert set(tracked.values_list("session_key", flat=True)) <= set(
        Session.objects.values_list("session_key", flat=True)
    )


def test_disabling_an_account_ends_all_its_sessions(personas):
    first, second = Client(), Client()
    sign_in(first, personas.officer)
    sign_in(second, personas.officer)
    administration.user_deactivate(actor=personas.admin, user=personas.officer)
    personas.officer.refresh_from_db()
    assert not personas.officer.is_active
    for browser in (first, second):
        assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
            reverse("accounts:login")
        )
    assert not UserSession.objects.filter(user=personas.officer).exists()
    ended = AuditEntry.objects.get(action="sessions_ended")
    assert ended.user == personas.admin and ended.object_id == personas.officer.pk
    assert ended.details == {"reason": "account_disabled", "count": 2}
    assert AuditEntry.objects.filter(action="user_deactivated", user=personas.admin).exists()


def test_new_recovery_codes_end_the_other_sessions(client, personas):
    other = Client()
    sign_in(other, personas.officer)
    client.force_login(personas.officer)
    response = client.post(reverse("accounts:mfa_recovery_codes_regenerate"))
    assert response["Location"].startswith(reverse("accounts:mfa_recovery_codes"))
    assert other.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert client.get(reverse("procedures:dashboard")).status_code == 200
    assert AuditEntry.objects.filter(action="recovery_codes_regenerated").exists()


def test_resetting_the_second_factor_ends_all_sessions(personas):
    browser = Client()
    sign_in(browser, personas.officer)
    administration.mfa_reset(actor=personas.admin, user=personas.officer)
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert not services.user_has_second_factor(personas.officer)
