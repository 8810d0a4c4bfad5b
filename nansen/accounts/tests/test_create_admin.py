"""The way in for the first administrator: ``nansen accounts create-admin``, never
``createsuperuser``; the second factor is set up at the first sign-in."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts.models import RoleGrant, User
from nansen.accounts.roles import Action, Role
from nansen.accounts.tests.conftest import sign_in_password
from nansen.audit.models import AuditEntry, Channel
from nansen.testing import totp_code

PASSWORD = "a long first administrator password"


def _create_admin(tmp_path, username="root", *extra):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    out = io.StringIO()
    call_command(
        "accounts", "create-admin", username, "--password-file", str(secret), *extra, stdout=out
    )
    return out.getvalue()


def test_createsuperuser_refuses_and_names_the_way_in(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="nansen accounts create-admin"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "")
    assert not User.objects.exists()


def test_the_command_creates_an_administrator_who_sets_up_a_second_factor(db, tmp_path):
    assert "administrator root created" in _create_admin(tmp_path)
    root = User.objects.get(username="root")
    assert root.may(Action.ADMINISTER) and not root.may(Action.VIEW_CASEWORK)
    assert not root.is_superuser and not root.is_staff
    grant = RoleGrant.objects.get(user=root)
    assert grant.role == Role.ADMINISTRATOR and grant.requested_by is None
    entry = AuditEntry.objects.get(action="administrator_created")
    assert (entry.object_id, entry.channel) == (root.pk, Channel.COMMAND)

    browser = Client()
    assert sign_in_password(browser, "root", PASSWORD).status_code == 302
    for page in (reverse("procedures:dashboard"), reverse("admin:index")):
        assert browser.get(page)["Location"].startswith(reverse("accounts:mfa_setup"))


def test_a_second_administrator_only_when_asked_for(db, tmp_path):
    _create_admin(tmp_path)
    with pytest.raises(CommandError, match="--another"):
        _create_admin(tmp_path, "second")
    _create_admin(tmp_path, "second", "--another")
    assert User.objects.get(username="second").may(Action.ADMINISTER)


def test_a_weak_or_taken_password_or_name_is_refused(db, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("short\n")
    with pytest.raises(CommandError):
        call_command("accounts", "create-admin", "root", "--password-file", str(secret))
    assert not User.objects.exists()
    _create_admin(tmp_path)
    with pytest.raises(CommandError, match="taken"):
        _create_admin(tmp_path, "root", "--another")


def test_the_first_administrator_administers_without_an_office(db, tmp_path):
    _create_admin(tmp_path)
    browser = Client()
    sign_in_password(browser, "root", PASSWORD)
    browser.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user__username="root", confirmed=False)
    assert (
        browser.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)}).status_code == 302
    )
    dashboard = browser.get(reverse("procedures:dashboard"))
    assert dashboard.status_code == 200
    assert reverse("admin:index") in dashboard.content.decode()
    assert browser.get(reverse("admin:index")).status_code == 200
    assert browser.get(reverse("admin:accounts_office_add")).status_code == 200
