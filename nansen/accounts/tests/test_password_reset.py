"""A forgotten password can be reset by e-mail; the reset never skips the second factor
and does not tell whether an account exists."""

import re

from django.core import mail
from django.urls import reverse

from nansen.accounts.models import UserSession
from nansen.accounts.tests.conftest import sign_in, sign_in_password
from nansen.audit.models import AuditEntry
from nansen.testing import totp_code, totp_device

NEW_PASSWORD = "a river crossing at night, 2019, with Amina"


def test_the_sign_in_page_offers_a_reset(browser, personas):
    assert (
        reverse("accounts:password_reset")
        in browser.get(reverse("accounts:login")).content.decode()
    )


def test_the_answer_is_the_same_whether_or_not_the_account_exists(browser, personas):
    personas.officer.email = "officer@example.org"
    personas.officer.save()
    known = browser.post(reverse("accounts:password_reset"), {"email": "officer@example.org"})
    unknown = browser.post(reverse("accounts:password_reset"), {"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer@example.org"]
    done = browser.get(reverse("accounts:password_reset_done")).content.decode()
    assert "If an account has this address" in done


def _reset(browser, user, email="officer@example.org"):
    user.email = email
    user.save()
    browser.post(reverse("accounts:password_reset"), {"email": email})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[-1].body)
    form_page = browser.get(link.group(1), follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    return browser.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_a_reset_never_skips_the_second_factor(browser, personas):
    response = _reset(browser, personas.officer)
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )

    assert sign_in_password(browser, "officer", password=NEW_PASSWORD).status_code == 302
    response = browser.get(reverse("procedures:dashboard"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    browser.post(reverse("accounts:mfa_verify"), {"code": totp_code(totp_device(personas.officer))})
    assert browser.get(reverse("procedures:dashboard")).status_code == 200


def test_a_reset_ends_every_session_and_is_recorded(browser, client, personas):
    from django.test import Client

    signed_in = Client()
    sign_in(signed_in, personas.officer)
    _reset(browser, personas.officer)
    assert signed_in.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert not UserSession.objects.filter(user=personas.officer).exists()
    assert AuditEntry.objects.filter(action="password_reset", user=personas.officer).exists()


def test_a_breached_password_is_refused_at_reset(browser, personas):
    personas.officer.email = "officer@example.org"
    personas.officer.save()
    browser.post(reverse("accounts:password_reset"), {"email": "officer@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[-1].body)
    url = browser.get(link.group(1), follow=True).redirect_chain[-1][0]
    response = browser.post(
        url, {"new_password1": "1qaz2wsx3edc4rfv", "new_password2": "1qaz2wsx3edc4rfv"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
