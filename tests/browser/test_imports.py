"""A registration list imported from the page, followed by the page while it runs."""

import re

import pytest
from playwright.sync_api import expect

from nansen.imports.templates_files import template_csv
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_clerk_imports_a_list_and_follows_it_to_the_end(page, live_personas, monkeypatch):
    monkeypatch.setattr("nansen.imports.views.run_in_background", lambda: True)
    login(page, "clerk")
    page.goto("/imports/registration/")
    expect(page.get_by_role("heading", name="Import a registration list")).to_be_visible()
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        files=[{"name": "families.csv", "mimeType": "text/csv", "buffer": template_csv()}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Registration import")).to_be_visible()
    expect(page.get_by_text(re.compile(r"2 persons registered in 1 cases"))).to_be_visible(
        timeout=20_000
    )
    page.get_by_role("link", name="Find the cases").click()
    expect(page.get_by_text("Ahmad AL-HASSAN")).to_be_visible()


def test_a_refused_file_lists_its_problems_by_line_and_column(page, live_personas):
    login(page, "clerk")
    page.goto("/imports/registration/")
    bad = template_csv().replace(b",SYR,SYR,", b",ZZZ,SYR,", 1)
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        files=[{"name": "families.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text(re.compile("Nothing was registered"))).to_be_visible()
    expect(
        page.get_by_role("cell", name="ZZZ is not an ISO 3166-1 alpha-3 country code.")
    ).to_be_visible()
