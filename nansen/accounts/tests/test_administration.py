"""Administrators administer, they do not read (issue 19 §3): their role decides, not Django's
flags; no one grants themselves a role; roles that open personal data, and office moves of
those who hold them, take a second administrator; password and second-factor resets never
put both ways into an account in one administrator's hands."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts import administration
from nansen.accounts.models import Office, PendingAccessChange, RoleGrant, User
from nansen.accounts.roles import Action, Role
from nansen.accounts.tests.conftest import sign_in_password
from nansen.audit.models import AuditEntry
from nansen.core.permissions import NotAllowed
from nansen.testing import VerifiedClient, make_user, register_family, totp_code, totp_device

ATTACKER_PASSWORD = "chosen by the administrator 2015"


@pytest.fixture
def second_admin(personas):
    return make_user("admin2", personas.tokyo, Role.ADMINISTRATOR)


def _newcomer(personas) -> User:
    return make_user("newcomer", personas.tokyo)


# The superuser flag ----------------------------------------------------------------------------


def test_a_superuser_flag_opens_neither_the_admin_nor_any_case(personas):
    register_family(personas.clerk)
    root = User.objects.create_user(
        username="root", password=ATTACKER_PASSWORD, is_superuser=True, is_staff=True
    )
    totp_device(root)
    client = VerifiedClient()
    client.force_login(root)
    # What the reproduced attack did: an office and the supervisor role, given to itself.
    client.post(
        reverse("admin:accounts_user_change", args=[root.pk]),
        {
            "username": "root",
            "office": personas.tokyo.pk,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0",
            "role_grants-MAX_NUM_FORMS": "1000",
            "role_grants-0-role": Role.SUPERVISOR,
            "role_grants-0-user": root.pk,
        },
    )
    client.post(reverse("admin:accounts_rolegrant_add"), {"user": root.pk, "role": Role.SUPERVISOR})
    root = User.objects.get(pk=root.pk)
    assert not root.roles
    assert root.office_id is None
    assert client.get(reverse("admin:index")).status_code == 404
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 404
    assert client.get("/cases/").status_code == 404
    assert not root.may(Action.VIEW_CASEWORK)
    assert not root.has_perm("accounts.change_user")


def test_a_superuser_with_an_office_still_needs_a_role(personas):
    register_family(personas.clerk)
    root = make_user("root", personas.tokyo, is_superuser=True, is_staff=True)
    client = VerifiedClient()
    client.force_login(root)
    assert client.get("/cases/").status_code == 404
    assert client.get("/persons/").status_code == 404
    assert client.get(reverse("admin:index")).status_code == 404


# The administrator role ------------------------------------------------------------------------


def test_an_administrator_without_django_flags_administers(client, personas):
    admin = personas.admin
    assert not admin.is_staff and not admin.is_superuser
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ("user", "office", "rolegrant", "pendingaccesschange"):
        assert client.get(reverse(f"admin:accounts_{name}_changelist")).status_code == 200

    response = client.post(
        reverse("admin:accounts_office_add"),
        {
            "code": "NGY",
            "name": "Nagoya Regional Immigration Bureau",
            "kind": Office.Kind.ASYLUM_AUTHORITY,
            "country": "JPN",
            "session_idle_minutes": 30,
            "session_absolute_hours": 10,
        },
    )
    assert response.status_code == 302
    nagoya = Office.objects.get(code="NGY")
    assert AuditEntry.objects.filter(action="office_created", object_id=nagoya.pk).exists()

    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "kenji", "first_name": "Kenji", "email": "", "office": nagoya.pk},
    )
    assert response.status_code == 200
    kenji = User.objects.get(username="kenji")
    one_time = response.context["issued"][0][1]
    assert one_time in response.content.decode()
    assert kenji.check_password(one_time) and kenji.password_must_change
    assert AuditEntry.objects.filter(action="user_created", object_id=kenji.pk).exists()

    response = client.post(
        reverse("admin:accounts_rolegrant_add"), {"user": kenji.pk, "role": Role.STATISTICIAN}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=kenji.pk).may(Action.VIEW_STATISTICS)
    assert AuditEntry.objects.filter(
        action="role_granted", object_id=kenji.pk, details__role=Role.STATISTICIAN
    ).exists()


def test_others_answer_404_in_the_admin(client, personas):
    for user in (personas.supervisor, personas.auditor, personas.statistician):
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == 404
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 404


# No one grants themselves a role ---------------------------------------------------------------


def test_no_one_grants_a_role_to_themselves(client, personas):
    admin = personas.admin
    with pytest.raises(NotAllowed):
        administration.role_grant_request(actor=admin, user=admin, role=Role.SUPERVISOR)
    with pytest.raises(NotAllowed):
        administration.role_grant_request(actor=admin, user=admin, role=Role.STATISTICIAN)
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_rolegrant_add"), {"user": admin.pk, "role": Role.SUPERVISOR}
    )
    assert response.status_code == 200
    assert "No one grants a role to themselves." in response.content.decode()
    assert not PendingAccessChange.objects.exists()
    assert set(User.objects.get(pk=admin.pk).roles) == {Role.ADMINISTRATOR}
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=admin, role=Role.SUPERVISOR, requested_by=admin)


def test_no_one_moves_themselves_to_another_office(personas):
    with pytest.raises(NotAllowed):
        administration.user_office_change(
            actor=personas.admin, user=personas.admin, office=personas.osaka
        )


# Four eyes ---------------------------------------------------------------------------------------


def test_a_casework_role_waits_for_a_second_administrator(personas, second_admin):
    admin, newcomer = personas.admin, _newcomer(personas)
    pending = administration.role_grant_request(actor=admin, user=newcomer, role=Role.SUPERVISOR)
    assert isinstance(pending, PendingAccessChange)
    assert not User.objects.get(pk=newcomer.pk).may(Action.VIEW_CASEWORK)
    with pytest.raises(NotAllowed):
        administration.role_grant_approve(actor=admin, pending=pending)
    with pytest.raises(Http404):
        administration.role_grant_approve(actor=newcomer, pending=pending)  # not an admin

    grant = administration.role_grant_approve(actor=second_admin, pending=pending)
    assert (grant.requested_by, grant.approved_by) == (admin, second_admin)
    assert User.objects.get(pk=newcomer.pk).may(Action.VIEW_CASEWORK)
    assert not PendingAccessChange.objects.exists()
    requested, granted = AuditEntry.objects.filter(
        object_type="user", object_id=newcomer.pk, action__startswith="role_"
    ).order_by("sequence")
    assert (requested.action, requested.user, requested.details["role"]) == (
        "role_grant_requested",
        admin,
        Role.SUPERVISOR,
    )
    assert (granted.action, granted.user) == ("role_granted", second_admin)
    assert granted.details["requested_by"] == admin.pk


def test_the_administrator_role_also_needs_a_second_administrator(personas):
    pending = administration.role_grant_request(
        actor=personas.admin, user=_newcomer(personas), role=Role.ADMINISTRATOR
    )
    assert isinstance(pending, PendingAccessChange)


def test_the_grantee_cannot_approve_their_own_role(personas, second_admin):
    third = make_user("admin3", personas.tokyo, Role.ADMINISTRATOR)
    pending = administration.role_grant_request(
        actor=personas.admin, user=third, role=Role.SUPERVISOR
    )
    with pytest.raises(NotAllowed):
        administration.role_grant_approve(actor=third, pending=pending)
    administration.role_grant_approve(actor=second_admin, pending=pending)


def test_the_database_refuses_a_grant_approved_by_its_requester(personas):
    newcomer = _newcomer(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(
            user=newcomer,
            role=Role.SUPERVISOR,
            requested_by=personas.admin,
            approved_by=personas.admin,
        )


def test_four_eyes_through_the_admin_pages(personas, second_admin):
    newcomer = _newcomer(personas)
    first, second = VerifiedClient(), VerifiedClient()
    first.force_login(personas.admin)
    second.force_login(second_admin)
    response = first.post(
        reverse("admin:accounts_rolegrant_add"), {"user": newcomer.pk, "role": Role.CLERK}
    )
    assert response["Location"] == reverse("admin:accounts_pendingaccesschange_changelist")
    pending = PendingAccessChange.objects.get(user=newcomer)
    changelist = reverse("admin:accounts_pendingaccesschange_changelist")
    first.post(changelist, {"action": "approve", "_selected_action": [pending.pk]})
    assert not User.objects.get(pk=newcomer.pk).roles
    second.post(changelist, {"action": "approve", "_selected_action": [pending.pk]})
    assert User.objects.get(pk=newcomer.pk).roles == {Role.CLERK}


def test_moving_a_caseworker_to_another_office_waits_for_a_second_administrator(
    client, personas, second_admin
):
    officer = personas.officer
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]),
        {
            "username": officer.username,
            "first_name": officer.first_name,
            "last_name": "",
            "email": "",
            "office": personas.osaka.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).office == personas.tokyo
    pending = PendingAccessChange.objects.get(user=officer)
    assert pending.office == personas.osaka
    with pytest.raises(NotAllowed):
        administration.office_change_approve(actor=personas.admin, pending=pending)
    administration.office_change_approve(actor=second_admin, pending=pending)
    assert User.objects.get(pk=officer.pk).office == personas.osaka
    assert AuditEntry.objects.filter(
        action="office_changed", object_id=officer.pk, user=second_admin
    ).exists()


def test_a_user_without_casework_roles_moves_at_once(personas):
    moved = administration.user_office_change(
        actor=personas.admin, user=personas.statistician, office=personas.osaka
    )
    assert moved is None
    assert User.objects.get(pk=personas.statistician.pk).office == personas.osaka


def test_a_revoked_role_counts_no_more(personas):
    grant = RoleGrant.objects.get(user=personas.clerk)
    administration.role_grant_revoke(actor=personas.admin, grant=grant)
    assert not User.objects.get(pk=personas.clerk.pk).may(Action.VIEW_CASEWORK)
    assert AuditEntry.objects.filter(action="role_revoked", object_id=personas.clerk.pk).exists()


# Password and second-factor resets -------------------------------------------------------------


def _reaches_the_dashboard(username: str, password: str) -> bool:
    """Sign in as an intruder would: the password, then an authenticator of their own if the
    account has none, then a password of their own if one is asked for."""
    browser = Client()
    if sign_in_password(browser, username, password).status_code != 302:
        return False
    step = browser.get(reverse("procedures:dashboard"))
    if step.status_code == 302 and step["Location"].startswith(reverse("accounts:mfa_setup")):
        browser.get(reverse("accounts:mfa_setup"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        browser.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})
        step = browser.get(reverse("procedures:dashboard"))
    if step.status_code == 302 and step["Location"] == reverse("accounts:password_change"):
        mine = "the intruder's own password 77"
        browser.post(
            reverse("accounts:password_change"),
            {"old_password": password, "new_password1": mine, "new_password2": mine},
        )
        step = browser.get(reverse("procedures:dashboard"))
    return step.status_code == 200


def test_an_administrator_cannot_take_over_an_account(client, personas):
    """The reproduced takeover: the administrator reset another user's password and second
    factor, then signed in as them. Whatever the admin pages allow, the administrator ends up
    knowing no password that gets past the second factor."""
    admin, officer = personas.admin, personas.officer
    admin.is_superuser = admin.is_staff = True  # what the attack had; grants nothing now
    admin.save()
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    client.post(changelist, {"action": "reset_second_factor", "_selected_action": [officer.pk]})
    client.post(
        f"/admin/accounts/user/{officer.pk}/password/",  # Django's password form
        {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD},
    )
    response = client.post(
        changelist, {"action": "reset_password", "_selected_action": [officer.pk]}
    )
    known = [ATTACKER_PASSWORD]
    if response.status_code == 200 and "issued" in response.context:
        known += [password for _user, password in response.context["issued"]]
    for password in known:
        assert not _reaches_the_dashboard(officer.username, password)


def test_a_password_reset_leaves_the_second_factor_alone(personas):
    admin, officer = personas.admin, personas.officer
    one_time = administration.user_password_reset(actor=admin, user=officer)
    with pytest.raises(NotAllowed):
        administration.mfa_reset(actor=admin, user=officer)
    # The one-time password alone does not get past the second factor.
    assert not _reaches_the_dashboard(officer.username, one_time)
    assert AuditEntry.objects.filter(
        action="password_reset_by_administrator", object_id=officer.pk, user=admin
    ).exists()


def test_a_second_factor_reset_blocks_a_password_reset_until_the_user_enrolled(personas):
    admin, officer = personas.admin, personas.officer
    administration.mfa_reset(actor=admin, user=officer)
    with pytest.raises(NotAllowed):
        administration.user_password_reset(actor=admin, user=officer)
    with pytest.raises(NotAllowed):
        administration.user_update(
            actor=admin, user=officer, first_name="", last_name="", email="me@example.org"
        )
    # The user sets up a new authenticator with their own password; then it may be reset.
    browser = Client()
    sign_in_password(browser, officer.username)
    assert browser.get(reverse("procedures:dashboard"))["Location"].startswith(
        reverse("accounts:mfa_setup")
    )
    browser.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    browser.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})
    assert User.objects.get(pk=officer.pk).mfa_reset_by is None
    administration.user_password_reset(actor=admin, user=User.objects.get(pk=officer.pk))


def test_a_one_time_password_is_changed_after_the_second_factor(personas):
    officer = personas.officer
    one_time = administration.user_password_reset(actor=personas.admin, user=officer)
    browser = Client()
    sign_in_password(browser, officer.username, one_time)
    browser.post(reverse("accounts:mfa_verify"), {"code": totp_code(totp_device(officer))})
    assert browser.get(reverse("procedures:dashboard"))["Location"] == reverse(
        "accounts:password_change"
    )
    new = "a password of my very own 2026"
    response = browser.post(
        reverse("accounts:password_change"),
        {"old_password": one_time, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert browser.get(reverse("procedures:dashboard")).status_code == 200
    officer = User.objects.get(pk=officer.pk)
    assert not officer.password_must_change and officer.password_reset_by is None


def test_no_one_resets_their_own_factors_or_disables_themselves(personas):
    admin = personas.admin
    for reset in (administration.user_password_reset, administration.mfa_reset):
        with pytest.raises(NotAllowed):
            reset(actor=admin, user=admin)
    with pytest.raises(NotAllowed):
        administration.user_deactivate(actor=admin, user=admin)


def test_only_administrators_reach_the_services(personas):
    for service in (administration.user_password_reset, administration.mfa_reset):
        with pytest.raises(Http404):
            service(actor=personas.supervisor, user=personas.clerk)
    with pytest.raises(Http404):
        administration.role_grant_request(
            actor=personas.supervisor, user=personas.clerk, role=Role.SUPERVISOR
        )
