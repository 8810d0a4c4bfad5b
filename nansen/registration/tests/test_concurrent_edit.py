from django.urls import reverse

from nansen.audit.models import CaseEvent
from nansen.testing import register_family


def _edit_data(person, **overrides):
    data = {
        "version": person.version,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "birth_date": "1988-03-14",
        "country_of_origin": person.country_of_origin,
        "languages": "ara",
        "doc-TOTAL_FORMS": "1",
        "doc-INITIAL_FORMS": "0",
        "doc-MIN_NUM_FORMS": "0",
        "doc-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def test_the_second_of_two_simultaneous_edits_is_refused(client, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    loaded_by_both = person.version
    client.force_login(personas.clerk)
    first = client.post(
        reverse("registration:person_edit", args=[person.pk]),
        _edit_data(person, given_name="Ahmed", version=loaded_by_both),
    )
    assert first.status_code == 302
    client.force_login(personas.officer)
    second = client.post(
        reverse("registration:person_edit", args=[person.pk]),
        _edit_data(person, given_name="Ahmet", version=loaded_by_both),
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this person while you were editing it." in page
    assert 'value="Ahmet"' in page  # what the second user typed is still on the page
    person.refresh_from_db()
    assert person.given_name == "Ahmed"
    assert person.version == loaded_by_both + 1
    assert CaseEvent.objects.filter(verb="person_updated").count() == 1


def test_an_edit_records_which_fields_changed(client, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    client.force_login(personas.clerk)
    client.post(
        reverse("registration:person_edit", args=[person.pk]),
        _edit_data(
            person,
            given_name="Ahmed",
            **{
                "doc-0-document_type": "passport",
                "doc-0-number": "X1",
                "doc-0-issuing_country": "SYR",
            },
        ),
    )
    event = CaseEvent.objects.get(verb="person_updated")
    assert "given_name" in event.details["fields"]
    assert "Ahmed" not in str(event.details)  # the history names fields, not their values
    assert person.documents.get().number == "X1"


def test_it_refuses_an_edit_without_the_version_and_keeps_what_was_typed(client, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    client.force_login(personas.clerk)
    data = _edit_data(person, given_name="Ahmed")
    del data["version"]
    response = client.post(reverse("registration:person_edit", args=[person.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This form came without the version of the record it changes" in page
    assert 'value="Ahmed"' in page
    before = (person.given_name, person.version)
    person.refresh_from_db()
    assert (person.given_name, person.version) == before
    assert not CaseEvent.objects.filter(verb="person_updated").exists()


def test_it_refuses_a_family_member_added_with_a_version_that_is_not_a_number(client, personas):
    case = register_family(personas.clerk, children=0)
    before = case.members.count()
    client.force_login(personas.clerk)
    data = {
        "version": "1st",
        "m-relationship": "child",
        "m-given_name": "Omar",
        "m-sex": "M",
        "m-country_of_origin": "SYR",
    }
    response = client.post(reverse("registration:case_member_add", args=[case.pk]), data)
    assert response.status_code == 400
    assert 'value="Omar"' in response.content.decode()
    assert case.members.count() == before
