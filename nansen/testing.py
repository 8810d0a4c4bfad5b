"""Shared personas and helpers for the test suite (used by conftest.py and the browser tests).

Data is set up through the same services the pages and the API call.
"""

from __future__ import annotations

import importlib
import os
import time
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import NoReturn

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts import services as account_services
from nansen.accounts.models import Office, RoleGrant, User
from nansen.accounts.roles import Role
from nansen.registration.models import Case
from nansen.registration.services import MemberInput, PersonInput, case_register

PASSWORD = "correct horse battery staple"
# The personas' authenticator key: RFC 6238's published test key, for tests only.
TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, with the known test key (created if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=TOTP_KEY, confirmed=True
        )
    return device


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now. Each time step is accepted once, so a second sign-in
    within 30 seconds takes the next step's code (within the tolerance), or waits."""
    device.refresh_from_db()
    now_step = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now_step, device.last_t + 1)
    if step > now_step + device.tolerance:
        ready_at = (step - device.tolerance - device.drift) * device.step + device.t0
        time.sleep(ready_at - time.time() + 0.1)
    return str(hotp(device.bin_key, step, device.digits)).zfill(device.digits)


class VerifiedClient(Client):
    """A test client whose ``force_login`` also gives the second factor, as the sign-in pages
    would: the session is verified by the user's authenticator and freshly authenticated."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session[account_services.AUTHENTICATED_AT] = timezone.now().timestamp()
        session.save()


def make_user(username: str, office: Office, *roles: Role, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        office=office,
        first_name=extra.pop("first_name", username.title()),
        **extra,
    )
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    totp_device(user)
    return User.objects.get(pk=user.pk)


@dataclass
class Personas:
    tokyo: Office
    osaka: Office
    ngo: Office
    clerk: User
    officer: User
    supervisor: User
    appeals: User
    statistician: User
    admin: User
    lawyer: User
    outsider: User
    auditor: User


def make_personas() -> Personas:
    tokyo = Office.objects.create(
        code="TKY",
        name="Tokyo Regional Immigration Bureau",
        kind=Office.Kind.ASYLUM_AUTHORITY,
        country="JPN",
    )
    osaka = Office.objects.create(
        code="OSA",
        name="Osaka Regional Immigration Bureau",
        kind=Office.Kind.ASYLUM_AUTHORITY,
        country="JPN",
    )
    ngo = Office.objects.create(
        code="JLNR", name="Refugee Lawyers Network", kind=Office.Kind.LEGAL_AID, country="JPN"
    )
    return Personas(
        tokyo=tokyo,
        osaka=osaka,
        ngo=ngo,
        clerk=make_user("clerk", tokyo, Role.CLERK),
        officer=make_user("officer", tokyo, Role.ELIGIBILITY_OFFICER),
        supervisor=make_user("supervisor", tokyo, Role.SUPERVISOR),
        appeals=make_user("appeals", tokyo, Role.APPEALS_OFFICER),
        statistician=make_user("statistician", tokyo, Role.STATISTICIAN),
        admin=make_user("admin", tokyo, Role.ADMINISTRATOR),
        lawyer=make_user("lawyer", ngo, Role.LEGAL_REPRESENTATIVE),
        outsider=make_user("outsider", osaka, Role.CLERK, Role.ELIGIBILITY_OFFICER),
        auditor=make_user("auditor", tokyo, Role.AUDITOR),
    )


def person_input(**overrides) -> PersonInput:
    values = {
        "given_name": "Ahmad",
        "family_name": "Al-Hassan",
        "given_name_original": "أحمد",
        "family_name_original": "الحسن",
        "sex": "M",
        "birth_date": date(1988, 3, 14),
        "country_of_origin": "SYR",
        "nationalities": ["SYR"],
        "languages": ["ara"],
        "interpreter_needed": True,
    }
    values.update(overrides)
    return PersonInput(**values)


def register_family(clerk: User, *, origin: str = "SYR", children: int = 1, **principal) -> Case:
    dependants = [
        MemberInput(
            person=person_input(
                given_name="Rania",
                sex="F",
                birth_date=date(1990, 7, 2),
                country_of_origin=origin,
                given_name_original="رانيا",
            ),
            relationship="spouse",
        )
    ]
    dependants += [
        MemberInput(
            person=person_input(
                given_name=f"Child{i}",
                sex="F" if i % 2 else "M",
                birth_date=date(2015 + i, 1, 1),
                birth_date_precision="year",
                country_of_origin=origin,
                given_name_original="",
            ),
            relationship="child",
        )
        for i in range(children)
    ]
    return case_register(
        actor=clerk,
        principal=person_input(country_of_origin=origin, **principal),
        dependants=dependants,
    )


def draft_assessment_then_check(*, application, outcome: str, form: str = "") -> str | None:
    """The decision check, after drafting (or revising) a complete assessment for
    ``outcome`` (or the conclusion the kind of decision ``form`` records) when the
    application has none concluding it (conftest.py's ``assessments_drafted``, for tests
    about other things than assessments)."""
    from nansen.eligibility.models import Assessment, Conclusion
    from nansen.eligibility.selectors import assessment_blocks_decision
    from nansen.eligibility.testing import complete_assessment

    chosen = application.procedure.forms.get(form)
    conclusion = chosen.conclusion if chosen is not None and chosen.conclusion else outcome
    existing = Assessment.objects.filter(application=application).first()
    if outcome in Conclusion.values and (existing is None or existing.conclusion != conclusion):
        drafter = (
            User.objects.filter(
                office_id=application.office_id,
                is_active=True,
                role_grants__role__in=[Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR],
            )
            .order_by("pk")
            .first()
        )
        complete_assessment(drafter, application, conclusion=conclusion)
    return assessment_blocks_decision(application=application, outcome=outcome, form=form)


def skip_or_fail(message: str) -> NoReturn:
    """Something a test needs is missing (a library, the shipped reference data): a skip with
    the message on a developer's machine, a failure under CI (CI=true), where everything the
    suite needs is installed and a skip would hide a test that never ran."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run under CI: {message}", pytrace=False)
    pytest.skip(message)


def require_or_skip(module: str) -> ModuleType:
    """``pytest.importorskip`` that fails under CI (see ``skip_or_fail``)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        skip_or_fail(f"{module} is not installed ({error})")
