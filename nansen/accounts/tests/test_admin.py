"""The admin: deactivating a user ends their sessions; second factors are reset, not
edited; the admin's own sign-in page is Nansen's. Administrators get in by their role."""

from django.test import Client
from django.urls import reverse

from nansen.accounts.models import UserSession
from nansen.accounts.tests.conftest import sign_in
from nansen.audit.models import AuditEntry


def _change_form(user):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "office": user.office_id,
        "is_active": "",  # unticked
    }


def test_disabling_a_user_in_the_admin_ends_their_sessions(client, personas):
    officer = personas.officer
    browser = Client()
    sign_in(browser, officer)
    client.force_login(personas.admin)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    response = client.post(url, _change_form(officer))
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert not officer.is_active
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert not UserSession.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(action="user_deactivated", user=personas.admin).exists()


def test_the_admin_resets_a_second_factor(client, personas):
    browser = Client()
    sign_in(browser, personas.officer)
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [personas.officer.pk]},
    )
    assert response.status_code == 302
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:login")
    )
    sign_in_again = Client()
    sign_in_again.post(
        reverse("accounts:login"),
        {"username": "officer", "password": "correct horse battery staple"},
    )
    assert sign_in_again.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:mfa_setup")
    )
    assert AuditEntry.objects.filter(action="mfa_reset", object_id=personas.officer.pk).exists()


def test_no_one_reads_or_edits_authenticator_keys_in_the_admin(client, personas):
    client.force_login(personas.admin)
    index = client.get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in index and "otp_static" not in index


def test_the_admin_signs_in_through_nansens_page(browser, personas):
    response = browser.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=/admin/"
