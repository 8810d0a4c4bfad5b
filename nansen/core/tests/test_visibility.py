"""What each role may see and do, page by page. Anything not allowed answers 404."""

import re
from datetime import date

import pytest
from django.urls import reverse

from nansen.procedures.services import application_lodge
from nansen.testing import register_family

ROLES = ["clerk", "officer", "supervisor", "appeals", "statistician", "admin", "lawyer", "outsider"]

# Who may open each page of a case of the Tokyo office that the lawyer represents ("rep") or
# does not represent ("unrep").
CASE_PAGES = {
    "registration:case_detail": {"clerk", "officer", "supervisor", "appeals", "lawyer"},
    "registration:person_detail": {"clerk", "officer", "supervisor", "appeals", "lawyer"},
    "registration:person_edit": {"clerk", "officer", "supervisor"},
    "registration:case_member_add": {"clerk"},
    "procedures:application_lodge": {"clerk", "supervisor"},
    "procedures:application_interview": {"officer", "supervisor"},
    "procedures:decision_record": {"officer", "supervisor"},
}


@pytest.fixture
def world(personas):
    represented = register_family(personas.clerk, children=0)
    unrepresented = register_family(personas.clerk, children=0)
    represented.representatives.add(personas.lawyer)
    out = {}
    for key, case in (("rep", represented), ("unrep", unrepresented)):
        principal = case.members.get(relationship="principal").person
        (application,) = application_lodge(
            actor=personas.clerk, case=case, persons=[principal], lodged_on=date(2025, 1, 1)
        )
        out[key] = {
            "registration:case_detail": case.pk,
            "registration:person_detail": principal.pk,
            "registration:person_edit": principal.pk,
            "registration:case_member_add": case.pk,
            "procedures:application_lodge": case.pk,
            "procedures:application_interview": application.pk,
            "procedures:decision_record": application.pk,
        }
    return out


def test_the_page_matrix(client, personas, world):
    probes = failures = 0
    report = []
    for role in ROLES:
        client.force_login(getattr(personas, role))
        for page, allowed in CASE_PAGES.items():
            for which in ("rep", "unrep"):
                may = role in allowed and (role != "lawyer" or which == "rep")
                status = client.get(reverse(page, args=[world[which][page]])).status_code
                probes += 1
                if (status == 200) != may or status not in (200, 404):
                    failures += 1
                    report.append(
                        f"{role} {page} {which}: {status}, expected {'200' if may else '404'}"
                    )
    print(f"page matrix: {probes} probes, {failures} failures")
    assert failures == 0, report


@pytest.mark.parametrize("role", ROLES)
def test_general_pages(client, personas, role):
    client.force_login(getattr(personas, role))
    expected = {
        "procedures:dashboard": 200,
        "registration:case_search": 200 if role not in {"statistician", "admin"} else 404,
        "registration:case_register": 200 if role in {"clerk", "outsider"} else 404,
        "statistics:statistics": 200 if role in {"statistician", "supervisor"} else 404,
    }
    actual = {name: client.get(reverse(name)).status_code for name in expected}
    assert actual == expected


def test_search_finds_only_what_the_user_may_see(client, personas, world):
    client.force_login(personas.outsider)
    page = client.get(reverse("registration:case_search"), {"q": "Ahmad"}).content.decode()
    assert "No case matches." in page
    client.force_login(personas.lawyer)
    page = client.get(reverse("registration:case_search")).content.decode()
    assert re.findall(r'href="/cases/(\d+)/"', page) == [
        str(world["rep"]["registration:case_detail"])
    ]


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(
        reverse("registration:case_detail", args=[world["rep"]["registration:case_detail"]])
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_pages_with_personal_data_are_not_cached(client, personas, world):
    client.force_login(personas.clerk)
    response = client.get(
        reverse("registration:case_detail", args=[world["rep"]["registration:case_detail"]])
    )
    assert "no-store" in response["Cache-Control"]
