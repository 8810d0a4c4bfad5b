import pytest

from nansen.accounts.models import ApiToken
from nansen.operations.models import IdempotencyRecord
from nansen.registration.models import Case, Person
from nansen.testing import register_family

FAMILY = {
    "principal": {
        "given_name": "Mohammad",
        "family_name": "Abdulrahman",
        "sex": "M",
        "birth_date": "1990-05",
        "country_of_origin": "SYR",
    }
}


@pytest.fixture
def api(client, personas):
    def call(method, path, body, user=None, key=None):
        _token, raw = ApiToken.issue(
            scope=ApiToken.Scope.READ_WRITE, user=user or personas.clerk, name="t"
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return getattr(client, method)(path, body, content_type="application/json", **headers)

    return call


def test_a_retried_registration_with_the_same_key_creates_one_case(api, personas):
    first = api("post", "/api/cases", FAMILY, key="0f6c2c6e-retry-1")
    again = api("post", "/api/cases", FAMILY, key="0f6c2c6e-retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.object_type, record.object_id) == ("registration.Case", first.json()["id"])
    assert "Mohammad" not in str(record.__dict__)  # ids and a hash, never the request


def test_without_a_key_each_request_is_a_new_registration(api):
    api("post", "/api/cases", FAMILY)
    api("post", "/api/cases", FAMILY)
    assert Case.objects.count() == 2


def test_a_key_reused_for_a_different_request_is_refused(api):
    api("post", "/api/cases", FAMILY, key="k-1")
    other = {"principal": {**FAMILY["principal"], "given_name": "Ali"}}
    response = api("post", "/api/cases", other, key="k-1")
    assert response.status_code == 400
    assert "already used for a different request" in response.json()["detail"]
    assert Case.objects.count() == 1


def test_keys_belong_to_their_user(api, personas):
    api("post", "/api/cases", FAMILY, key="shared-key")
    api("post", "/api/cases", FAMILY, user=personas.supervisor, key="shared-key")
    # The supervisor may not register: refused without touching the clerk's key.
    assert Case.objects.count() == 1
    api("post", "/api/cases", FAMILY, user=personas.outsider, key="shared-key")
    assert Case.objects.count() == 2


def test_a_malformed_key_is_refused(api):
    response = api("post", "/api/cases", FAMILY, key="x" * 300)
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_a_retried_correction_answers_with_the_person_instead_of_a_conflict(api, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    body = {**FAMILY["principal"], "version": person.version, "given_name": "Ahmed"}
    first = api("put", f"/api/persons/{person.pk}", body, key="fix-1")
    again = api("put", f"/api/persons/{person.pk}", body, key="fix-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["version"] == person.version + 1
    without_key = api("put", f"/api/persons/{person.pk}", body)
    assert without_key.status_code == 409
    assert Person.objects.get(pk=person.pk).version == person.version + 1


def test_a_failed_write_records_no_key_so_the_retry_runs_it(api, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    stale = {**FAMILY["principal"], "version": person.version + 5}
    assert api("put", f"/api/persons/{person.pk}", stale, key="fix-2").status_code == 409
    assert not IdempotencyRecord.objects.exists()
    fresh = {**stale, "version": person.version}
    assert api("put", f"/api/persons/{person.pk}", fresh, key="fix-3").status_code == 200
