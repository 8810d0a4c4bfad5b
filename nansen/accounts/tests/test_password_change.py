"""A signed-in user changes their own password with the current one (OWASP ASVS 5.0 6.2.2,
6.2.3): the new one meets the same rules as any other, this session stays signed in under a
new key, and every other session of the user ends."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from nansen.accounts.models import UserSession
from nansen.accounts.tests.conftest import sign_in, sign_in_password
from nansen.audit.models import AuditEntry
from nansen.testing import PASSWORD

# 64 characters: passphrases this long must be accepted (ASVS 6.2.9).
NEW_PASSWORD = "the ferry to Lampedusa left at four with 212 people aboard, 2013"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": current, "new_password1": new, "new_password2": again or new},
    )


def test_the_sign_in_security_page_links_to_it(client, personas):
    client.force_login(personas.officer)
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert reverse("accounts:password_change") in page and reverse("accounts:sessions") in page


def test_it_asks_for_the_current_password_and_the_new_one_twice(client, personas):
    client.force_login(personas.officer)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert 'autocomplete="current-password"' in html and 'autocomplete="new-password"' in html
    assert "<script>" not in html


def test_it_changes_the_password_keeps_this_session_and_ends_the_others(personas):
    assert len(NEW_PASSWORD) == 64
    here, elsewhere = Client(), Client()
    sign_in(elsewhere, personas.officer)
    sign_in(here, personas.officer)
    before = here.cookies[settings.SESSION_COOKIE_NAME].value

    response = _change(here)

    assert response["Location"] == reverse("accounts:mfa")
    after = here.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert "Your password was changed" in here.get(reverse("accounts:mfa")).content.decode()
    assert here.get(reverse("procedures:dashboard")).status_code == 200
    assert elsewhere.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert list(
        UserSession.objects.filter(user=personas.officer).values_list("session_key", flat=True)
    ) == [after]
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(NEW_PASSWORD)

    changed = AuditEntry.objects.get(action="password_changed")
    assert changed.user == personas.officer and changed.channel == "auth"
    ended = AuditEntry.objects.get(action="sessions_ended")
    assert ended.user == personas.officer and ended.object_id == personas.officer.pk
    assert ended.details == {"reason": "password_changed", "count": 1}


def test_the_new_password_signs_in_and_the_old_one_no_longer_does(client, browser, personas):
    client.force_login(personas.officer)
    _change(client)
    assert sign_in_password(browser, "officer").status_code == 200
    assert sign_in_password(browser, "officer", password=NEW_PASSWORD).status_code == 302
    # The second factor is still asked for.
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:mfa_verify")
    )


def test_a_wrong_current_password_keeps_the_form_with_an_error(client, personas):
    other = Client()
    sign_in(other, personas.officer)
    client.force_login(personas.officer)
    response = _change(client, current="not my password at all")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is not your current password." in html
    assert 'name="old_password"' in html
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)
    assert other.get(reverse("procedures:dashboard")).status_code == 200
    assert not AuditEntry.objects.filter(action__in=["password_changed", "sessions_ended"])
    # Counted like any failed password.
    assert AuditEntry.objects.filter(action="login_failed", user=personas.officer).exists()


def test_wrong_current_passwords_count_towards_the_lockout(client, personas):
    client.force_login(personas.officer)
    for _ in range(5):
        _change(client, current="not my password at all")
    assert _change(client).status_code == 429
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)


def test_a_breached_new_password_is_refused(client, personas):
    client.force_login(personas.officer)
    response = _change(client, new="1qaz2wsx3edc4rfv")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="password_changed").exists()


def test_a_short_new_password_is_refused(client, personas):
    client.force_login(personas.officer)
    response = _change(client, new="Kx7!pq9@zRt")
    assert "at least 12 characters" in response.content.decode()
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)


def test_the_new_password_must_be_typed_twice_alike(client, personas):
    client.force_login(personas.officer)
    response = _change(client, again=NEW_PASSWORD + "!")
    assert response.status_code == 200
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)


def test_it_needs_a_signed_in_user(browser, personas):
    response = browser.get(reverse("accounts:password_change"))
    assert response["Location"].startswith(reverse("accounts:login"))
    response = browser.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"].startswith(reverse("accounts:login"))
