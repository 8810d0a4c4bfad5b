"""The registration check: the clerk sees likely existing records and can link to one."""

from datetime import date

from django.urls import reverse

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.identity.candidate_index import (
    HOUSEHOLDS,
    identity_index_person,
    identity_unindex_person,
)
from nansen.identity.match_records import record_from_values
from nansen.identity.models import MatchProfile, NameFrequency, NameKey
from nansen.identity.selectors import Frequencies
from nansen.registration.models import Case, Person
from nansen.registration.services import ExistingPerson, MemberInput, case_register
from nansen.testing import person_input


def register(clerk, **values):
    return case_register(actor=clerk, principal=person_input(**values)).members.get().person


def check(client, others=None, **fields):
    """The check of block "p"; ``others``: fields of the page's other blocks, as sent."""
    params = {"prefix": "p", **{f"p-{k}": v for k, v in fields.items()}, **(others or {})}
    return client.get(reverse("identity:identity_check"), params)


def test_registering_a_person_indexes_them(personas):
    person = register(personas.clerk, given_name="Mohammed", family_name="Abd al-Rahman")
    assert MatchProfile.objects.filter(person=person).exists()
    keys = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    assert "abdrhmn mhmd" in keys  # every two names, any order


def test_correcting_a_person_refreshes_their_keys(personas):
    from nansen.registration.services import person_update

    person = register(personas.clerk, given_name="Omar", family_name="Haddad")
    person_update(
        actor=personas.clerk,
        person=person,
        expected_version=person.version,
        data=person_input(given_name="Yusuf", family_name="Haddad"),
    )
    names = {
        n
        for k in NameKey.objects.filter(person=person).values_list("key", flat=True)
        for n in k.split()
    }
    assert "ysf" in names and "amr" not in names


def test_the_clerk_sees_the_existing_record_spelled_differently(client, personas):
    existing = register(
        personas.clerk,
        given_name="Muhammad",
        family_name="Abdulrahman",
        birth_date=date(1988, 3, 14),
    )
    register(personas.clerk, given_name="Rania", family_name="Khoury", sex="F")
    client.force_login(personas.clerk)
    response = check(
        client,
        given_name="Mohamad",
        family_name="Abd al-Rahman",
        sex="M",
        birth_date="1988",
        nationalities="SYR",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert existing.latin_name in text
    assert "Khoury" not in text
    assert f"link={existing.pk}" in text
    entry = AuditEntry.objects.filter(action="identity_check").last()
    assert entry.person_ids == [existing.pk]


def test_a_typing_error_in_one_name_is_found_by_the_day_of_birth(client, personas):
    """Two names is the usual key; with a real day of birth one name is enough."""
    existing = register(
        personas.clerk,
        given_name="Maryam",
        family_name="Hasanzai",
        sex="F",
        birth_date=date(1968, 5, 27),
    )
    keys = set(NameKey.objects.filter(person=existing).values_list("key", flat=True))
    assert {"hsnz mrm", "mrm|1968-05-27", "hsnz|1968-05-27"} <= keys
    client.force_login(personas.clerk)
    fields = {"given_name": "Maryam", "family_name": "Hanzai", "sex": "F"}
    assert existing.latin_name in check(client, **fields, birth_date="1968-05-27").content.decode()
    # Born another day (or only the year known), a typo in one of two names is not enough.
    assert existing.latin_name not in check(client, **fields, birth_date="1968").content.decode()


def test_a_family_typed_again_finds_a_member_whose_names_were_mistyped(client, personas):
    """Registered with his wife and son; typed again with both his names mistyped and only
    a year of birth, he shares no two names with his record, but the other blocks of the
    page name his wife and son (the household key)."""
    case = case_register(
        actor=personas.clerk,
        principal=person_input(given_name="Khaled", family_name="Haddad", sex="M"),
        dependants=[
            MemberInput(person=person_input(given_name="Rania", sex="F"), relationship="spouse"),
            MemberInput(
                person=person_input(given_name="Omar", birth_date=date(2015, 2, 3)),
                relationship="child",
            ),
        ],
    )
    khaled = case.members.get(relationship="principal").person
    keys = set(NameKey.objects.filter(person=khaled).values_list("key", flat=True))
    assert "hh:amr rn" in keys  # indexed once the whole family was in the case
    client.force_login(personas.clerk)
    fields = {"given_name": "Kaled", "family_name": "Hadad", "sex": "M", "birth_date": "1988"}
    assert khaled.latin_name not in check(client, **fields).content.decode()
    family = {"m1-given_name": "Rania", "m2-given_name": "Omar"}
    assert khaled.latin_name in check(client, family, **fields).content.decode()


def test_households_are_counted_as_names_are(personas):
    """How many persons name exactly this household weighs it (``scoring.TERMS``): the count
    follows registration, correction and removal from the index, never counted twice."""
    case = case_register(
        actor=personas.clerk,
        principal=person_input(given_name="Khaled", family_name="Haddad", sex="M"),
        dependants=[
            MemberInput(person=person_input(given_name="Rania", sex="F"), relationship="spouse"),
            MemberInput(person=person_input(given_name="Omar"), relationship="child"),
        ],
    )
    khaled = case.members.get(relationship="principal").person

    def counts():
        rows = dict(NameFrequency.objects.values_list("name_sig", "count"))
        return rows.get(HOUSEHOLDS + "amr rn", 0), rows.get(HOUSEHOLDS, 0)

    assert counts() == (1, 3)  # Khaled names Rania and Omar; each of the three names two
    identity_index_person(khaled)
    assert counts() == (1, 3)
    identity_unindex_person(khaled)
    assert counts() == (0, 2)


def test_households_not_counted_yet_adjust_nothing(db):
    """An index built before households were counted: names are adjusted, households not
    (until ``nansen identity reindex``), rather than every household counting as unique."""
    record = record_from_values(key=1, full_name="Mohammed", family=["Fatima", "Ali"])
    name, household = record.names.signature, record.household
    NameFrequency.objects.bulk_create(
        [NameFrequency(name_sig="", count=5000), NameFrequency(name_sig=name, count=50)]
    )
    assert Frequencies([record])("name_sig", name) == 0.01
    assert Frequencies([record])("household", household) == 0.0
    NameFrequency.objects.bulk_create(
        [
            NameFrequency(name_sig=HOUSEHOLDS, count=4000),
            NameFrequency(name_sig=HOUSEHOLDS + household, count=40),
        ]
    )
    assert Frequencies([record])("household", household) == 0.01


def test_a_record_of_another_office_is_only_announced(client, personas):
    other = register(
        personas.outsider,
        given_name="Hussein",
        family_name="Al-Khatib",
        birth_date=date(1979, 5, 2),
    )
    client.force_login(personas.clerk)
    response = check(
        client, given_name="Husain", family_name="Alkhatib", sex="M", birth_date="1979-05-02"
    )
    text = response.content.decode()
    assert "A possible earlier registration exists in office Osaka Regional Immigration Bureau" in (
        text
    )
    assert "Khatib" not in text and "1979" not in text and str(other.pk) not in text


def test_linking_shows_the_record_and_keeps_a_hidden_field(client, personas):
    existing = register(personas.clerk, given_name="Ahmad", family_name="Haddad")
    client.force_login(personas.clerk)
    response = client.get(reverse("identity:identity_check"), {"prefix": "m2", "link": existing.pk})
    text = response.content.decode()
    assert f'name="m2-existing_person" value="{existing.pk}"' in text
    assert "Linked to an existing record" in text


def test_linking_to_a_record_of_another_office_is_not_found(client, personas):
    other = register(personas.outsider, given_name="Ahmad", family_name="Haddad")
    client.force_login(personas.clerk)
    response = client.get(reverse("identity:identity_check"), {"prefix": "p", "link": other.pk})
    assert response.status_code == 404


def test_the_check_needs_the_right_to_register(client, personas):
    client.force_login(personas.statistician)
    assert client.get(reverse("identity:identity_check"), {"prefix": "p"}).status_code == 404


def test_registering_with_a_link_adds_the_existing_person_to_the_new_case(personas):
    existing = register(personas.clerk, given_name="Rania", family_name="Haddad", sex="F")
    before = Person.objects.count()
    case = case_register(
        actor=personas.clerk,
        principal=person_input(given_name="Omar", family_name="Haddad"),
        dependants=[
            MemberInput(person=ExistingPerson(person_id=existing.pk), relationship="spouse")
        ],
    )
    assert Person.objects.count() == before + 1
    assert case.members.get(relationship="spouse").person == existing
    event = CaseEvent.objects.get(case=case, verb="case_registered")
    assert event.details["linked_persons"] == [existing.pk]


def test_the_registration_page_posts_a_linked_block_without_its_details(client, personas):
    existing = register(personas.clerk, given_name="Rania", family_name="Haddad", sex="F")
    client.force_login(personas.clerk)
    response = client.post(
        reverse("registration:case_register"),
        {
            "p-existing_person": existing.pk,
            "p-sex": "",
            "member": ["1"],
            "m1-relationship": "child",
            "m1-given_name": "Lina",
            "m1-family_name": "Haddad",
            "m1-sex": "F",
            "m1-country_of_origin": "SYR",
            "m1-birth_date": "2015",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.latest("pk")
    assert case.members.get(relationship="principal").person == existing


def test_the_registration_page_has_a_candidates_panel_per_person(client, personas):
    client.force_login(personas.clerk)
    text = client.get(reverse("registration:case_register")).content.decode()
    assert 'id="p-identity"' in text
    # The check reads its own block and the given names typed in the others (the family),
    # or, on the page adding a member, those of the case's members.
    assert (
        "hx-include=\"closest .person-fields, .person-fields [name$='-given_name'], "
        ".case-family [name$='-given_name']\""
    ) in text


def test_a_name_written_twice_is_found_with_a_middle_name(client, personas):
    """Saeed Saad (one outline twice) is found when typed as Saeed Zaki Saad."""
    existing = register(
        personas.clerk,
        given_name="Saeed",
        family_name="Saad",
        given_name_original="",
        family_name_original="",
        birth_date=date(1977, 11, 1),
        birth_date_precision="month",
    )
    client.force_login(personas.clerk)
    fields = {"given_name": "Saeed Zaki", "family_name": "Saad", "birth_date": "1977"}
    assert existing.latin_name in check(client, **fields).content.decode()
