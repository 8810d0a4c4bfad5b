"""The procedure in a real browser: schedule an interview, record it, record the decision,
issue the letter and open it."""

import os
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nansen.procedures.models import Interpreter, OfficerProfile, Room
from nansen.procedures.services import application_lodge
from nansen.testing import register_family
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("assessments_drafted")
def test_schedule_an_interview_decide_and_open_the_letter(page, live_personas, time_machine):
    personas = live_personas
    OfficerProfile.objects.create(user=personas.officer, sex="M")
    karim = Interpreter.objects.create(
        office=personas.tokyo, name="Karim", languages=["ara"], sex="M"
    )
    Room.objects.create(office=personas.tokyo, name="Room 3")
    case = register_family(personas.clerk, children=0)
    principal = case.members.get(relationship="principal").person
    today = timezone.localdate()
    (application,) = application_lodge(
        actor=personas.clerk, case=case, persons=[principal], lodged_on=today
    )
    tomorrow = today + timedelta(days=1)

    login(page, "officer")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Procedure").click()
    expect(page.get_by_role("heading", name=re.compile("Ahmad AL-HASSAN"))).to_be_visible()
    page.get_by_role("link", name="Schedule an interview").click()
    page.get_by_label("Date", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Starts", exact=True).fill("10:00")
    page.get_by_label("Ends", exact=True).fill("11:30")
    page.get_by_label("Interviewer", exact=True).select_option(label="Officer")
    # Arabic, the applicant's language, is chosen already: it lists the interpreters who
    # speak it (choosing another language reloads the list).
    expect(page.get_by_label("Language of the interview", exact=True)).to_have_value("ara")
    page.get_by_label("Interpreter", exact=True).select_option(str(karim.pk))
    page.get_by_label("Room", exact=True).select_option(label="Room 3")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("The interview was scheduled.")).to_be_visible()

    # The day after, once the interview is over: a new session, the record.
    after = timezone.make_aware(datetime.combine(tomorrow, time(12, 0)))
    time_machine.move_to(after, tick=True)
    login(page, "officer")
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Record the interview").click()
    page.get_by_label("Account given by the applicant", exact=True).fill(
        "I was arrested twice for my articles and left after the second release."
    )
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("The interview was recorded.")).to_be_visible()
    expect(page.locator(".stage")).to_have_text("Interviewed")

    page.get_by_role("link", name="Record decision").click()
    page.get_by_label("Rejected").check()
    page.get_by_label("Reasons", exact=True).fill("The account is not consistent with the COI.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("The decision was recorded.")).to_be_visible()
    expect(page.locator(".stage")).to_have_text("Refused at first instance")

    page.get_by_role("link", name="Issue the decision letter").click()
    page.get_by_label("Language of the letter", exact=True).select_option("en")
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_text("The letter was issued.")).to_be_visible()
    page.get_by_role("button", name="Record notification").click()
    expect(page.get_by_text("The notification was recorded.")).to_be_visible()
    due = page.locator("table.deadlines tbody tr")
    expect(due).to_contain_text("Request for examination (review) of the refusal")

    with page.expect_download() as download:
        page.get_by_role("link", name="English (PDF)").click()
    pdf = download.value.path()
    with open(pdf, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is needed under CI")
        return
    text = subprocess.run(
        [shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Refusal of refugee status" in text
    assert "The account is not consistent with the COI." in text
    assert "Last day" in text
