"""Sensitive actions ask for password and second factor again after ten minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from nansen.accounts import services
from nansen.accounts.reauth import reauthentication_required
from nansen.audit.models import AuditEntry
from nansen.testing import PASSWORD, totp_code, totp_device


@reauthentication_required
def _sensitive(request):
    return HttpResponse("done")


def _request(session: dict, path="/export/?what=all", method="get", **extra):
    request = getattr(RequestFactory(), method)(path, **extra)
    request.session = session
    return request


def test_a_recent_authentication_lets_the_action_through():
    session = {services.AUTHENTICATED_AT: timezone.now().timestamp() - 9 * 60}
    assert _sensitive(_request(session)).content == b"done"


@pytest.mark.parametrize("age_minutes", [11, None])
def test_an_older_one_asks_again_and_comes_back(age_minutes):
    session = {}
    if age_minutes is not None:
        session[services.AUTHENTICATED_AT] = timezone.now().timestamp() - age_minutes * 60
    response = _sensitive(_request(session))
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('accounts:reauthenticate')}?next=%2Fexport%2F%3Fwhat%3Dall"
    )


def test_a_post_comes_back_to_the_page_of_the_form():
    request = _request({}, method="post", HTTP_REFERER="http://testserver/people/4/")
    response = _sensitive(request)
    assert response["Location"].endswith("?next=http%3A%2F%2Ftestserver%2Fpeople%2F4%2F")
    foreign = _request({}, method="post", HTTP_REFERER="https://evil.example/")
    assert _sensitive(foreign)["Location"].endswith("?next=%2F")


def _stale(client, user):
    start = timezone.now() - timedelta(minutes=11)
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get(reverse("procedures:dashboard"))  # keeps the session from idling out


def test_the_admin_asks_again_before_changing_roles(client, personas):
    _stale(client, personas.admin)
    change = reverse("admin:accounts_user_change", args=[personas.clerk.pk])
    response = client.get(change)
    assert (
        response["Location"]
        == f"{reverse('accounts:reauthenticate')}?next={change.replace('/', '%2F')}"
    )
    add = client.get(reverse("admin:accounts_user_add"))
    assert add["Location"].startswith(reverse("accounts:reauthenticate"))
    assert client.get(reverse("admin:index")).status_code == 200

    page = client.get(response["Location"])
    assert page.status_code == 200
    wrong = client.post(response["Location"], {"password": "wrong password here", "code": "123456"})
    assert wrong.status_code == 200
    done = client.post(
        response["Location"],
        {"password": PASSWORD, "code": totp_code(totp_device(personas.admin))},
    )
    assert done["Location"] == change
    assert client.get(change).status_code == 200
    assert AuditEntry.objects.filter(action="reauthenticated", user=personas.admin).exists()


def test_a_wrong_password_is_not_enough_even_with_the_code(client, personas):
    _stale(client, personas.admin)
    code = totp_code(totp_device(personas.admin))
    response = client.post(
        reverse("accounts:reauthenticate"), {"password": "not the password!", "code": code}
    )
    assert "The password or the code is not valid" in response.content.decode()
    # The code was not spent on a wrong password.
    done = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "code": code})
    assert done.status_code == 302


def test_failed_reauthentication_counts_towards_the_lockout(client, personas):
    _stale(client, personas.admin)
    for _ in range(5):
        client.post(
            reverse("accounts:reauthenticate"), {"password": "not the password!", "code": "1"}
        )
    response = client.post(
        reverse("accounts:reauthenticate"),
        {"password": PASSWORD, "code": totp_code(totp_device(personas.admin))},
    )
    assert response.status_code == 429


def test_regenerating_recovery_codes_asks_again(client, personas):
    _stale(client, personas.officer)
    response = client.post(
        reverse("accounts:mfa_recovery_codes_regenerate"),
        HTTP_REFERER="http://testserver/accounts/mfa/",
    )
    assert (
        response["Location"]
        == f"{reverse('accounts:reauthenticate')}?next=http%3A%2F%2Ftestserver%2Faccounts%2Fmfa%2F"
    )
    assert not AuditEntry.objects.filter(action="recovery_codes_regenerated").exists()


def test_replacing_the_authenticator_asks_again(client, personas):
    _stale(client, personas.officer)
    assert client.get(reverse("accounts:mfa_setup"))["Location"].startswith(
        reverse("accounts:reauthenticate")
    )
