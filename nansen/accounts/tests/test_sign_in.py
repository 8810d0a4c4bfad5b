"""Signing in takes a password and a second factor; nothing is reachable in between."""

import base64
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts import services
from nansen.accounts.models import ApiToken, User, UserSession
from nansen.accounts.tests.conftest import sign_in, sign_in_password
from nansen.audit.models import AuditEntry
from nansen.testing import totp_code, totp_device


def _actions(**where):
    return list(AuditEntry.objects.filter(**where).values_list("action", flat=True))


def test_a_password_alone_leads_to_the_second_step(browser, personas):
    response = sign_in_password(browser, "officer")
    assert response.status_code == 302
    response = browser.get(reverse("procedures:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:mfa_verify')}?next=%2F"


@pytest.mark.parametrize(
    "name",
    [
        "procedures:dashboard",
        "registration:case_search",
        "statistics:statistics",
        "accounts:mfa",
        "accounts:reauthenticate",
        "accounts:password_change",
        "accounts:sessions",
        "admin:index",
    ],
)
def test_no_page_opens_before_the_second_factor(browser, personas, name):
    sign_in_password(browser, "admin")
    response = browser.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_code_opens_the_dashboard_and_is_recorded(browser, personas):
    sign_in_password(browser, "officer")
    response = browser.post(
        reverse("accounts:mfa_verify"),
        {
            "code": totp_code(totp_device(personas.officer)),
            "next": reverse("registration:case_search"),
        },
    )
    assert response["Location"] == reverse("registration:case_search")
    assert browser.get(reverse("procedures:dashboard")).status_code == 200
    assert _actions(user=personas.officer) == ["login", "mfa_verified"]


def test_a_wrong_code_is_refused_and_recorded(browser, personas):
    sign_in_password(browser, "officer")
    response = browser.post(reverse("accounts:mfa_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert browser.get(reverse("procedures:dashboard")).status_code == 302
    assert _actions(user=personas.officer) == ["login", "mfa_failed"]


def test_a_code_is_accepted_only_once(browser, personas):
    code = totp_code(totp_device(personas.officer))
    sign_in_password(browser, "officer")
    assert browser.post(reverse("accounts:mfa_verify"), {"code": code}).status_code == 302
    browser.post(reverse("accounts:logout"))
    sign_in_password(browser, "officer")
    replay = browser.post(reverse("accounts:mfa_verify"), {"code": code})
    assert replay.status_code == 200
    assert "This code is not valid" in replay.content.decode()
    assert browser.get(reverse("procedures:dashboard")).status_code == 302


def test_each_recovery_code_works_once(browser, personas):
    codes = services.recovery_codes_regenerate(user=personas.clerk)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in_password(browser, "clerk")
    response = browser.post(reverse("accounts:mfa_verify"), {"code": codes[3].upper()})
    assert response.status_code == 302
    assert browser.get(reverse("procedures:dashboard")).status_code == 200
    assert services.recovery_codes_left(personas.clerk) == 9
    browser.post(reverse("accounts:logout"))
    sign_in_password(browser, "clerk")
    assert browser.post(reverse("accounts:mfa_verify"), {"code": codes[3]}).status_code == 200


def test_recovery_codes_are_not_stored_as_given(personas):
    codes = services.recovery_codes_regenerate(user=personas.clerk)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not {c.replace("-", "") for c in codes} & stored
    assert not set(codes) & stored


def test_sign_in_gives_a_new_session_id_at_each_step(browser, personas):
    session = browser.session
    session["language_hint"] = "en"
    session.save()
    before = browser.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in_password(browser, "officer")
    after_password = browser.cookies[settings.SESSION_COOKIE_NAME].value
    browser.post(reverse("accounts:mfa_verify"), {"code": totp_code(totp_device(personas.officer))})
    after_code = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert len({before, after_password, after_code}) == 3
    assert UserSession.objects.filter(user=personas.officer).get().session_key == after_code


def test_failed_sign_ins_are_recorded_with_the_typed_name(browser, personas):
    sign_in_password(browser, "officer", password="not the password at all")
    sign_in_password(browser, "nobody", password="whatever it is")
    # Longer than any user name: the log keeps the first 150 characters.
    authenticate(RequestFactory().post("/"), username="x" * 300, password="whatever it is")
    known, unknown, long = AuditEntry.objects.filter(action="login_failed").order_by("sequence")
    assert known.user == personas.officer and known.username == "officer"
    assert unknown.user is None and unknown.username == "nobody"
    assert unknown.channel == "auth" and unknown.remote_addr == "127.0.0.1"
    assert long.username == "x" * 150


def test_sign_out_is_recorded_and_ends_the_session(browser, personas):
    sign_in(browser, personas.officer)
    browser.post(reverse("accounts:logout"))
    assert _actions(user=personas.officer)[-1] == "logout"
    assert not UserSession.objects.filter(user=personas.officer).exists()
    assert browser.get(reverse("procedures:dashboard")).status_code == 302


def test_a_session_without_second_factor_is_anonymous_in_the_api(browser, personas):
    sign_in_password(browser, "clerk")
    assert browser.get("/api/cases").status_code == 401
    _token, raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="script"
    )
    assert browser.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


# Enrolment -----------------------------------------------------------------------------------


@pytest.fixture
def newcomer(personas):
    return User.objects.create_user(
        username="newcomer", password="a long enough passphrase", office=personas.tokyo
    )


def _current_code(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(hotp(key, int(time.time()) // 30)).zfill(6)


def test_a_user_without_an_authenticator_must_set_one_up(browser, newcomer):
    sign_in_password(browser, "newcomer", password="a long enough passphrase")
    response = browser.get(reverse("registration:case_search"))
    assert response["Location"] == f"{reverse('accounts:mfa_setup')}?next=%2Fcases%2F"
    page = browser.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("accounts:mfa_setup_qr") in html and "<script>" not in html
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed and services.totp_secret(device) == secret

    qr = browser.get(reverse("accounts:mfa_setup_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = browser.post(reverse("accounts:mfa_setup"), {"code": "123456", "next": "/cases/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(user=newcomer).confirmed
    assert "This code is not valid" in wrong.content.decode()

    with time_machine.travel(time.time() + 2):  # django-otp makes one wait after a wrong code
        code = _current_code(secret)
        done = browser.post(reverse("accounts:mfa_setup"), {"code": code, "next": "/cases/"})
    assert done["Location"] == f"{reverse('accounts:mfa_recovery_codes')}?next=%2Fcases%2F"
    codes_page = browser.get(done["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", codes_page)
    assert len(codes) == 10
    assert 'href="/cases/"' in codes_page
    # Shown once.
    assert browser.get(done["Location"])["Location"] == reverse("accounts:mfa")
    assert browser.get(reverse("procedures:dashboard")).status_code == 200
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert _actions(user=newcomer) == ["login", "mfa_enrolled", "sessions_ended"]


def test_a_password_alone_cannot_add_an_authenticator(browser, personas):
    sign_in_password(browser, "officer")
    response = browser.get(reverse("accounts:mfa_setup"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert browser.get(reverse("accounts:mfa_setup_qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=personas.officer).count() == 1


def test_the_qr_code_needs_an_authenticator_being_set_up(client, personas):
    client.force_login(personas.officer)
    assert client.get(reverse("accounts:mfa_setup_qr")).status_code == 404


def test_replacing_the_authenticator_ends_other_sessions(client, browser, personas):
    sign_in(browser, personas.officer)
    client.force_login(personas.officer)  # also freshly authenticated
    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert "replaces the one you use now" in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(reverse("accounts:mfa_setup"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=personas.officer).count() == 1
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert client.get(reverse("procedures:dashboard")).status_code == 200


def test_a_demo_installation_shows_the_current_code(client, personas, settings):
    from django_otp.oath import totp

    from nansen.testing import PASSWORD, totp_device

    device = totp_device(personas.officer)
    settings.NANSEN_ENV = "demo"
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    page = client.get("/accounts/verify/").content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert f"shows {code} now" in page
    settings.NANSEN_ENV = "test"
    assert "Demo installation" not in client.get("/accounts/verify/").content.decode()
