"""Data for restore drills: a small office with persons, families, encrypted sensitive data,
an import and the audit chain they leave. Set up through the same services the pages call,
with an office and two users of its own (the drill's users never sign in: no password, no
second factor)."""

from __future__ import annotations

from datetime import date

from nansen.accounts.models import Office, RoleGrant, User
from nansen.accounts.roles import Role
from nansen.imports import services as imports
from nansen.imports.templates_files import template_csv
from nansen.registration.services import (
    MemberInput,
    PersonInput,
    SensitiveInput,
    case_register,
    person_sensitive_update,
)


def _user(username: str, office: Office, role: Role) -> User:
    user = User.objects.create_user(username=username, password=None, office=office)
    # A fixture grant, as the demo's: a real installation grants roles through
    # nansen.accounts.administration, with a second administrator's approval.
    RoleGrant.objects.create(user=user, role=role)
    return User.objects.get(pk=user.pk)


def _person(given_name: str, sex: str, birth_date: date, **extra) -> PersonInput:
    return PersonInput(
        given_name=given_name,
        family_name="Al-Hassan",
        family_name_original="الحسن",
        sex=sex,
        birth_date=birth_date,
        country_of_origin="SYR",
        nationalities=["SYR"],
        languages=["ara"],
        interpreter_needed=True,
        **extra,
    )


def _family(index: int) -> tuple[PersonInput, list[MemberInput]]:
    """A principal, a spouse and 0 to 2 children."""
    principal = _person(f"Drill{index}", "M", date(1988, 3, 14), given_name_original="أحمد")
    dependants = [
        MemberInput(
            person=_person("Rania", "F", date(1990, 7, 2), given_name_original="رانيا"),
            relationship="spouse",
        )
    ]
    dependants += [
        MemberInput(
            person=_person(
                f"Child{i}",
                "F" if i % 2 else "M",
                date(2015 + i, 1, 1),
                birth_date_precision="year",
            ),
            relationship="child",
        )
        for i in range(index % 3)
    ]
    return principal, dependants


def populate(families: int = 5) -> None:
    office = Office.objects.create(
        code="DRL", name="Restore drill office", kind=Office.Kind.ASYLUM_AUTHORITY, country="JPN"
    )
    clerk = _user("drill-clerk", office, Role.CLERK)
    officer = _user("drill-officer", office, Role.ELIGIBILITY_OFFICER)
    for index in range(families):
        principal_input, dependants = _family(index)
        case = case_register(actor=clerk, principal=principal_input, dependants=dependants)
        principal = case.members.get(relationship="principal").person
        person_sensitive_update(
            actor=officer,
            person=principal,
            expected_version=principal.version,
            data=SensitiveInput(religion="Sunni Muslim", flight_reasons=f"Summary {index}"),
        )
    data = template_csv()
    job = imports.import_job_create(actor=clerk, file_name="drill.csv", data=data)
    imports.import_run(actor=clerk, job=job, data=data)
