"""A user sees their own open sessions and ends any other one, or all others (OWASP ASVS
5.0 7.5.2); another user's session is out of reach."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nansen.accounts.models import UserSession
from nansen.accounts.tests.conftest import sign_in
from nansen.audit.models import AuditEntry
from nansen.testing import VerifiedClient


def _signed_in(user) -> Client:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _tracked(client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


def test_the_page_lists_the_users_own_sessions_only(client, personas):
    elsewhere = Client()
    sign_in(elsewhere, personas.officer, REMOTE_ADDR="192.0.2.17", HTTP_USER_AGENT="Firefox")
    colleague = Client()
    sign_in(colleague, personas.clerk, REMOTE_ADDR="198.51.100.4")
    client.force_login(personas.officer)

    response = client.get(reverse("accounts:sessions"))

    assert response.status_code == 200
    listed = response.context["sessions"]
    assert {s.pk for s in listed} == set(
        UserSession.objects.filter(user=personas.officer).values_list("pk", flat=True)
    )
    assert len(listed) == 2 and listed[0].is_current and not listed[1].is_current
    html = response.content.decode()
    assert "This session" in html
    assert "192.0.2.17" in html and "198.51.100.4" not in html
    assert _tracked(elsewhere).user_agent_hash[:8] in html
    # The session keys are the sessions' credentials: never on a page.
    for key in UserSession.objects.values_list("session_key", flat=True):
        assert key not in html
    assert "<script>" not in html


def test_sessions_past_their_timeout_are_not_listed(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(personas.officer)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        client.force_login(personas.officer)
        listed = client.get(reverse("accounts:sessions")).context["sessions"]
    assert [s.session_key for s in listed] == [client.session.session_key]


def test_ending_another_session_signs_it_out_and_is_recorded(client, personas):
    elsewhere = _signed_in(personas.officer)
    still_open = _signed_in(personas.officer)
    client.force_login(personas.officer)
    target = _tracked(elsewhere)

    response = client.post(reverse("accounts:session_end"), {"session": target.pk})

    assert response["Location"] == reverse("accounts:sessions")
    assert elsewhere.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert still_open.get(reverse("procedures:dashboard")).status_code == 200
    assert client.get(reverse("procedures:dashboard")).status_code == 200
    assert not UserSession.objects.filter(pk=target.pk).exists()
    ended = AuditEntry.objects.get(action="sessions_ended")
    assert ended.user == personas.officer and ended.object_id == personas.officer.pk
    assert ended.details == {"reason": "ended_by_user", "count": 1, "sessions": [target.pk]}


def test_another_users_session_answers_404(client, personas):
    colleague = _signed_in(personas.clerk)
    client.force_login(personas.officer)
    theirs = _tracked(colleague)
    assert client.post(reverse("accounts:session_end"), {"session": theirs.pk}).status_code == 404
    assert client.post(reverse("accounts:session_end"), {"session": "x"}).status_code == 404
    assert client.post(reverse("accounts:session_end")).status_code == 404
    assert colleague.get(reverse("procedures:dashboard")).status_code == 200
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    assert not AuditEntry.objects.filter(action="sessions_ended").exists()


def test_this_session_is_ended_by_signing_out_not_here(client, personas):
    client.force_login(personas.officer)
    response = client.post(reverse("accounts:session_end"), {"session": _tracked(client).pk})
    assert response.status_code == 404
    assert client.get(reverse("procedures:dashboard")).status_code == 200


def test_ending_all_other_sessions_keeps_this_one(client, personas):
    others = [_signed_in(personas.officer), _signed_in(personas.officer)]
    colleague = _signed_in(personas.clerk)
    client.force_login(personas.officer)

    response = client.post(reverse("accounts:sessions_end_others"))

    assert response["Location"] == reverse("accounts:sessions")
    page = client.get(response["Location"]).content.decode()
    assert "Your other sessions were ended." in page
    assert reverse("accounts:sessions_end_others") not in page
    for other in others:
        assert other.get(reverse("procedures:dashboard"))["Location"].startswith(
            reverse("accounts:login")
        )
    assert client.get(reverse("procedures:dashboard")).status_code == 200
    assert colleague.get(reverse("procedures:dashboard")).status_code == 200
    assert list(UserSession.objects.filter(user=personas.officer)) == [_tracked(client)]
    ended = AuditEntry.objects.get(action="sessions_ended")
    assert ended.user == personas.officer
    assert ended.details == {"reason": "ended_by_user", "count": 2}


def test_ending_sessions_asks_for_the_factors_again_after_ten_minutes(client, personas):
    elsewhere = _signed_in(personas.officer)
    start = timezone.now() - timedelta(minutes=11)
    with time_machine.travel(start, tick=False):
        client.force_login(personas.officer)
        client.get(reverse("procedures:dashboard"))
    for name, data in [
        ("accounts:session_end", {"session": _tracked(elsewhere).pk}),
        ("accounts:sessions_end_others", {}),
    ]:
        response = client.post(
            reverse(name), data, HTTP_REFERER="http://testserver/accounts/sessions/"
        )
        assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert elsewhere.get(reverse("procedures:dashboard")).status_code == 200
    assert not AuditEntry.objects.filter(action="sessions_ended").exists()


def test_ending_is_a_post(client, personas):
    client.force_login(personas.officer)
    assert client.get(reverse("accounts:session_end")).status_code == 405
    assert client.get(reverse("accounts:sessions_end_others")).status_code == 405


def test_the_pages_need_a_signed_in_user(browser, personas):
    for name in ("accounts:sessions", "accounts:session_end", "accounts:sessions_end_others"):
        response = browser.post(reverse(name), {"session": 1})
        assert response["Location"].startswith(reverse("accounts:login")), name
    assert browser.get(reverse("accounts:sessions"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_page_costs_the_same_queries_however_many_sessions(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.officer)
    client.get(reverse("accounts:sessions"))
    with django_assert_max_num_queries(7):
        client.get(reverse("accounts:sessions"))
    for _ in range(5):
        _signed_in(personas.officer)
    with django_assert_max_num_queries(7):
        assert len(client.get(reverse("accounts:sessions")).context["sessions"]) == 6
