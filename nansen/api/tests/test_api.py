import pytest

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry
from nansen.testing import register_family


class _TokenClient:
    """A test client that sends one user's API token with every request."""

    def __init__(self, client, user):
        _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def __getattr__(self, method):
        call = getattr(self.client, method)
        return lambda *args, **kwargs: call(*args, **kwargs, **self.headers)


def _client(client, user):
    return _TokenClient(client, user)


FAMILY = {
    "principal": {
        "given_name": "Mohammad",
        "family_name": "Abdulrahman",
        "given_name_original": "محمد",
        "family_name_original": "عبد الرحمن",
        "sex": "M",
        "birth_date": "1990-05",
        "country_of_origin": "SYR",
        "nationalities": ["SYR"],
        "languages": ["ara"],
        "interpreter_needed": True,
        "specific_needs": ["TR"],
        "documents": [{"document_type": "passport", "number": "N998877", "issuing_country": "SYR"}],
    },
    "dependants": [
        {
            "relationship": "spouse",
            "person": {
                "given_name": "Huda",
                "family_name": "Abdulrahman",
                "sex": "F",
                "birth_date": "1992",
                "country_of_origin": "SYR",
            },
        },
    ],
}


@pytest.mark.usefixtures("assessments_drafted")
def test_the_whole_path_through_the_api(client, personas):
    clerk = _client(client, personas.clerk)
    response = clerk.post("/api/cases", FAMILY, content_type="application/json")
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["number"].startswith("TKY-")
    principal = next(m for m in case["members"] if m["relationship"] == "principal")["person"]
    assert principal["birth_date"] == "1990-05"
    assert principal["birth_date_precision"] == "month"
    assert principal["documents"][0]["number"] == "N998877"
    person_ids = [m["person"]["id"] for m in case["members"]]

    response = clerk.post(
        f"/api/cases/{case['id']}/applications",
        {"person_ids": person_ids, "lodged_on": "2024-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    applications = response.json()
    assert [a["ordinal"] for a in applications] == [1, 1]

    officer = _client(client, personas.officer)
    for application, outcome in zip(applications, ["recognized", "complementary"], strict=True):
        response = officer.post(
            f"/api/applications/{application['id']}/decision",
            {
                "version": application["version"],
                "outcome": outcome,
                "decided_on": "2024-10-01",
                "reasons": "Reasons given.",
                "without_interview_reason": "Decided on the written statement.",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    statistician = _client(client, personas.statistician)
    response = statistician.get("/api/statistics")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["country_of_origin"] == "SYR"
    # Counts of 1 to 4 persons are shown as 5 to the statistician too (statistics.masking);
    # the rates come from the shown counts.
    assert (row["applications"], row["recognized"], row["complementary"]) == (5, 5, 5)
    assert (row["recognition_rate"], row["protection_rate"]) == (50.0, 100.0)

    history = officer.get(f"/api/cases/{case['id']}/history").json()
    assert [e["verb"] for e in history if not e["verb"].startswith("assessment_")] == [
        "case_registered",
        "application_lodged",
        "application_lodged",
        "decision_recorded",
        "decision_recorded",
    ]


def test_a_stale_version_answers_409(client, personas):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    api = _client(client, personas.clerk)
    body = {**FAMILY["principal"], "version": person.version}
    first = api.put(f"/api/persons/{person.pk}", body, content_type="application/json")
    assert first.status_code == 200, first.content
    second = api.put(
        f"/api/persons/{person.pk}",
        {**body, "given_name": "Muhammad"},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert "Someone else saved this person" in second.json()["detail"]
    person.refresh_from_db()
    assert person.given_name == "Mohammad"


def test_bad_input_gets_a_clear_error(client, personas):
    api = _client(client, personas.clerk)
    bad = {
        "principal": {**FAMILY["principal"], "country_of_origin": "XYZ", "birth_date": "1990-13"}
    }
    response = api.post("/api/cases", bad, content_type="application/json")
    assert response.status_code == 422
    text = response.content.decode()
    assert "XYZ" in text and "country code" in text


def test_reads_of_personal_data_are_recorded(client, personas):
    case = register_family(personas.clerk, children=0)
    api = _client(client, personas.officer)
    assert api.get(f"/api/cases/{case.pk}").status_code == 200
    record = AuditEntry.objects.get(action="case_view")
    assert (record.user, record.channel, record.object_id) == (personas.officer, "api", case.pk)


@pytest.mark.parametrize("username", ["lawyer", "outsider", "statistician", "admin"])
def test_a_case_outside_ones_reach_answers_404(client, personas, username):
    case = register_family(personas.clerk, children=0)
    person = case.members.get(relationship="principal").person
    api = _client(client, getattr(personas, username))
    assert api.get(f"/api/cases/{case.pk}").status_code == 404
    assert api.get(f"/api/persons/{person.pk}").status_code == 404
    assert api.get(f"/api/cases/{case.pk}/history").status_code == 404
    listing = api.get("/api/cases")
    assert listing.status_code == 404 or listing.json()["count"] == 0


def test_a_represented_case_is_visible_to_its_lawyer_only(client, personas):
    case = register_family(personas.clerk, children=0)
    other = register_family(personas.clerk, children=0)
    case.representatives.add(personas.lawyer)
    api = _client(client, personas.lawyer)
    assert api.get(f"/api/cases/{case.pk}").status_code == 200
    assert api.get(f"/api/cases/{other.pk}").status_code == 404
    assert [c["id"] for c in api.get("/api/cases").json()["items"]] == [case.pk]


def test_tokens_that_are_revoked_or_expired_are_refused(client, personas):
    from django.utils import timezone

    token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/cases", **headers).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/cases", **headers).status_code == 401
    token2, raw2 = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="t2")
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now())
    assert client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401
    assert client.get("/api/cases").status_code == 401


def test_the_openapi_document_describes_the_operations(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/persons/{person_id}",
        "/api/cases/{case_id}/applications",
        "/api/applications/{application_id}/decision",
        "/api/statistics",
    ]:
        assert path in paths
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
    assert "cdn" not in docs.content.decode()  # offices work offline: no CDN
