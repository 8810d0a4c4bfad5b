"""Every read of personal data is audited: every page and every API read, walked with the
objects of the world (tests/security/world.py) by each persona allowed to see them, must
write an audit entry whenever its answer shows a person's or a case's data.

An answer shows personal data when it names a record of a case: the authorisation matrix
relies on this already, as every record of a slot carries the slot's marker, case number
and sensitive marker. And an answer about one record of a case (its URL names a case, a
person, an application…) shows that record's data, marker or not (a case's history of
events names nobody). Routes and operations are found by Django's URL resolver and the
OpenAPI document (tests/security/matrix.py), so a new one is walked too.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from nansen.audit.models import AuditEntry
from nansen.registration.services import PersonInput, case_register
from nansen.testing import VerifiedClient
from tests.security import matrix
from tests.security.test_authorization_matrix import PAGE_QUERY, QUERY_VALUES, Sessions, _body
from tests.security.world import PERSONA_ROLES, World, build_world

# Pages and API reads that may show a slot's marker without writing a read entry, each
# with its reason. Keep it short: only what shows nobody's personal data belongs here.
NOT_PERSONAL = {
    # An import job: its file name, status, counts, the range of case numbers it created and
    # the lines it refused; nobody's details (the world names its file with the marker).
    "imports:import_new": "the office's recent import jobs",
    "imports:import_detail": "one import job's status",
    # Fragments of a form, about reference data: the interpreters of a language, and the
    # COI passages to cite (the page they belong to records the read).
    "procedures:interview_interpreters": "the office's interpreters for a language",
    # The office's register of refugee examination counsellors: outside experts' names and
    # whether they sit, no applicant's details.
    "procedures:counsellor_edit": "one entry of the office's register of counsellors",
    "eligibility:cite_search": "COI passages found for a search",
}
# Pages and API reads still being fixed elsewhere, by name, with the reason. The walk fails
# when one of them writes its entry: take it off the list then.
KNOWN_GAPS: dict[str, str] = {}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def _quiet():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _shown(world: World, body: str) -> list[str]:
    strings = [s for slot in world.slots for s in (*slot.forbidden, slot.sensitive)]
    return [s for s in strings if s in body]


class Walk:
    def __init__(self, world: World):
        self.world = world
        self.sights = {n: matrix.Sight(getattr(world.personas, n), world) for n in PERSONA_ROLES}
        self.clients: dict[str, Client] = {}
        for name in PERSONA_ROLES:
            client = VerifiedClient(raise_request_exception=False)
            client.force_login(getattr(world.personas, name))
            self.clients[name] = client
        self.sessions = Sessions(self.clients)
        self.requests = 0
        self.personal = 0  # answers showing personal data
        self.labels_seen: set[str] = set()
        self.failures: list[str] = []
        self.gaps_found: set[str] = set()

    def get(self, who: str, label: str, url: str, *, about_record: bool, **headers) -> None:
        """One GET in a rolled-back savepoint; judged before the rollback."""
        self.sessions.keep_in_use()
        user = getattr(self.world.personas, who)
        client = self.clients[who]
        cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        with transaction.atomic():
            before = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True)
            last = before.first() or 0
            response = client.get(url, **headers)
            body = _body(response)
            written = AuditEntry.objects.filter(sequence__gt=last, user=user).exists()
            transaction.set_rollback(True)
        client.cookies.clear()
        for key, value in cookies.items():
            client.cookies[key] = value
        self.requests += 1
        if response.status_code != 200:
            return
        shown = _shown(self.world, body) or (["the record the URL names"] if about_record else [])
        if not shown:
            return
        self.personal += 1
        self.labels_seen.add(label)
        if written or label in NOT_PERSONAL:
            return
        if label in KNOWN_GAPS:
            self.gaps_found.add(label)
            return
        self.failures.append(f"{who} GET {url} [{label}] shows {shown[:3]} but wrote no entry")


def _about_record(target) -> bool:
    return any(p.kind and p.kind not in matrix.SHARED_KINDS for p in target.params)


def _allowed_personas(walk: Walk, rule, binding) -> list[str]:
    return [n for n, sight in walk.sights.items() if matrix.allowed(sight, rule, binding)]


@pytest.mark.usefixtures("_quiet")
def test_every_read_of_personal_data_is_audited(world, record_property):
    walk = Walk(world)
    targets, _api_routes = matrix.page_targets()
    for target in targets:
        if target.surface != "page":
            continue
        for binding in matrix.bindings(world, target):
            url = matrix.fill(target.route, binding.values) + "?" + PAGE_QUERY
            for who in _allowed_personas(walk, target.rule, binding):
                walk.get(who, target.label, url, about_record=_about_record(target))

    document = json.loads(Client().get("/api/openapi.json").content)
    maker = matrix.BodyMaker(document)
    for target in matrix.api_targets(document):
        operation = target.methods.get("GET")
        if operation is None:
            continue
        rule = matrix.API_ACTIONS[operation["operationId"]]
        query = maker.query(operation)
        query.update({k: v for k, v in QUERY_VALUES.items() if k in query})
        suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        for binding in matrix.bindings(world, target):
            url = matrix.fill(target.route, binding.values) + suffix
            for who in _allowed_personas(walk, rule, binding):
                token = world.tokens[who]
                walk.get(
                    who,
                    operation["operationId"],
                    url,
                    about_record=_about_record(target),
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )

    line = (
        f"read audit: {walk.requests} reads, {walk.personal} showing personal data, "
        f"{len(walk.labels_seen)} routes and operations among them, "
        f"{len(walk.failures)} without an entry"
    )
    print(line)
    record_property("counts", line)
    assert not walk.failures, "\n".join(walk.failures)
    # A walk that never met personal data proves nothing.
    assert walk.personal > 100 and len(walk.labels_seen) > 20, line
    assert walk.gaps_found == set(KNOWN_GAPS), (
        "a known gap now writes its entry (or is gone): take it off KNOWN_GAPS"
    )


def test_the_allow_list_names_routes_that_exist():
    document = json.loads(Client().get("/api/openapi.json").content)
    targets, _api_routes = matrix.page_targets()
    names = {t.label for t in targets} | {
        op["operationId"] for t in matrix.api_targets(document) for op in t.methods.values()
    }
    assert not (set(NOT_PERSONAL) | set(KNOWN_GAPS)) - names


def test_a_case_page_without_referrals_records_the_read(personas, client):
    """The resettlement page of a case never referred shows the case all the same."""
    case = case_register(
        actor=personas.clerk,
        principal=PersonInput(
            given_name="Amal",
            family_name="Haddad",
            sex="F",
            birth_date=date(1990, 2, 1),
            country_of_origin="SYR",
            nationalities=["SYR"],
        ),
        dependants=[],
    )
    client.force_login(personas.supervisor)
    response = client.get(reverse("resettlement:case_referrals", args=[case.pk]))
    assert response.status_code == 200 and case.number in response.content.decode()
    entry = AuditEntry.objects.get(user=personas.supervisor, case_id=case.pk)
    assert entry.action == "case_referrals_view"
    assert entry.person_ids == [case.members.get().person_id]
