"""Addresses are http or https only, by every road in (form, API, service) and out (a
stored address of another scheme is shown as text, never as a link)."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from nansen.accounts.models import ApiToken
from nansen.coi.models import Source
from nansen.coi.services import SourceInput, source_add
from nansen.core.permissions import NotAllowed
from nansen.core.weblinks import is_web_url
from nansen.resettlement.models import Pledge
from nansen.resettlement.services import pledge_record
from nansen.resettlement.tests.factories import pledge_input

REFUSED = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\x00:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/report.pdf",
    "https://example.org/\u202ereport",
]
ACCEPTED = ["http://example.org/report", "https://www.refworld.org/docid/5a.html"]


def _auth(user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _source_json(url):
    return {
        "title": "Returnees",
        "publisher": "EUAA",
        "published_on": "2024-01-01",
        "countries": ["SYR"],
        "text": "Returnees are questioned.",
        "url": url,
    }


def _source_input(url):
    return SourceInput(**{**_source_json(url), "published_on": date(2024, 1, 1)})


def _source_form(url):
    return {
        "title": "Returnees",
        "publisher": "EUAA",
        "published_on": "2024-01-01",
        "countries": ["SYR"],
        "language": "eng",
        "text": "Returnees are questioned.",
        "url": url,
    }


# The form takes an address without a scheme as https (so "//host/x" is stored as
# "https://host/x"); the check itself refuses it.
@pytest.mark.parametrize("url", [*REFUSED, "//evil.example/report"])
def test_the_check_refuses_other_schemes(url):
    assert not is_web_url(url)


@pytest.mark.parametrize("url", ACCEPTED)
def test_the_check_accepts_http_and_https(url):
    assert is_web_url(url)


@pytest.mark.parametrize("url", REFUSED)
def test_the_coi_api_refuses_other_schemes(client, personas, url):
    response = client.post(
        "/api/coi/sources",
        _source_json(url),
        content_type="application/json",
        **_auth(personas.officer),
    )
    # 422 from the schema; a NUL is refused before, with 400, by every request's check.
    assert response.status_code in (400, 422), response.content
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", REFUSED)
def test_the_coi_page_refuses_other_schemes(client, personas, url):
    client.force_login(personas.officer)
    response = client.post("/coi/sources/new/", _source_form(url))
    assert response.status_code == 400
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", REFUSED)
def test_the_coi_service_refuses_other_schemes(personas, url):
    data = SourceInput(**{**_source_json(url), "published_on": date(2024, 1, 1)})
    with pytest.raises(NotAllowed):
        source_add(actor=personas.officer, data=data)


@pytest.mark.parametrize("url", ACCEPTED)
def test_api_and_page_accept_web_addresses(client, personas, url):
    created = client.post(
        "/api/coi/sources",
        _source_json(url),
        content_type="application/json",
        **_auth(personas.officer),
    )
    assert created.status_code == 201, created.content
    client.force_login(personas.officer)
    response = client.post("/coi/sources/new/", _source_form(url))
    assert response.status_code == 302
    assert list(Source.objects.values_list("url", flat=True)) == [url, url]
    page = client.get(response["Location"]).text
    assert f'href="{url}"' in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_the_pledge_api_and_page_refuse_other_schemes(client, personas, url):
    payload = {
        "receiving_country": "FRA",
        "programme_type": "resettlement",
        "title": "Syrians",
        "places": 500,
        "announced_on": "2014-07-01",
        "source_title": "UN Tribune",
        "source_url": url,
    }
    response = client.post(
        "/api/resettlement/pledges",
        payload,
        content_type="application/json",
        **_auth(personas.supervisor),
    )
    assert response.status_code == 422, response.content
    client.force_login(personas.supervisor)
    page = client.post("/resettlement/pledges/new/", {**payload, "places": "500"})
    assert page.status_code == 400
    with pytest.raises(NotAllowed):
        pledge_record(actor=personas.supervisor, data=pledge_input(source_url=url))
    assert not Pledge.objects.exists()


def test_a_stored_address_of_another_scheme_is_shown_as_text(client, personas):
    source = source_add(
        actor=personas.officer,
        data=SourceInput(**{**_source_json(""), "published_on": date(2024, 1, 1)}),
    )
    Source.objects.filter(pk=source.pk).update(url="javascript:alert(1)")
    pledge = pledge_record(actor=personas.supervisor, data=pledge_input())
    Pledge.objects.filter(pk=pledge.pk).update(source_url="javascript:alert(2)")
    client.force_login(personas.officer)
    page = client.get(f"/coi/sources/{source.pk}/").text
    assert "javascript:alert(1)" in page
    assert 'href="javascript' not in page
    pledge_page = client.get(f"/resettlement/pledges/{pledge.pk}/").text
    assert "Government announcement (test)" in pledge_page
    assert 'href="javascript' not in pledge_page


def test_the_migration_clears_addresses_of_other_schemes(personas):
    migration = importlib.import_module("nansen.coi.migrations.0003_source_url_http_only")
    good = source_add(
        actor=personas.officer,
        data=SourceInput(
            **{**_source_json("https://example.org/a"), "published_on": date(2024, 1, 1)}
        ),
    )
    bad = source_add(
        actor=personas.officer,
        data=SourceInput(**{**_source_json(""), "published_on": date(2024, 1, 1)}),
    )
    Source.objects.filter(pk=bad.pk).update(url="JaVaScRiPt:alert(1)", reliability_note="Known.")
    migration.clear_other_schemes(apps, None)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.url == "https://example.org/a"
    assert bad.url == ""
    assert bad.reliability_note.startswith("Known.\n\n[Address removed, not http or https: ")
    assert bad.version == 2
