from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from nansen.audit.models import CaseEvent
from nansen.registration.models import Case, CaseMember, Person
from nansen.testing import register_family


def _principal_post(**overrides):
    data = {
        "p-given_name": "Mohammed",
        "p-family_name": "Al-Khatib",
        "p-given_name_original": "محمد",
        "p-family_name_original": "الخطيب",
        "p-sex": "M",
        "p-birth_date": "1984",
        "p-country_of_origin": "SYR",
        "p-nationalities": ["SYR"],
        "p-languages": "ara, kmr",
        "p-interpreter_needed": "on",
        "p-specific_needs": ["TR"],
        "p-doc-document_type": "passport",
        "p-doc-number": "N0123456",
        "p-doc-issuing_country": "SYR",
    }
    data.update(overrides)
    return data


def _member_post(index, **fields):
    prefix = f"m{index}"
    data = {
        "member": str(index),
        f"{prefix}-relationship": "child",
        f"{prefix}-sex": "F",
        f"{prefix}-country_of_origin": "SYR",
    }
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def test_it_registers_a_family_from_the_page(client, personas):
    client.force_login(personas.clerk)
    data = _principal_post()
    member = _member_post(
        1, given_name="Lina", family_name="Al-Khatib", birth_date="2016-05", relationship="child"
    )
    data.update(member)
    response = client.post(reverse("registration:case_register"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:case_detail", args=[case.pk])
    assert case.number == f"TKY-{timezone.localdate().year}-000001"
    principal = case.members.get(relationship="principal").person
    assert principal.birth_date == date(1984, 1, 1)
    assert principal.birth_date_precision == "year"
    assert principal.languages == ["ara", "kmr"]
    assert principal.specific_needs == ["TR"]
    assert principal.documents.get().number == "N0123456"
    child = case.members.get(relationship="child").person
    assert child.birth_date_precision == "month"
    assert child.birth_date == date(2016, 5, 1)
    assert CaseEvent.objects.filter(case=case, verb="case_registered").count() == 1


def test_it_keeps_everything_typed_when_a_field_is_wrong(client, personas):
    client.force_login(personas.clerk)
    data = _principal_post(**{"p-birth_date": "1984-02-30"})
    data.update(_member_post(3, given_name="Lina", birth_date="2016"))
    response = client.post(reverse("registration:case_register"), data)
    assert response.status_code == 400
    assert Person.objects.count() == 0
    page = response.content.decode()
    assert "This date does not exist." in page
    assert 'value="Mohammed"' in page
    assert 'value="محمد"' in page
    assert 'value="N0123456"' in page
    assert 'value="Lina"' in page  # the dependant's block is still there
    assert 'value="1984-02-30"' in page


def test_it_refuses_a_person_without_a_latin_name(client, personas):
    client.force_login(personas.clerk)
    data = _principal_post(**{"p-given_name": "", "p-family_name": ""})
    response = client.post(reverse("registration:case_register"), data)
    assert response.status_code == 400
    assert "Write at least one name in Latin letters." in response.content.decode()
    assert Case.objects.count() == 0


def test_it_refuses_an_incomplete_document(client, personas):
    client.force_login(personas.clerk)
    response = client.post(
        reverse("registration:case_register"), _principal_post(**{"p-doc-number": ""})
    )
    assert response.status_code == 400
    assert "A document needs its type, number and issuing country." in response.content.decode()


def test_it_numbers_cases_per_office_and_year(personas):
    first = register_family(personas.clerk, children=0)
    second = register_family(personas.clerk, children=0)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"TKY-{year}-000001", f"TKY-{year}-000002")


def test_it_serves_a_member_block_for_htmx(client, personas):
    client.force_login(personas.clerk)
    response = client.get(
        reverse("registration:member_form"), {"index": "4"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'name="m4-given_name"' in response.content.decode()


def test_it_refuses_registration_by_an_eligibility_officer(client, personas):
    client.force_login(personas.officer)
    assert client.get(reverse("registration:case_register")).status_code == 404
    assert client.post(reverse("registration:case_register"), _principal_post()).status_code == 404


@pytest.mark.parametrize("relationship", ["spouse", "child"])
def test_it_adds_a_member_to_an_existing_case(client, personas, relationship):
    case = register_family(personas.clerk, children=0)
    client.force_login(personas.clerk)
    data = {
        "version": case.version,
        "m-relationship": relationship,
        "m-given_name": "Omar",
        "m-sex": "M",
        "m-country_of_origin": "SYR",
    }
    response = client.post(reverse("registration:case_member_add", args=[case.pk]), data)
    assert response.status_code == 302
    assert CaseMember.objects.filter(
        case=case, relationship=relationship, person__given_name="Omar"
    ).exists()
    case.refresh_from_db()
    assert case.version == 2


def test_a_representative_is_added_once(personas):
    from nansen.core.permissions import NotAllowed
    from nansen.registration.services import case_representative_add

    case = register_family(personas.clerk, children=0)
    case_representative_add(actor=personas.supervisor, case=case, representative=personas.lawyer)
    with pytest.raises(NotAllowed, match="already represents"):
        case_representative_add(
            actor=personas.supervisor, case=case, representative=personas.lawyer
        )
    with pytest.raises(NotAllowed, match="legal representative role"):
        case_representative_add(
            actor=personas.supervisor, case=case, representative=personas.officer
        )


def test_a_refused_representative_is_said_on_the_case_page(client, personas):
    case = register_family(personas.clerk, children=0)
    client.force_login(personas.supervisor)
    url = reverse("registration:case_representative_add", args=[case.pk])
    assert client.post(url, {"representative": personas.lawyer.pk}).status_code == 302
    again = client.post(url, {"representative": personas.lawyer.pk})
    assert again.status_code == 400
    assert "already represents" in again.content.decode()
    assert case.number in again.content.decode()
