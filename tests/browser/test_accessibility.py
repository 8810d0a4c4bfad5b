"""Accessibility and small screens, checked in the browser on the main pages.

axe-core (vendored under tests/browser/vendor, MPL-2.0) runs the WCAG 2.1 A and AA rules; a
page passes with no serious or critical violation. Every page must also fit a 360-pixel-wide
phone screen without scrolling sideways, in English and in Arabic.
"""

from datetime import date
from pathlib import Path

import pytest

from nansen.procedures.services import application_lodge, decision_record
from nansen.testing import register_family
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()


def _pages(personas):
    case = register_family(personas.clerk, children=1)
    persons = [m.person for m in case.members.all()]
    applications = application_lodge(
        actor=personas.clerk, case=case, persons=persons, lodged_on=date(2024, 1, 1)
    )
    decision_record(
        actor=personas.officer,
        application=applications[0],
        expected_version=applications[0].version,
        outcome="recognized",
        decided_on=date(2024, 6, 1),
        reasons="Reasons.",
        without_interview_reason="Decided on the file.",
    )
    return [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/persons/{persons[0].pk}/",
        f"/persons/{persons[0].pk}/edit/",
        f"/cases/{case.pk}/lodge/",
        f"/applications/{applications[1].pk}/decision/",
        "/statistics/",
    ]


def _violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.usefixtures("assessments_drafted")
def test_main_pages_are_accessible_and_fit_a_phone(axe_page, live_personas, language):
    page = axe_page
    urls = _pages(live_personas)
    login(page, "supervisor")
    if language == "ar":
        page.get_by_label("Language", exact=True).select_option("ar")
        page.wait_for_function("document.documentElement.dir === 'rtl'")
    problems = []
    for url in urls:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        problems += [f"{url}: {v}" for v in _violations(page)]
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url)
        if (extra := _overflow(page)) > 0:
            problems.append(f"{url}: {extra}px wider than a 360px screen")
    print(f"accessibility ({language}): {len(urls)} pages, {len(problems)} problems")
    assert problems == []


def test_the_login_page_is_accessible(axe_page, live_personas):
    page = axe_page
    page.goto("/accounts/login/")
    assert _violations(page) == []


def test_the_registration_page_is_accessible_with_a_member_added(axe_page, live_personas):
    page = axe_page
    login(page, "clerk")
    page.goto("/cases/register/")
    page.get_by_role("button", name="Add a family member").click()
    page.locator("#members .member-block").first.wait_for()
    assert _violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert _overflow(page) <= 0
