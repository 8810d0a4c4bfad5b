"""API token scopes: a token chosen as read-only reads and never writes, on every operation
of the API, now and as operations are added. Browser sessions are not scoped."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.api.auth import READING_METHODS
from nansen.audit.models import AuditEntry
from nansen.registration.models import Case
from nansen.testing import VerifiedClient

CASE = {
    "principal": {
        "given_name": "Huda",
        "family_name": "Abdulrahman",
        "sex": "F",
        "birth_date": "1992",
        "country_of_origin": "SYR",
    },
}
SCOPE_REFUSAL = "This API token may only read"


def _write_operations() -> list[tuple[str, str]]:
    """Every (method, path) of the OpenAPI document that is not a read, path parameters
    filled with 1 (the scope is decided before any object is looked up)."""
    document = json.loads(Client().get("/api/openapi.json").content)
    operations = []
    for path, methods in document["paths"].items():
        for method in methods:
            if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
                operations.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return operations


def _token(user, scope: str) -> str:
    return ApiToken.issue(user=user, name=scope, scope=scope)[1]


def _call(method: str, path: str, raw: str):
    return Client().generic(
        method, path, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_api_has_write_operations_to_check():
    operations = _write_operations()
    assert len(operations) > 20
    assert ("POST", "/api/cases") in operations


@pytest.mark.parametrize(("method", "path"), _write_operations())
def test_a_read_token_is_refused_on_every_write_operation(personas, method, path):
    read, read_write = (_token(personas.supervisor, scope) for scope in ApiToken.Scope.values)

    refused = _call(method, path, read)
    assert refused.status_code == 403, (method, path, refused.content)
    assert SCOPE_REFUSAL in refused.json()["detail"]

    # The read-and-write token may still meet another refusal (no such object, a body the
    # operation does not accept), but never the scope's.
    answered = _call(method, path, read_write)
    assert answered.status_code < 500, (method, path, answered.content)
    assert answered.status_code != 403 or SCOPE_REFUSAL not in answered.content.decode()


def test_a_read_token_reads_and_its_refusal_is_recorded(personas):
    raw = _token(personas.clerk, ApiToken.Scope.READ)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api = Client()
    assert api.get("/api/cases", **auth).status_code == 200
    assert api.head("/api/cases", **auth).status_code != 403

    refused = api.post("/api/cases", CASE, content_type="application/json", **auth)
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "This API token may only read. Changes need a read-and-write token."
    }
    assert not Case.objects.exists()
    entry = AuditEntry.objects.filter(action="refused").latest("pk")
    assert entry.user == personas.clerk
    assert entry.details == {"method": "POST", "path": "/api/cases", "status": 403}


def test_a_read_write_token_writes(personas):
    raw = _token(personas.clerk, ApiToken.Scope.READ_WRITE)
    created = Client().post(
        "/api/cases", CASE, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert created.status_code == 201, created.content
    assert Case.objects.count() == 1


def test_a_browser_session_is_not_scoped(personas):
    """A user holding a read token still writes from the pages' session."""
    _token(personas.clerk, ApiToken.Scope.READ)
    browser = VerifiedClient(enforce_csrf_checks=True)
    browser.force_login(personas.clerk)
    browser.get(reverse("registration:case_search"))
    created = browser.post(
        "/api/cases",
        CASE,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies[settings.CSRF_COOKIE_NAME].value,
    )
    assert created.status_code == 201, created.content


def test_the_reading_methods_are_only_reads():
    assert frozenset({"GET", "HEAD", "OPTIONS"}) == READING_METHODS
