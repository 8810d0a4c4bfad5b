"""The identity API: the same check and queue, by token."""

from datetime import date

from nansen.accounts.models import ApiToken
from nansen.identity import services
from nansen.registration.services import MemberInput, case_register
from nansen.testing import person_input


def headers(user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def register(clerk, **values):
    return case_register(actor=clerk, principal=person_input(**values)).members.get().person


def test_the_check_lists_own_records_and_announces_others(client, personas):
    own = register(
        personas.clerk, given_name="Hussein", family_name="Ali", birth_date=date(1975, 6, 2)
    )
    register(personas.outsider, given_name="Husain", family_name="Aly", birth_date=date(1975, 6, 2))
    response = client.post(
        "/api/identity/check",
        {
            "given_name": "Husain",
            "family_name": "Ali",
            "sex": "M",
            "birth_date": "1975",
            "nationalities": ["SYR"],
        },
        content_type="application/json",
        **headers(personas.clerk),
    )
    assert response.status_code == 200
    found = response.json()
    assert [c["person_id"] for c in found["records"]] == [own.pk]
    assert found["announcements"] == [
        {
            "office": "OSA",
            "office_name": "Osaka Regional Immigration Bureau",
            "message": "A possible earlier registration exists in office "
            "Osaka Regional Immigration Bureau.",
        }
    ]


def test_the_check_takes_the_family_registered_with_the_person(client, personas):
    case = case_register(
        actor=personas.clerk,
        principal=person_input(given_name="Khaled", family_name="Haddad"),
        dependants=[
            MemberInput(person=person_input(given_name="Rania", sex="F"), relationship="spouse"),
            MemberInput(person=person_input(given_name="Omar"), relationship="child"),
        ],
    )
    khaled = case.members.get(relationship="principal").person
    typed = {"given_name": "Kaled", "family_name": "Hadad", "sex": "M", "birth_date": "1988"}

    def found(payload):
        response = client.post(
            "/api/identity/check",
            payload,
            content_type="application/json",
            **headers(personas.clerk),
        )
        assert response.status_code == 200
        return {c["person_id"] for c in response.json()["records"]}

    assert khaled.pk not in found(typed)
    assert khaled.pk in found({**typed, "family": ["Rania", "Omar"]})
    too_many = client.post(
        "/api/identity/check",
        {**typed, "family": ["Omar"] * 31},
        content_type="application/json",
        **headers(personas.clerk),
    )
    assert too_many.status_code == 422


def test_a_bad_date_answers_400(client, personas):
    response = client.post(
        "/api/identity/check",
        {"given_name": "Ali", "birth_date": "19"},
        content_type="application/json",
        **headers(personas.clerk),
    )
    assert response.status_code == 400


def test_pairs_are_listed_and_decided(client, personas):
    a = register(personas.clerk, given_name="Omar", family_name="Haddad")
    b = register(personas.clerk, given_name="Umar", family_name="Hadad")
    pair = services.pair_propose(person_ids=(a.pk, b.pk), score=0.9, evidence={})
    auth = headers(personas.officer)
    assert [p["id"] for p in client.get("/api/identity/pairs", **auth).json()] == [pair.pk]
    response = client.post(
        f"/api/identity/pairs/{pair.pk}/decision",
        {"status": "different", "version": 1},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["status"] == "different"
    stale = client.post(
        f"/api/identity/pairs/{pair.pk}/decision",
        {"status": "same", "version": 1},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409
    assert client.get("/api/identity/pairs", **headers(personas.outsider)).json() == []
