"""Two-step verification in a real browser, under the Content-Security-Policy."""

import base64
import time

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from nansen.accounts.models import RoleGrant, User
from nansen.accounts.roles import Role
from nansen.testing import PASSWORD
from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser


def _code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(hotp(key, int(time.time()) // 30)).zfill(6)


def test_a_new_user_sets_up_two_step_verification(page, live_personas):
    newcomer = User.objects.create_user(
        username="newcomer", password=PASSWORD, office=live_personas.tokyo
    )
    RoleGrant.objects.create(user=newcomer, role=Role.CLERK)

    page.goto("/accounts/login/")
    page.get_by_label("User name", exact=True).fill("newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/mfa/setup/**")
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()

    qr = page.get_by_role("img", name="QR code of your Nansen authenticator key")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.decode().then(() => image.naturalWidth)") > 0

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(_code_for(secret))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/accounts/mfa/recovery-codes/**")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Register a family")).to_be_visible()


def test_a_recovery_code_signs_in_without_the_phone(page, live_personas):
    from nansen.accounts.services import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=live_personas.officer)
    page.goto("/accounts/login/")
    page.get_by_label("User name", exact=True).fill("officer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/verify/**")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("This code is not valid")).to_be_visible()
    time.sleep(1.1)  # django-otp makes one wait a moment after a wrong code
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_personas_sign_in_and_out_twice_in_a_row(page, live_personas):
    for _ in range(2):
        login(page, "clerk")
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        logout(page)


def test_the_sign_in_pages_are_accessible_and_fit_a_phone(axe_page, live_personas):
    from tests.browser.test_accessibility import _overflow, _violations

    page = axe_page
    User.objects.create_user(username="newcomer", password=PASSWORD, office=live_personas.tokyo)
    problems = []

    def check(url):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        problems.extend(f"{url}: {v}" for v in _violations(page))
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url)
        if (extra := _overflow(page)) > 0:
            problems.append(f"{url}: {extra}px wider than a 360px screen")

    for url in ["/accounts/password-reset/", "/accounts/password-reset/sent/"]:
        check(url)
    page.goto("/accounts/login/")
    page.get_by_label("User name", exact=True).fill("newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/mfa/setup/**")
    check("/accounts/mfa/setup/")
    page.get_by_role("button", name="Sign out").click()
    login(page, "officer")
    for url in [
        "/accounts/mfa/",
        "/accounts/reauthenticate/",
        "/accounts/password-change/",
        "/accounts/sessions/",
    ]:
        check(url)
    logout(page)
    page.goto("/accounts/login/")
    page.get_by_label("User name", exact=True).fill("officer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/verify/**")
    check("/accounts/verify/")
    assert problems == []
