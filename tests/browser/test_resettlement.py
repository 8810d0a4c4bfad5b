"""Resettlement in a real browser: record a pledge, refer a recognised family to it, carry the
referral to departure, and see the pledge's fulfilment change."""

import re

import pytest
from playwright.sync_api import expect

from nansen.resettlement.tests.factories import decided_family
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _totals(page):
    """The pledge's fulfilment row: places, submitted, accepted, departed, arrived, share."""
    return page.locator("#fulfilment-totals tbody tr td")


@pytest.mark.usefixtures("assessments_drafted")
def test_a_pledge_a_referral_and_a_departure(page, live_personas):
    family = decided_family(live_personas, children=1)  # principal and spouse recognised

    login(page, "supervisor")
    page.goto("/resettlement/")
    page.get_by_role("link", name="Record a pledge").click()
    page.get_by_label("Receiving country", exact=True).select_option("CAN")
    page.get_by_label("Programme", exact=True).select_option("resettlement")
    page.get_by_label("Title", exact=True).fill("Syrian refugees (browser test)")
    page.get_by_label("Places pledged", exact=True).fill("10")
    page.get_by_label("Nationalities", exact=True).fill("SYR")
    page.get_by_label("Announced on", exact=True).fill("2015-11-24")
    page.get_by_label("Source", exact=True).fill("Government announcement (as reported)")
    page.get_by_role("button", name="Record the pledge").click()
    expect(page.get_by_text("The pledge was recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Canada · Syrian refugees"))).to_be_visible()
    expect(_totals(page).nth(3)).to_have_text("0")  # persons departed
    pledge_url = page.url

    page.get_by_role("link", name="Refer a case").click()
    page.get_by_label("Case number", exact=True).fill(family.number)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=f"Refer case {family.number}")).to_be_visible()
    expect(page.get_by_label("Pledge", exact=True)).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Legal and/or physical protection needs").check()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_text("The referral was recorded.")).to_be_visible()

    status = page.locator("#referral-status")
    for button, reached in (
        ("Submit to the receiving country", "Submitted"),
        ("Record acceptance", "Accepted"),
        ("Record departure", "Departed"),
    ):
        status.get_by_role("button", name=button).click()
        expect(status.get_by_role("heading", name=f"Status: {reached}")).to_be_visible()
    expect(status.get_by_role("button", name="Record arrival")).to_be_visible()

    page.goto(pledge_url)
    totals = _totals(page)
    expect(totals.nth(1)).to_have_text("3")  # persons submitted: the family, not one case
    expect(totals.nth(3)).to_have_text("3")  # persons departed
    expect(totals.nth(4)).to_have_text("0")  # arrived: not yet fulfilment
    expect(totals.nth(5)).to_have_text("0.0 %")
    expect(page.locator("svg.progress-chart rect.fill-departed")).not_to_have_count(0)
    referrals = page.locator("table.referrals")
    expect(referrals.get_by_role("link", name=family.number)).to_be_visible()
    expect(referrals).to_contain_text("Departed")
