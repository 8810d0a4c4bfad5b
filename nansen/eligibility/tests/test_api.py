"""The assessment API: the same services and visibility as the pages."""

import pytest

from nansen.accounts.models import ApiToken
from nansen.eligibility.models import Assessment


def auth(user):
    _token, raw = ApiToken.issue(user=user, name="t", scope=ApiToken.Scope.READ_WRITE)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def put(client, url, data, user):
    return client.put(url, data, content_type="application/json", **auth(user))


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", **auth(user))


def test_an_assessment_through_the_api(client, personas, application, source):
    officer = personas.officer
    base = f"/api/eligibility/applications/{application.pk}/assessment"
    created = post(client, base, {"risk_profile": "draft_evader"}, officer)
    assert created.status_code == 201, created.content
    body = created.json()
    pk, version = body["id"], body["version"]
    assert not body["complete"]

    fact = post(
        client,
        f"/api/eligibility/assessments/{pk}/facts",
        {
            "version": version,
            "statement": "Called up in 2023.",
            "credibility": "accepted",
            "reasons": "Consistent.",
            "evidence_kinds": ["statement"],
        },
        officer,
    )
    assert fact.status_code == 201, fact.content
    version = fact.json()["version"]
    fear = put(
        client,
        f"/api/eligibility/assessments/{pk}/fear",
        {"version": version, "fear": "established", "fear_reasons": "Arrest."},
        officer,
    )
    assert fear.status_code == 200, fear.content
    version = fear.json()["version"]
    cited = post(
        client,
        f"/api/eligibility/assessments/{pk}/citations",
        {
            "version": version,
            "part": "fear",
            "source_id": source.pk,
            "page": "4",
            "quote": "risk arrest",
        },
        officer,
    )
    assert cited.status_code == 201, cited.content
    assert cited.json()["citations"][0]["page"] == "4"
    version = cited.json()["version"]

    stale = put(
        client,
        f"/api/eligibility/assessments/{pk}/fear",
        {"version": version - 1, "fear": "not_established"},
        officer,
    )
    assert stale.status_code == 409

    nexus = put(
        client,
        f"/api/eligibility/assessments/{pk}/nexus",
        {
            "version": version,
            "grounds": [
                {
                    "ground": "political_opinion",
                    "finding": "not_established",
                    "claimed": True,
                    "reasons": "No link.",
                }
            ],
        },
        officer,
    )
    version = nexus.json()["version"]
    refused = put(
        client,
        f"/api/eligibility/assessments/{pk}/conclusion",
        {"version": version, "conclusion": "recognized", "conclusion_reasons": "x"},
        officer,
    )
    assert refused.status_code == 400
    assert "Recognition needs a Convention ground" in refused.json()["detail"]

    issues = client.get(f"/api/eligibility/assessments/{pk}/check", **auth(officer)).json()
    assert any(i["rule"] == "persecution_incomplete" for i in issues)
    reasons = client.get(f"{base}/reasons", **auth(officer)).json()
    assert "“Syria: Military service”, 2024-04-01, p. 4: “risk arrest”" in reasons["reasons"]


@pytest.mark.parametrize("role", ["clerk", "lawyer", "outsider", "statistician"])
def test_those_who_may_not_see_it_get_404(client, personas, application, role):
    from nansen.eligibility.testing import complete_assessment

    complete_assessment(personas.officer, application)
    response = client.get(
        f"/api/eligibility/applications/{application.pk}/assessment",
        **auth(getattr(personas, role)),
    )
    assert response.status_code == 404


def test_the_openapi_document_lists_the_assessment_operations(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    for path in (
        "/api/eligibility/applications/{application_id}/assessment",
        "/api/eligibility/applications/{application_id}/assessment/reasons",
        "/api/eligibility/assessments/{assessment_id}/fear",
        "/api/eligibility/assessments/{assessment_id}/persecution",
        "/api/eligibility/assessments/{assessment_id}/nexus",
        "/api/eligibility/assessments/{assessment_id}/protection",
        "/api/eligibility/assessments/{assessment_id}/relocation",
        "/api/eligibility/assessments/{assessment_id}/exclusion",
        "/api/eligibility/assessments/{assessment_id}/complementary",
        "/api/eligibility/assessments/{assessment_id}/conclusion",
        "/api/eligibility/assessments/{assessment_id}/facts",
        "/api/eligibility/assessments/{assessment_id}/citations",
        "/api/eligibility/assessments/{assessment_id}/check",
        "/api/eligibility/assessments/{assessment_id}/submit",
        "/api/eligibility/assessments/{assessment_id}/review",
        "/api/eligibility/assessments/{assessment_id}/similar",
    ):
        assert path in paths, path


def test_review_through_the_api(client, personas, application):
    from nansen.eligibility import services
    from nansen.eligibility.testing import complete_assessment

    services.eligibility_policy_set(
        actor=personas.supervisor,
        office=personas.tokyo,
        expected_version=None,
        review_required=True,
        review_profiles=[],
        review_conclusions=[],
    )
    assessment = complete_assessment(personas.officer, application)
    submitted = post(
        client,
        f"/api/eligibility/assessments/{assessment.pk}/submit",
        {"version": assessment.version},
        personas.officer,
    )
    assert submitted.json()["status"] == "submitted"
    approved = post(
        client,
        f"/api/eligibility/assessments/{assessment.pk}/review",
        {"version": submitted.json()["version"], "outcome": "approved"},
        personas.supervisor,
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["review_valid"]
    assert Assessment.objects.get().status == "approved"
