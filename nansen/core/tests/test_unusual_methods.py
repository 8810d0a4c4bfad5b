"""Methods Nansen does not use (TRACE, CONNECT, WebDAV's PROPFIND) must not be answered like a
GET (OWASP ASVS 5.0 13.4.4 for TRACE): 405 or 404, never 200 with data."""

import pytest
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.testing import register_family

UNUSUAL = ["TRACE", "CONNECT", "PROPFIND"]


@pytest.fixture
def case(personas):
    return register_family(personas.clerk, children=0)


@pytest.mark.parametrize("method", UNUSUAL)
def test_the_api_answers_405_to_unusual_methods(client, personas, case, method):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.officer, name="t")
    client.force_login(personas.officer)
    for path in ["/api/cases", f"/api/cases/{case.pk}"]:
        assert client.get(path).status_code == 200  # the same path does answer a GET
        for credentials in ({}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}):
            response = client.generic(method, path, **credentials)
            assert response.status_code == 405, (method, path)
            assert case.number not in response.content.decode()


@pytest.mark.parametrize("method", UNUSUAL)
def test_a_page_answers_unusual_methods_with_405_or_404(client, personas, case, method):
    client.force_login(personas.officer)
    url = reverse("registration:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.generic(method, url)
    assert response.status_code in (404, 405)
    assert case.number not in response.content.decode()
