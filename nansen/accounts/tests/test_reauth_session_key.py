"""Re-authentication raises a session's privilege, so it gets a new key (OWASP ASVS 5.0
7.2.4): a key fixed or seen before no longer works afterwards."""

from django.conf import settings
from django.urls import reverse

from nansen.accounts.models import UserSession
from nansen.testing import PASSWORD, VerifiedClient, totp_code, totp_device


def test_reauthentication_gives_a_new_session_key_and_keeps_the_user_signed_in(client, personas):
    client.force_login(personas.officer)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("procedures:dashboard")).status_code == 200

    response = client.post(
        f"{reverse('accounts:reauthenticate')}?next={reverse('registration:case_search')}",
        {"password": PASSWORD, "code": totp_code(totp_device(personas.officer))},
    )

    assert response.status_code == 302 and response["Location"] == reverse(
        "registration:case_search"
    )
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get(reverse("procedures:dashboard")).status_code == 200
    assert UserSession.objects.get(user=personas.officer).session_key == after
    # A browser still holding the old key is signed out.
    stale = VerifiedClient()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_failed_reauthentication_keeps_the_key(client, personas):
    client.force_login(personas.officer)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(
        reverse("accounts:reauthenticate"), {"password": "not the password!", "code": "1"}
    )
    assert response.status_code == 200
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == before
