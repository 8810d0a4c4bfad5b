"""An eligibility officer assesses the claim of a Syrian draft evader, part by part, cites
country information, concludes recognition, sees the reasons drafted from the findings,
signs the decision and finds the reasons, with their citations, in the letter."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nansen.coi.services import SourceInput, source_add
from nansen.procedures import services as procedure_services
from nansen.testing import register_family
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

UNHCR = SourceInput(
    title="International Protection Considerations with Regard to People Fleeing Syria",
    publisher="UNHCR",
    published_on=date(2025, 5, 1),
    countries=["SYR"],
    topics=["military service"],
    url="https://www.refworld.org/docid/606427d97.html",
    text=(
        "Men who evaded conscription are seen as opponents of the government and face arrest, "
        "torture and forced conscription on return.\n\nThe capital has many checkpoints."
    ),
)
EUAA = SourceInput(
    title="Syria: Military service",
    publisher="EUAA",
    published_on=date(2025, 9, 1),
    countries=["SYR"],
    topics=["military service"],
    text=(
        "The authorities impute a political opinion to draft evaders: evasion is treated as "
        "disloyalty and punished harshly.\n\nReservists are called up by lists."
    ),
)


@pytest.fixture
def claim(live_personas):
    personas = live_personas
    case = register_family(personas.clerk, children=0)
    principal = case.members.get(relationship="principal").person
    (application,) = procedure_services.application_lodge(
        actor=personas.clerk, case=case, persons=[principal], lodged_on=date(2026, 1, 12)
    )
    procedure_services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date(2026, 2, 3),
    )
    source_add(actor=personas.supervisor, data=UNHCR)
    source_add(actor=personas.supervisor, data=EUAA)
    return case, application


def save(section):
    section.get_by_role("button", name="Save this part").click()
    expect(section.locator(".saved")).to_contain_text("Saved")


def cite(page, part, query, title):
    section = page.locator(f"#part-{part}")
    section.get_by_label("Search the country information to cite").fill(query)
    section.get_by_role("button", name="Search", exact=True).click()
    result = section.locator(".search-result").filter(has_text=title).first
    expect(result.locator("mark").first).to_be_visible()
    result.get_by_role("button", name="Cite this passage").click()
    expect(section.locator(".citation-list")).to_contain_text(title)


def test_an_officer_assesses_a_syrian_draft_evader_and_signs_the_recognition(page, claim):
    case, application = claim
    login(page, "officer")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name=case.number)).to_be_visible()
    page.goto(f"/applications/{application.pk}/assessment/")

    page.get_by_label("Language of the reasons").select_option("en")
    page.get_by_label("Profile of the claim").select_option("draft_evader")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("#assessment-status")).to_contain_text("Still missing")

    new_fact = page.locator("#new-fact")
    new_fact.get_by_label("The fact claimed").fill(
        "He was called up for military service in 2024 and fled to avoid it."
    )
    new_fact.get_by_label("Evidence").fill("Call-up paper; detailed and consistent account.")
    new_fact.get_by_label("Documents").check()
    new_fact.get_by_label("Accepted", exact=True).check()
    new_fact.get_by_label("Reasons").fill("Consistent with the call-up paper and with COI.")
    new_fact.get_by_role("button", name="Add the fact").click()
    expect(page.locator("#facts-list .fact h3").first).to_contain_text("Fact 1")

    fear = page.locator("#part-fear")
    fear.get_by_label("Yes: the fear is well-founded").check()
    fear.get_by_label("Reasons").fill(
        "Draft evaders returned to Syria are arrested and ill-treated: a reasonable "
        "possibility of persecution."
    )
    save(fear)
    cite(page, "fear", "evaded conscription arrest return", UNHCR.title)

    persecution = page.locator("#part-persecution")
    persecution.get_by_label("The harm feared").fill(
        "Arrest, torture in detention and forced conscription."
    )
    persecution.get_by_label("The State or its agents").check()
    persecution.get_by_label("Serious enough to amount to persecution?").select_option("yes")
    persecution.get_by_label("Established", exact=True).check()
    persecution.get_by_label("Reasons").fill("Torture is persecution; the punishment is harsh.")
    save(persecution)

    nexus = page.locator("#part-nexus")
    for ground in ("race", "religion", "nationality", "social_group"):
        nexus.locator(f"#ground-{ground}").get_by_label("Finding").select_option("not_established")
    opinion = nexus.locator("#ground-political_opinion")
    opinion.get_by_label("Claimed by the applicant").check()
    opinion.get_by_label("Finding").select_option("established")
    opinion.get_by_label("Imputed by the persecutor").check()
    opinion.get_by_label("Reasons").fill(
        "The authorities treat evasion as disloyalty: a political opinion is imputed to him."
    )
    save(nexus)
    cite(page, "nexus", "political opinion draft evaders", EUAA.title)

    protection = page.locator("#part-protection")
    protection.get_by_label("Not available, or not effective").check()
    protection.get_by_label("Reasons").fill("The State is the persecutor.")
    save(protection)

    relocation = page.locator("#part-relocation")
    relocation.get_by_label("Not applicable").check()
    relocation.get_by_label("Reasons").fill("The State controls all the areas of return.")
    save(relocation)

    exclusion = page.locator("#part-exclusion")
    exclusion.get_by_label("Screened: no indication of an exclusion clause").check()
    save(exclusion)

    conclusion = page.locator("#part-conclusion")
    conclusion.get_by_label("Recognized as a refugee").check()
    conclusion.get_by_label("Reasons").fill("Every element of Article 1A(2) is established.")
    save(conclusion)
    expect(page.locator("#assessment-status")).to_contain_text(
        "The assessment is complete and consistent."
    )

    page.get_by_role("link", name="Drafted reasons of the decision").click()
    draft = page.get_by_label("Reasons")
    expect(draft).to_have_value(
        re.compile(r"Political opinion \(imputed\) \(claimed\): Established")
    )
    reasons = draft.input_value()
    assert "UNHCR, “International Protection Considerations" in reasons
    assert "EUAA, “Syria: Military service”, 2025-09-01, para. 1" in reasons

    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Recognized as a refugee").check()
    page.get_by_label("Date of decision", exact=True).fill("2026-03-02")
    reasons_field = page.get_by_label("Reasons", exact=True)
    if not reasons_field.input_value().strip():  # until the decision form carries the draft
        reasons_field.fill(reasons)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("The decision was recorded.")).to_be_visible()

    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Issue the decision letter").click()
    page.get_by_label("Language of the letter").select_option("en")
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_text("The letter was issued.")).to_be_visible()
    href = page.get_by_role("link", name="English (PDF)").get_attribute("href")
    pdf = page.request.get(href).body()

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Syria: Military service" in flat
    assert "Political opinion (imputed)" in flat
    assert "International Protection Considerations" in flat


AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()


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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_assessment_and_library_pages_are_accessible_and_fit_a_phone(
    axe_page, live_personas, language
):
    from nansen.eligibility.testing import coi_source, complete_assessment

    personas = live_personas
    case = register_family(personas.clerk, children=0)
    principal = case.members.get(relationship="principal").person
    (application,) = procedure_services.application_lodge(
        actor=personas.clerk, case=case, persons=[principal], lodged_on=date(2026, 1, 12)
    )
    source = coi_source(personas.officer)
    complete_assessment(personas.officer, application, source=source)
    urls = [
        f"/applications/{application.pk}/assessment/",
        f"/applications/{application.pk}/assessment/reasons/",
        "/coi/?q=military+service+arrest",
        f"/coi/sources/{source.pk}/",
        "/coi/sources/new/",
        "/eligibility/settings/",
    ]
    page = axe_page
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
        extra = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if extra > 0:
            problems.append(f"{url}: {extra}px wider than a 360px screen")
    assert problems == []
