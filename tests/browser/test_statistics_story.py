"""The story told by the statistics: Syrians in Japan against Syrians worldwide."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from nansen.statistics.tests.unhcr_data import UNHCR_DIR, write_excerpt
from nansen.testing import skip_or_fail
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_the_comparison_page_shows_syrians_in_japan_beside_the_world(page, live_personas, tmp_path):
    if not UNHCR_DIR.is_dir():
        skip_or_fail(f"UNHCR data not found at {UNHCR_DIR}")
    call_command("statistics", "import-unhcr", str(write_excerpt(tmp_path)), stdout=StringIO())
    login(page, "statistician")
    page.get_by_role("link", name="Statistics", exact=True).click()
    page.get_by_role("link", name="One nationality across years").click()
    page.get_by_label("Nationality (country of origin)", exact=True).select_option("SYR")
    page.get_by_label("Country of asylum", exact=True).select_option("JPN")
    page.get_by_label("From year", exact=True).fill("2011")
    page.get_by_label("To year", exact=True).fill("2025")
    page.get_by_role("button", name="Show").click()
    chart = page.locator("svg.line-chart")
    expect(chart).to_be_visible()
    expect(chart.locator(".series-world circle")).to_have_count(15)
    table = page.locator("table.comparison")
    row_2015 = table.locator("tbody tr", has_text="2015")
    cells = row_2015.locator("td")
    expect(cells.nth(0)).to_contain_text("97.3 %")  # Syrians worldwide, 2015
    expect(cells.nth(3)).to_have_text("100.0 %‡")  # Japan: all 10 protected, 5 + 5 masked
    expect(cells.nth(5)).to_have_text("10")
    expect(table.get_by_role("columnheader", name="Japan")).to_be_visible()
