"""Another office's records are announced, never described: the check answers "a possible
earlier registration in office X" and nothing else, the same for every input above the
threshold; every check is audited and rate-limited; an access request names only what a
check announced."""

import json
import re
import uuid
from datetime import date

import pytest
from django.urls import reverse

from nansen.accounts.models import ApiToken, Office
from nansen.accounts.roles import Role
from nansen.audit.models import AuditEntry
from nansen.identity.models import AccessRequest
from nansen.registration.services import DocumentInput, case_register
from nansen.testing import make_user, person_input

OSAKA = "Osaka Regional Immigration Bureau"
ANNOUNCED = f"A possible earlier registration exists in office {OSAKA}."


def register(clerk, **values):
    case = case_register(actor=clerk, principal=person_input(**values))
    return case, case.members.get().person


def hidden_in_osaka(personas, *, clerk=None, **values):
    """Hussein Al-Khatib, registered in Osaka (or by ``clerk`` in theirs): a record the
    Tokyo users may not see."""
    values = {
        "given_name": "Hussein",
        "family_name": "Al-Khatib",
        "given_name_original": "",
        "family_name_original": "",
        "sex": "M",
        "birth_date": date(1979, 5, 2),
        "nationalities": ["SYR"],
        "place_of_birth": "Aleppo",
        "documents": [
            DocumentInput(document_type="passport", number="N1234567", issuing_country="SYR")
        ],
        **values,
    }
    return register(clerk or personas.outsider, **values)[1]


def headers(user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


QUERY = {
    "given_name": "Hussein",
    "family_name": "Al-Khatib",
    "sex": "M",
    "birth_date": "1979-05-02",
    "nationalities": ["SYR"],
    "documents": [{"document_type": "passport", "number": "N1234567", "issuing_country": "SYR"}],
}
# Each changes one field the attacker wants to learn: the answers must not tell them apart.
PROBES = [
    {"birth_date": "1979-05-03"},
    {"birth_date": "1979-06-02"},
    {"birth_date": "1979"},
    {"sex": "F"},
    {"nationalities": ["IRQ"]},
    {"documents": [{"document_type": "passport", "number": "N1234568", "issuing_country": "SYR"}]},
    {"documents": []},
]


def api_check(client, auth, **fields):
    return client.post(
        "/api/identity/check", {**QUERY, **fields}, content_type="application/json", **auth
    )


def page_check(client, **fields):
    """The registration page's check of block "p", with the API's query as typed there."""
    query = {**QUERY, **fields}
    params = {"prefix": "p"}
    for name in ("given_name", "family_name", "sex", "birth_date"):
        params[f"p-{name}"] = query[name]
    params["p-nationalities"] = query["nationalities"]
    for document in query["documents"][:1]:
        params.update({f"p-doc-{k}": v for k, v in document.items()})
    return client.get(reverse("identity:identity_check"), params)


def test_the_api_answers_the_same_for_the_right_and_a_wrong_day(client, personas):
    """The probe attack: varying date of birth, sex, nationality or document number against
    a hidden person gave 0.9994 for the right day and 0.888 for a day off."""
    other = hidden_in_osaka(personas)
    auth = headers(personas.clerk)
    right = api_check(client, auth)
    assert right.status_code == 200
    assert right.json() == {
        "records": [],
        "announcements": [{"office": "OSA", "office_name": OSAKA, "message": ANNOUNCED}],
    }
    for probe in PROBES:
        response = api_check(client, auth, **probe)
        assert response.status_code == 200
        assert response.content == right.content, probe
    text = right.content.decode()
    assert "probability" not in text and "Khatib" not in text and "1979" not in text
    assert not re.search(rf"\b{other.pk}\b", text.replace("OSA", ""))


def test_the_registration_page_answers_the_same_for_every_probe(client, personas):
    other = hidden_in_osaka(personas)
    client.force_login(personas.clerk)
    right = page_check(client)
    assert ANNOUNCED in right.content.decode()
    for probe in PROBES:
        assert page_check(client, **probe).content == right.content, probe
    text = right.content.decode()
    assert "Khatib" not in text and "1979" not in text and "%" not in text
    assert f"link={other.pk}" not in text and f"/{other.pk}/" not in text


def test_an_office_is_announced_once_whatever_the_number_of_its_records(client, personas):
    hidden_in_osaka(personas)
    hidden_in_osaka(personas, documents=[])
    client.force_login(personas.clerk)
    assert page_check(client).content.decode().count(ANNOUNCED) == 1
    body = api_check(client, headers(personas.clerk)).json()
    assert [a["office"] for a in body["announcements"]] == ["OSA"]


def test_announcements_come_in_the_order_of_the_office_codes_not_the_scores(client, personas):
    """The stronger match, in Osaka (OSA), comes after the weaker one in Aomori (AOM)."""
    aomori = Office.objects.create(code="AOM", name="Aomori Office")
    clerk_aomori = make_user("aomori", aomori, Role.CLERK)
    hidden_in_osaka(personas)
    hidden_in_osaka(personas, clerk=clerk_aomori, sex="F")
    body = api_check(client, headers(personas.clerk)).json()
    assert [a["office"] for a in body["announcements"]] == ["AOM", "OSA"]


def test_own_records_are_shown_with_their_evidence_beside_the_announcement(client, personas):
    _case, own = register(
        personas.clerk,
        given_name="Hussein",
        family_name="Al-Khatib",
        birth_date=date(1979, 5, 2),
        given_name_original="",
        family_name_original="",
    )
    hidden_in_osaka(personas)
    body = api_check(client, headers(personas.clerk)).json()
    [record] = body["records"]
    assert record["person_id"] == own.pk and record["probability"] > 0.5 and record["evidence"]
    assert [a["office"] for a in body["announcements"]] == ["OSA"]


def _entry(action="identity_check"):
    return AuditEntry.objects.filter(action=action).order_by("sequence").last()


def test_every_check_is_audited_with_a_keyed_hash_of_the_query(client, personas):
    other = hidden_in_osaka(personas)
    auth = headers(personas.clerk)
    api_check(client, auth)
    entry = _entry()
    assert entry is not None, "a check that announced only another office wrote no entry"
    assert entry.user == personas.clerk
    assert entry.details["announced"] == ["OSA"] and entry.details["shown"] == 0
    assert re.fullmatch(r"[0-9a-f]{64}", entry.details["query"])
    stored = json.dumps([entry.details, entry.person_ids, entry.object_id])
    assert "Khatib" not in stored and "1979" not in stored and "N1234567" not in stored
    assert other.pk not in entry.person_ids
    # The same query hashes the same; another gives another hash.
    api_check(client, auth)
    assert _entry().details["query"] == entry.details["query"]
    api_check(client, auth, birth_date="1979-05-03")
    assert _entry().details["query"] != entry.details["query"]


def test_a_check_that_finds_nothing_is_audited_too(client, personas):
    client.force_login(personas.clerk)
    page_check(client, given_name="Nobody", family_name="Known")
    entry = _entry()
    assert entry is not None
    assert entry.details["announced"] == [] and entry.details["shown"] == 0


def test_the_61st_check_in_an_hour_is_refused_and_audited(client, personas):
    auth = headers(personas.clerk)
    for year in range(1940, 2000):
        assert api_check(client, auth, birth_date=str(year)).status_code == 200
    # A query already answered within the hour tells nothing new: it is answered again.
    assert api_check(client, auth, birth_date="1940").status_code == 200
    refused = api_check(client, auth, birth_date="2000")
    assert refused.status_code == 429
    assert "60 identity checks an hour" in refused.json()["detail"]
    entry = _entry("identity_check_refused")
    assert entry is not None and entry.user == personas.clerk
    assert re.fullmatch(r"[0-9a-f]{64}", entry.details["query"])
    # The page says so too.
    client.force_login(personas.clerk)
    page = page_check(client, birth_date="2001")
    assert page.status_code == 200
    assert "60 identity checks an hour" in page.content.decode()
    # Another clerk of the office is counted apart.
    colleague = make_user("colleague", personas.tokyo, Role.CLERK)
    assert api_check(client, headers(colleague), birth_date="2000").status_code == 200


def test_an_office_sets_its_own_limit(client, personas, settings):
    from nansen.identity.identity_check import check_limit_set

    settings.NANSEN_IDENTITY_CHECKS_PER_HOUR = 2
    auth = headers(personas.clerk)
    assert api_check(client, auth, birth_date="1950").status_code == 200
    assert api_check(client, auth, birth_date="1951").status_code == 200
    assert api_check(client, auth, birth_date="1952").status_code == 429
    check_limit_set(actor=personas.admin, office=personas.tokyo, per_hour=5)
    assert _entry("identity_check_limit_set").details == {"office": "TKY", "per_hour": 5}
    for year in (1952, 1953, 1954):
        assert api_check(client, auth, birth_date=str(year)).status_code == 200
    assert api_check(client, auth, birth_date="1955").status_code == 429
    # Osaka keeps the default.
    outsider = headers(personas.outsider)
    assert api_check(client, outsider, birth_date="1950").status_code == 200
    assert api_check(client, outsider, birth_date="1951").status_code == 200
    assert api_check(client, outsider, birth_date="1952").status_code == 429


def test_only_an_administrator_sets_a_limit(personas):
    from django.http import Http404

    from nansen.identity.identity_check import check_limit_set

    with pytest.raises(Http404):
        check_limit_set(actor=personas.supervisor, office=personas.tokyo, per_hour=500)


def _case_in_tokyo(personas):
    return register(
        personas.clerk,
        given_name="Husain",
        family_name="Alkhatib",
        birth_date=date(1979, 5, 2),
        given_name_original="",
        family_name_original="",
    )


def test_the_repeat_page_naming_only_other_offices_is_audited(client, personas):
    other = hidden_in_osaka(personas)
    case, person = _case_in_tokyo(personas)
    client.force_login(personas.clerk)
    text = client.get(reverse("identity:identity_repeat_check", args=[case.pk])).content.decode()
    assert ANNOUNCED in text
    entry = _entry("identity_repeat_check")
    assert entry is not None, "the page named the clerk's applicant and wrote no read entry"
    assert entry.case_id == case.pk and person.pk in entry.person_ids
    assert other.pk not in entry.person_ids
    check = _entry()
    assert check.details["announced"] == ["OSA"] and check.case_id == case.pk


def _request_url(text: str) -> str:
    [url] = re.findall(r'action="(/identity/persons/[^"]+/access/[^"]+/)"', text)
    return url


def test_an_access_request_goes_through_the_announcement(client, personas):
    other = hidden_in_osaka(personas)
    case, person = _case_in_tokyo(personas)
    client.force_login(personas.supervisor)
    text = client.get(reverse("identity:identity_repeat_check", args=[case.pk])).content.decode()
    url = _request_url(text)
    assert not url.endswith(f"/{other.pk}/")
    response = client.post(url, {"reason": "Possible repeat application."})
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert (request.person, request.other_person, request.to_office) == (
        person,
        other,
        personas.osaka,
    )


def test_an_access_request_for_anything_not_announced_is_not_found(client, personas):
    """The other office's record by its id, a made-up announcement, an announcement made to
    another user or about another person: 404, as for an id that does not exist."""
    other = hidden_in_osaka(personas)
    case, person = _case_in_tokyo(personas)
    _other_case, other_own = register(personas.clerk, given_name="Omar", family_name="Haddad")
    client.force_login(personas.supervisor)
    base = f"/identity/persons/{person.pk}/access"
    reason = {"reason": "Possible repeat application."}
    assert client.post(f"{base}/{other.pk}/", reason).status_code == 404
    assert client.post(f"{base}/{uuid.uuid4()}/", reason).status_code == 404
    own_url = _request_url(
        client.get(reverse("identity:identity_repeat_check", args=[case.pk])).content.decode()
    )
    announcement = own_url.rstrip("/").rsplit("/", 1)[1]
    client.force_login(personas.clerk)
    clerk_url = _request_url_for(client, personas, case)
    client.force_login(personas.supervisor)
    for url in (clerk_url, f"/identity/persons/{other_own.pk}/access/{announcement}/"):
        assert client.post(url, reason).status_code == 404, url
    assert not AccessRequest.objects.exists()


def _request_url_for(client, personas, case):
    """The clerk may not ask, so the clerk's page has no form: the announcement made to the
    clerk is read from the server's record of it."""
    from nansen.identity.models import Announcement

    client.get(reverse("identity:identity_repeat_check", args=[case.pk]))
    announcement = Announcement.objects.filter(user=personas.clerk).latest("pk")
    return f"/identity/persons/{announcement.person_id}/access/{announcement.uid}/"


def test_the_command_sets_and_clears_an_office_s_limit(personas):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from nansen.identity.models import CheckLimit

    out = StringIO()
    call_command(
        "identity",
        "check-limit",
        "--user",
        "admin",
        "--office",
        "TKY",
        "--per-hour",
        "200",
        stdout=out,
    )
    assert CheckLimit.objects.get(office=personas.tokyo).per_hour == 200
    assert "200 identity checks an hour" in out.getvalue()
    call_command("identity", "check-limit", "--user", "admin", "--office", "TKY", "--default")
    assert not CheckLimit.objects.exists()
    with pytest.raises(CommandError):
        call_command(
            "identity", "check-limit", "--user", "clerk", "--office", "TKY", "--per-hour", "9"
        )
