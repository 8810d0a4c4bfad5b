"""Registration in a real browser: the clerk sees the existing record, spelled differently,
and links to it instead of registering the person twice."""

from datetime import date

import pytest
from playwright.sync_api import expect

from nansen.accounts.models import User
from nansen.registration.models import Case, Person
from nansen.registration.services import MemberInput, case_register
from nansen.testing import person_input
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _register_khaled_haddad(clerk):
    """Khaled Haddad, registered with his wife Rania and his son Omar."""
    case_register(
        actor=clerk,
        principal=person_input(
            given_name="Khaled",
            family_name="Haddad",
            given_name_original="",
            family_name_original="",
        ),
        dependants=[
            MemberInput(person=person_input(given_name="Rania", sex="F"), relationship="spouse"),
            MemberInput(person=person_input(given_name="Omar"), relationship="child"),
        ],
    )


def test_a_clerk_sees_the_existing_record_spelled_differently_and_links_to_it(page, live_personas):
    clerk = User.objects.get(username="clerk")
    existing = (
        case_register(
            actor=clerk,
            principal=person_input(
                given_name="Muhammad",
                family_name="Abdulrahman",
                given_name_original="محمد",
                family_name_original="عبد الرحمن",
                birth_date=date(1988, 3, 14),
            ),
        )
        .members.get()
        .person
    )
    login(page, "clerk")
    page.goto("/cases/register/")
    principal = page.locator("section", has=page.get_by_role("heading", name="Principal applicant"))
    principal.get_by_label("Given names (Latin letters)", exact=True).fill("Mohamad")
    principal.get_by_label("Family name (Latin letters)", exact=True).fill("Abd al-Rahman")
    principal.get_by_label("Date of birth", exact=True).fill("1988")
    principal.get_by_label("Country of origin", exact=True).select_option("SYR")
    principal.get_by_label("Sex", exact=True).select_option("M")

    panel = principal.locator(".identity-candidates")
    expect(panel.get_by_role("link", name="Muhammad ABDULRAHMAN")).to_be_visible()
    expect(panel).to_contain_text("Name — same name")
    expect(panel).to_contain_text(
        "Date of birth — the same year of birth (the day not known on one record)"
    )
    panel.get_by_role("button", name="Same person: link to this record").click()
    expect(principal.get_by_text("Linked to an existing record")).to_be_visible()

    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Muhammad ABDULRAHMAN")).to_be_visible()
    case = Case.objects.latest("pk")
    assert case.members.get().person == existing
    assert Person.objects.count() == 1


def test_the_family_typed_beside_a_person_finds_them_when_their_names_were_mistyped(
    page, live_personas
):
    """Khaled Haddad was registered with his wife Rania and son Omar. Typed again as
    "Kaled Hadad", with only his year of birth, he shares no two names with his record; the
    family typed in the other blocks of the page finds him."""
    clerk = User.objects.get(username="clerk")
    _register_khaled_haddad(clerk)
    login(page, "clerk")
    page.goto("/cases/register/")
    members = page.locator("#members .member-block")
    for count, given in enumerate(("Rania", "Omar"), 1):
        page.get_by_role("button", name="Add a family member").click()
        expect(members).to_have_count(count)
        members.nth(count - 1).get_by_label("Given names (Latin letters)", exact=True).fill(given)
    principal = page.locator("section", has=page.get_by_role("heading", name="Principal applicant"))
    principal.get_by_label("Given names (Latin letters)", exact=True).fill("Kaled")
    principal.get_by_label("Family name (Latin letters)", exact=True).fill("Hadad")
    principal.get_by_label("Sex", exact=True).select_option("M")
    principal.get_by_label("Date of birth", exact=True).fill("1988")

    panel = principal.locator(".identity-candidates")
    expect(panel.get_by_role("link", name="Khaled HADDAD")).to_be_visible()
    expect(panel).to_contain_text("Family members — the same family members named")


def test_adding_a_member_to_a_case_checks_against_the_case_s_family(page, live_personas):
    """Rania (spelled Raniya this time) and Omar were registered again in a case of their
    own; the clerk now adds the father, typed "Kaled Hadad" with only his year of birth.
    The case's members go with the check as his family, and the earlier record of Khaled
    Haddad, with Rania and Omar, is found."""
    clerk = User.objects.get(username="clerk")
    _register_khaled_haddad(clerk)
    again = case_register(
        actor=clerk,
        principal=person_input(given_name="Raniya", family_name="Hadad", sex="F"),
        dependants=[MemberInput(person=person_input(given_name="Omar"), relationship="child")],
    )
    login(page, "clerk")
    page.goto(f"/cases/{again.pk}/members/add/")
    page.get_by_label("Relationship to the principal applicant").select_option("spouse")
    page.get_by_label("Given names (Latin letters)", exact=True).fill("Kaled")
    page.get_by_label("Family name (Latin letters)", exact=True).fill("Hadad")
    page.get_by_label("Sex", exact=True).select_option("M")
    page.get_by_label("Date of birth", exact=True).fill("1988")

    panel = page.locator(".identity-candidates")
    expect(panel.get_by_role("link", name="Khaled HADDAD")).to_be_visible()
