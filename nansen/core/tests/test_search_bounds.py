"""A search is at most 200 characters and 12 words: longer is refused with a message on
the page and 422 in the API, and no road reaches the database with more (600 words made
SQLite refuse the query, "expression tree is too large", and the page answer 500)."""

from datetime import date

import pytest

from nansen.accounts.models import ApiToken
from nansen.coi.selectors import search_passages
from nansen.coi.tests.conftest import add
from nansen.registration.selectors import case_list
from nansen.testing import register_family

LONG = " ".join(f"w{i}" for i in range(600))
WORDY = " ".join(["Haddad"] * 13)
FINE = "Mariam Haddad"


def _auth(user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def family(personas):
    return register_family(personas.clerk, given_name="Mariam", family_name="Haddad")


@pytest.mark.parametrize(("query", "message"), [(LONG, "200 characters"), (WORDY, "12 words")])
def test_the_case_search_page_says_the_query_is_too_long(client, personas, family, query, message):
    client.force_login(personas.clerk)
    page = client.get("/cases/", {"q": query})
    assert page.status_code == 200
    assert f"Search for at most {message}" in page.text
    fragment = client.get("/cases/", {"q": query}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert f"Search for at most {message}" in fragment.text


@pytest.mark.parametrize(("query", "message"), [(LONG, "200 characters"), (WORDY, "12 words")])
def test_the_case_search_api_refuses_the_query_with_422(client, personas, family, query, message):
    response = client.get("/api/cases", {"q": query}, **_auth(personas.clerk))
    assert response.status_code == 422
    assert message in response.text


def test_a_search_within_the_bounds_finds_the_case(client, personas, family):
    response = client.get("/api/cases", {"q": FINE}, **_auth(personas.clerk))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    client.force_login(personas.clerk)
    assert family.number in client.get("/cases/", {"q": FINE}).text


def test_the_case_selector_keeps_the_first_twelve_words(personas, family):
    assert list(case_list(user=personas.clerk, q="Haddad " + LONG)) == []
    assert list(case_list(user=personas.clerk, q="Mariam Haddad " + "Haddad " * 600)) == [family]


@pytest.fixture
def sources(personas):
    return add(personas.officer, "Returnees are questioned at the airport.")


@pytest.mark.parametrize(("query", "message"), [(LONG, "200 characters"), (WORDY, "12 words")])
def test_the_coi_search_page_says_the_query_is_too_long(client, personas, sources, query, message):
    client.force_login(personas.officer)
    page = client.get("/coi/", {"q": query})
    assert page.status_code == 200
    assert f"Search for at most {message}" in page.text
    fragment = client.get("/coi/", {"q": query}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert f"Search for at most {message}" in fragment.text


@pytest.mark.parametrize("query", [LONG, WORDY])
def test_the_coi_search_api_refuses_the_query_with_422(client, personas, sources, query):
    response = client.get("/api/coi/search", {"q": query}, **_auth(personas.officer))
    assert response.status_code == 422


def test_the_coi_selector_keeps_the_first_twelve_words(personas, sources):
    found = search_passages(query="returnees " + LONG, office=None, today=date(2026, 1, 1))
    assert [r.source.pk for r in found] == [sources.pk]
    assert search_passages(query=LONG + " returnees", office=None, today=date(2026, 1, 1)) == []
