"""Cross-site request forgery (OWASP ASVS 5.0 3.5.1): a state-changing request from a signed-in
browser needs the CSRF token, on the pages and on the API. A bearer token, which a foreign
site cannot make the browser send, needs none.

Django's test client skips the check unless asked; these clients enforce it."""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry
from nansen.registration.models import Case
from nansen.testing import VerifiedClient, register_family

CASE = {
    "principal": {
        "given_name": "Huda",
        "family_name": "Abdulrahman",
        "sex": "F",
        "birth_date": "1992",
        "country_of_origin": "SYR",
    },
}


def _browser(user) -> VerifiedClient:
    """A browser signed in with password and second factor, whose requests are CSRF-checked."""
    browser = VerifiedClient(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def _form_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def test_a_form_posted_without_the_token_is_refused_and_changes_nothing(personas):
    case = register_family(personas.clerk, children=0)
    browser = _browser(personas.clerk)
    page = browser.get(reverse("registration:case_detail", args=[case.pk]))
    assert page.status_code == 200
    add = reverse("registration:case_representative_add", args=[case.pk])

    forged = browser.post(add, {"representative": personas.lawyer.pk})
    assert forged.status_code == 403
    assert not case.representatives.exists()
    refused = AuditEntry.objects.filter(action="refused", user=personas.clerk).latest("sequence")
    assert refused.details == {"method": "POST", "path": add, "status": 403}

    wrong = browser.post(
        add, {"representative": personas.lawyer.pk, "csrfmiddlewaretoken": "x" * 64}
    )
    assert wrong.status_code == 403
    assert not case.representatives.exists()

    genuine = browser.post(
        add, {"representative": personas.lawyer.pk, "csrfmiddlewaretoken": _form_token(page)}
    )
    assert genuine.status_code == 302
    assert list(case.representatives.all()) == [personas.lawyer]


def test_the_api_with_a_browser_session_needs_the_token(personas):
    browser = _browser(personas.clerk)
    browser.get(reverse("registration:case_search"))  # sets the CSRF cookie, as any page does
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value

    forged = browser.post("/api/cases", CASE, content_type="application/json")
    assert forged.status_code == 403
    assert not Case.objects.exists()

    genuine = browser.post(
        "/api/cases", CASE, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert genuine.status_code == 201, genuine.content
    assert Case.objects.count() == 1


def test_the_api_with_a_bearer_token_needs_no_csrf_token(personas):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="sync")
    api = Client(enforce_csrf_checks=True)
    response = api.post(
        "/api/cases", CASE, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201, response.content
    assert Case.objects.count() == 1
