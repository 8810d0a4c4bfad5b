"""The foundation's path in a real browser: register a family, lodge, decide, count."""

import re

import pytest
from playwright.sync_api import expect

from nansen.testing import register_family
from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("assessments_drafted")
def test_registration_lodging_decision_and_statistics(page, live_personas):
    login(page, "clerk")
    page.get_by_role("link", name="Register a family").click()
    principal = page.locator("section", has=page.get_by_role("heading", name="Principal applicant"))
    principal.get_by_label("Given names (Latin letters)", exact=True).fill("Yousef")
    principal.get_by_label("Family name (Latin letters)", exact=True).fill("Haddad")
    principal.get_by_label("Given names (original script)", exact=True).fill("يوسف")
    principal.get_by_label("Family name (original script)", exact=True).fill("حداد")
    principal.get_by_label("Sex", exact=True).select_option("M")
    principal.get_by_label("Date of birth", exact=True).fill("1979")
    principal.get_by_label("Country of origin", exact=True).select_option("SYR")
    principal.get_by_label("Languages", exact=True).fill("ara")

    page.get_by_role("button", name="Add a family member").click()
    member = page.locator("#members .member-block").first
    expect(member).to_be_visible()
    member.get_by_label("Relationship to the principal applicant", exact=True).select_option(
        "child"
    )
    member.get_by_label("Given names (Latin letters)", exact=True).fill("Salma")
    member.get_by_label("Family name (Latin letters)", exact=True).fill("Haddad")
    member.get_by_label("Sex", exact=True).select_option("F")
    member.get_by_label("Date of birth", exact=True).fill("2012-09-01")
    member.get_by_label("Country of origin", exact=True).select_option("SYR")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile(r"Case TKY-\d{4}-000001"))).to_be_visible()
    expect(page.get_by_text("Yousef HADDAD")).to_be_visible()
    expect(page.get_by_text("Salma HADDAD")).to_be_visible()

    page.get_by_role("link", name="Lodge applications").click()
    page.get_by_label("Date lodged", exact=True).fill("2025-04-01")
    page.get_by_role("button", name="Lodge").click()
    expect(page.get_by_text("The applications were lodged.")).to_be_visible()
    case_url = page.url
    logout(page)

    login(page, "officer")
    page.goto(case_url)
    for name, outcome in (
        ("Yousef HADDAD", "Recognized as a refugee"),
        ("Salma HADDAD", "Complementary protection"),
    ):
        card = page.locator("article.member", has=page.get_by_role("heading", name=name))
        card.get_by_role("link", name="Record decision").click()
        page.get_by_label(outcome).check()
        page.get_by_label("Date of decision", exact=True).fill("2025-09-15")
        page.get_by_label("Reasons", exact=True).fill(
            "The accepted facts establish a well-founded fear."
        )
        page.get_by_label("Why there was no interview", exact=True).fill(
            "Decided on the written statement."
        )
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("The decision was recorded.")).to_be_visible()
    history = page.locator("ol.timeline")
    expect(history.get_by_text("Decision recorded")).to_have_count(2)
    logout(page)

    login(page, "statistician")
    page.get_by_role("link", name="Statistics", exact=True).click()
    row = page.locator("table.statistics tbody tr", has_text="Syria")
    expect(row).to_contain_text("2025")
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("5")  # applications: two persons, shown as 5 (masked)
    expect(cells.nth(9)).to_have_text("50.0 %")  # recognition rate
    expect(cells.nth(10)).to_have_text("100.0 %")  # total protection rate
    expect(page.locator("svg.bar-chart rect")).to_have_count(2)
    expect(page.get_by_text("Yousef")).to_have_count(0)


def test_a_form_error_keeps_what_was_typed(page, live_personas):
    login(page, "clerk")
    page.goto("/cases/register/")
    principal = page.locator("section", has=page.get_by_role("heading", name="Principal applicant"))
    principal.get_by_label("Given names (Latin letters)", exact=True).fill("Abdullah")
    principal.get_by_label("Given names (original script)", exact=True).fill("عبدالله")
    principal.get_by_label("Sex", exact=True).select_option("M")
    principal.get_by_label("Date of birth", exact=True).fill("1990-02-31")
    principal.get_by_label("Country of origin", exact=True).select_option("AFG")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(principal.get_by_text("This date does not exist.")).to_be_visible()
    expect(principal.get_by_label("Given names (Latin letters)", exact=True)).to_have_value(
        "Abdullah"
    )
    expect(principal.get_by_label("Given names (original script)", exact=True)).to_have_value(
        "عبدالله"
    )
    expect(principal.get_by_label("Country of origin", exact=True)).to_have_value("AFG")


def test_arabic_pages_run_right_to_left(page, live_personas):
    login(page, "clerk")
    page.get_by_label("Language", exact=True).select_option("ar")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"


def test_pages_run_under_the_content_security_policy(page, live_personas):
    """The ``page`` fixture fails the test on any CSP violation; walk the pages with HTMX."""
    register_family(live_personas.clerk, family_name="Haddad")
    login(page, "clerk")
    for url in ("/", "/cases/", "/cases/register/"):
        page.goto(url)
    page.get_by_role("button", name="Add a family member").click()
    page.locator("#members .member-block").first.wait_for()
    page.goto("/cases/?q=nobody")
    results = page.locator("#results")
    expect(results).to_contain_text("No case matches.")
    # The search runs as the user types: HTMX asks for the results and swaps them in.
    with page.expect_response(
        lambda response: "q=Haddad" in response.url and response.request.headers.get("hx-request")
    ) as searched:
        page.get_by_label("Name or case number", exact=True).fill("Haddad")
    assert searched.value.ok
    expect(results).to_contain_text("1 case")
    expect(results.get_by_role("cell", name=re.compile("HADDAD"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=Haddad"))
    assert page.csp_violations == []
