"""Identity is built on registration: it indexes what registration saves and tells the
person page of a merge, while registration imports nothing of identity."""

from datetime import date

import pytest
from django.urls import reverse

from nansen.identity import services
from nansen.identity.match_records import record_from_values
from nansen.identity.selectors import candidates_find
from nansen.registration.models import Person
from nansen.registration.services import case_register
from nansen.testing import person_input


def register(clerk, **values):
    return case_register(actor=clerk, principal=person_input(**values)).members.get().person


def test_it_finds_a_registered_person_at_once(personas):
    person = register(
        personas.clerk, given_name="Yusuf", family_name="Karimi", birth_date=date(1969, 4, 30)
    )
    typed = record_from_values(
        key=0, full_name="Youssef Karimy", sex="M", birth_date=date(1969, 4, 30)
    )
    assert person.pk in [c.person_id for c in candidates_find(record=typed)]


def test_a_failing_index_rolls_the_registration_back(personas, monkeypatch):
    def broken(person):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("nansen.identity.receivers.identity_index_person", broken)
    with pytest.raises(RuntimeError):
        register(personas.clerk, given_name="Yusuf", family_name="Karimi")
    assert not Person.objects.filter(given_name="Yusuf").exists()


def test_the_person_page_names_the_record_it_was_merged_into(client, personas):
    first = register(personas.clerk, given_name="Mohammed", family_name="Al-Hassan")
    second = register(personas.clerk, given_name="Muhammad", family_name="Alhassan")
    pair = services.pair_propose(person_ids=(first.pk, second.pk), score=0.97, evidence={})
    services.pair_decide(actor=personas.supervisor, pair=pair, expected_version=1, status="same")
    services.persons_merge(
        actor=personas.supervisor, pair=pair, survivor=second, expected_version=2
    )
    client.force_login(personas.supervisor)
    page = client.get(reverse("registration:person_detail", args=[first.pk])).content.decode()
    assert "This record was merged into the record of" in page
    assert reverse("registration:person_detail", args=[second.pk]) in page


def test_the_person_page_of_a_record_never_merged_says_nothing_of_a_merge(client, personas):
    person = register(personas.clerk, given_name="Mohammed", family_name="Al-Hassan")
    client.force_login(personas.supervisor)
    page = client.get(reverse("registration:person_detail", args=[person.pk])).content.decode()
    assert "merged into" not in page
