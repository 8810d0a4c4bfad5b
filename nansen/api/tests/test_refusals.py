"""What the API answers to requests it cannot serve: each one found by fuzzing the API
(tests/security/test_api_fuzzing.py), kept here as a plain regression test."""

import json

import pytest
from django.core.management import CommandError, call_command

from nansen.accounts.models import ApiToken


@pytest.fixture
def statistician_api(client, personas):
    _token, raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=personas.statistician, name="test"
    )
    return lambda method, url, **kw: client.generic(
        method, url, HTTP_AUTHORIZATION=f"Bearer {raw}", **kw
    )


@pytest.fixture
def clerk_post(client, personas):
    """POST a JSON body (any JSON value, not only an object) with a clerk's token."""
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="test")
    return lambda url, body: client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/statistics/decisions?year_to=2015166",
        "/api/statistics/applications?year_to=-530",
        "/api/statistics/report?year_from=0",
        "/api/statistics/processing-times?year_from=13002",
        "/api/statistics/benchmark?origin=SYR&year=0",
        "/api/statistics/comparison?origin=SYR&year_to=1125899906842625",
    ],
)
def test_a_year_no_table_can_hold_is_refused_not_a_server_error(statistician_api, url):
    response = statistician_api("GET", url)
    assert response.status_code == 422, response.content
    assert "less than or equal" in str(response.json()) or "greater than or equal" in str(
        response.json()
    )


@pytest.mark.parametrize("value", ["0", "1700000000", "27/11/2026", "2026-11"])
def test_a_date_must_be_written_as_a_date(statistician_api, value):
    """Pydantic alone reads a number as seconds since 1970: on=0 would mean 1 January 1970."""
    response = statistician_api("GET", f"/api/statistics/stock?on={value}")
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.content.decode()
    assert statistician_api("GET", "/api/statistics/stock?on=2026-11-27").status_code == 200


@pytest.mark.parametrize("body", [[None, None], [1], "x", 5])
def test_a_body_that_is_not_a_json_object_is_refused(clerk_post, body):
    response = clerk_post("/api/identity/check", body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


@pytest.mark.parametrize("url", ["/api/no-such-thing", "/api/cases/-5", "/api/cases/x"])
def test_an_unknown_api_address_answers_json_404(statistician_api, url):
    response = statistician_api("GET", url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_still_answers_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_description_names_every_refusal(client):
    document = client.get("/api/openapi.json").json()
    assert "Refusal" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "404", "414", "422"} | (
                {"401", "403"} if operation.get("security") else set()
            )
            missing = expected - set(operation["responses"])
            assert not missing, f"{method.upper()} {path} does not document {missing}"


def test_the_statistics_command_refuses_a_year_out_of_range(personas):
    with pytest.raises(CommandError, match="outside 1950-2100"):
        call_command("stats", "--user", personas.statistician.username, "--from", "0")


def test_a_value_the_model_refuses_answers_422_not_a_server_error(clerk_post):
    """Found by fuzzing: a name of control characters passes the schema, not the model."""
    family = {"principal": {"family_name": "\u008c\u00f1", "country_of_origin": "SYR"}}
    response = clerk_post("/api/cases", family)
    assert response.status_code == 422, response.content
    assert "detail" in response.json()


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_a_flag_in_a_body_is_true_or_false(clerk_post, value):
    body = {"family_name": "Haddad", "birth_date_estimated": value}
    response = clerk_post("/api/identity/check", body)
    assert response.status_code == 422
    assert "birth_date_estimated" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/cases?q=%00",
        "/api/cases?country_of_origin=SY%00R",
        "/api/coi/search?q=army&language=%00",
        "/api/statistics/benchmark?year=2020&origin=S%00",
    ],
)
def test_a_nul_character_is_refused_before_any_query(statistician_api, url):
    """Found by fuzzing on PostgreSQL, which cannot compare text holding NUL: a search for
    one was a server error."""
    response = statistician_api("GET", url)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request contains a NUL character."}


def test_a_nul_character_in_a_json_body_is_refused(clerk_post):
    response = clerk_post("/api/identity/check", {"family_name": "Had\u0000dad"})
    assert response.status_code == 400


def test_a_nul_character_in_a_page_search_is_refused(client, personas):
    client.force_login(personas.clerk)
    response = client.get("/cases/?q=Had%00dad")
    assert response.status_code == 400
    assert client.get("/cases/?q=Haddad%2500").status_code != 400  # "%00" typed as text
