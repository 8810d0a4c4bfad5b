"""The authorisation matrix (OWASP ASVS 5.0 V8): every role x every page and API operation
x objects of the own office and another, assigned and unassigned, represented and not x
every method. What a user may not see or do answers 404 (or 405), never data; see
tests/security/matrix.py for the oracle and tests/security/world.py for the objects.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from nansen.accounts.roles import Role
from nansen.accounts.services import SEEN_AT
from nansen.testing import VerifiedClient
from tests.security import matrix
from tests.security.world import PERSONA_ROLES, World, build_world

ANONYMOUS = "anonymous"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
# What the pages' fragments and forms read besides their URL (an HTMX fragment's block
# prefix and index, the part of an assessment a search is for; the version a form was loaded
# at, the access request answered): without them they answer 404 to anyone.
PAGE_QUERY = "index=1&prefix=m1&part=fear&q=military"
PAGE_FORM = "version=1&request={request}"
# Required query parameters of the API that name something real.
QUERY_VALUES = {
    "profile": "jp-icrra",
    "rule": "review-request",
    "origin": "SYR",
    "year": 2024,
    "q": "military",
    "version": 1,
}


# The personas in two halves of about equal work, probed by two tests that run in parallel.
GROUPS = {
    "clerk-supervisor-lawyer-statistician-anonymous": (
        "clerk",
        "supervisor",
        "lawyer",
        "statistician",
        ANONYMOUS,
    ),
    "officer-appeals-outsider-admin-auditor": (
        "officer",
        "appeals",
        "outsider",
        "admin",
        "auditor",
    ),
}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def _quiet_refusals():
    """Thousands of refusals are expected: Django's "Not Found" warnings are not logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _clients(world: World, names) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for name in names:
        if name == ANONYMOUS:
            clients[name] = Client(raise_request_exception=False)
            continue
        client = VerifiedClient(raise_request_exception=False)
        client.force_login(getattr(world.personas, name))
        clients[name] = client
    return clients


class Sessions:
    """The signed-in clients' sessions, kept in use between probes. The session policy notes
    a session's last use at most once a minute (nansen.accounts.services.user_session_seen),
    and the probes roll that note back with everything else: without this, every probe
    after the first minute would write it again. Noted here every half minute instead, as
    the probes' own requests would have noted it."""

    EVERY = 30  # seconds

    def __init__(self, clients: dict[str, Client]):
        self.clients = [c for c in clients.values() if settings.SESSION_COOKIE_NAME in c.cookies]
        self.noted = time.monotonic()

    def keep_in_use(self) -> None:
        if time.monotonic() - self.noted < self.EVERY:
            return
        for client in self.clients:
            session = client.session
            session[SEEN_AT] = timezone.now().timestamp()
            session.save()
        self.noted = time.monotonic()


def _probe(client: Client, method: str, url: str, **kwargs):
    """One request in a savepoint rolled back afterwards, with the client's cookies restored:
    a POST changes nothing for the next probe, a sign-out signs nobody out."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        response = client.generic(method, url, **kwargs)
        transaction.set_rollback(True)
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies[key] = value
    return response


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


class Tally:
    def __init__(self):
        self.probes = 0
        self.allowed = 0
        # Allowed answers that showed a record's marker: the leak detector sees markers where
        # they are, so their absence from a refusal means something.
        self.shown = 0
        self.failures: list[str] = []

    def judge(self, who, sight, method, url, response, *, may, surface, label=""):
        self.probes += 1
        status, body = response.status_code, _body(response)
        where = f"{who} {method} {url}" + (f" [{label}]" if label else "")
        if status >= 500:
            self.failures.append(f"{where}: server error {status}")
            return
        if may:
            # The admin and the open views name no object the matrix chose: a 404 there is
            # their own answer (no such page, nothing being set up).
            if status == 404 and surface in ("page", "api"):
                self.failures.append(f"{where}: 404, but the user may do this")
            elif status == 422:
                self.failures.append(f"{where}: 422, the probe's body was refused: {body[:200]}")
            found = matrix.leaks(body, sight.hidden)
            self.allowed += 1
            self.shown += bool(matrix.leaks(body, sight.everything))
        else:
            refused = {404, 405}
            if who == ANONYMOUS:
                refused |= {401}
            # To the sign-in page; the admin's sign-out sends to the admin's index, which
            # sends to the sign-in page.
            to_sign_in = status == 302 and (
                response["Location"].startswith(LOGIN_PATHS) or response["Location"] == "/admin/"
            )
            if to_sign_in and (who == ANONYMOUS or surface == "admin"):
                refused.add(302)
            if status not in refused:
                self.failures.append(f"{where}: {status}, but the user may not do this")
            found = matrix.leaks(body, sight.everything)
        if found:
            self.failures.append(f"{where}: {status} shows {found}")

    def report(self, what: str, seconds: float) -> str:
        line = (
            f"authorisation matrix ({what}): {self.probes} probes "
            f"({self.allowed} allowed, {self.shown} of them showing a record; "
            f"{self.probes - self.allowed} refused), {len(self.failures)} failures, "
            f"{seconds:.1f} s"
        )
        print(line)
        return line

    def check_it_could_fail(self) -> None:
        """A matrix that allows nothing, refuses nothing, or never sees a marker where one
        is shown proves nothing."""
        assert self.allowed > 100, f"only {self.allowed} probes were allowed"
        assert self.probes - self.allowed > 1000, "hardly any probe was refused"
        assert self.shown > 20, f"only {self.shown} allowed answers showed a record"


def _sights(world: World) -> dict[str, matrix.Sight]:
    sights = {ANONYMOUS: matrix.Sight(None, world)}
    for name in PERSONA_ROLES:
        sights[name] = matrix.Sight(getattr(world.personas, name), world)
    return sights


def test_every_role_has_a_persona_in_the_matrix():
    held = set().union(*PERSONA_ROLES.values())
    assert held == set(Role), f"roles without a persona: {set(Role) - held}"


def test_every_view_declares_its_actions_or_is_listed_as_open():
    """A new view without ``action_required`` and outside the reviewed lists fails here, by
    name; and the lists name no view that no longer exists."""
    targets, _api_routes = matrix.page_targets()
    names = {t.label for t in targets}
    stale = (set(matrix.PUBLIC_VIEWS) | set(matrix.SIGNED_IN_VIEWS)) - names
    assert not stale, f"listed as open but not found: {stale}"


def test_the_groups_hold_every_persona_once():
    names = [n for group in GROUPS.values() for n in group]
    assert sorted(names) == sorted([*PERSONA_ROLES, ANONYMOUS])


@pytest.mark.usefixtures("_quiet_refusals")
@pytest.mark.parametrize("group", GROUPS)
def test_every_page_answers_as_the_matrix_says(world, group, record_property):
    started = time.perf_counter()
    targets, _api_routes = matrix.page_targets()
    clients, sights, tally = _clients(world, GROUPS[group]), _sights(world), Tally()
    sessions = Sessions(clients)
    for target in targets:
        sessions.keep_in_use()
        if target.surface == "admin":
            url = matrix.fill(target.route, matrix.admin_values(target.route, world))
            for who, client in clients.items():
                may = sights[who].may("admin")
                for method in matrix.METHODS:
                    response = _probe(client, method, url)
                    tally.judge(who, sights[who], method, url, response, may=may, surface="admin")
            continue
        surface = "page" if target.rule not in (matrix.PUBLIC, matrix.SIGNED_IN) else "open"
        form = PAGE_FORM.format(request=world.access_request.pk)
        for binding in matrix.bindings(world, target):
            url = matrix.fill(target.route, binding.values) + "?" + PAGE_QUERY
            for who, client in clients.items():
                may = matrix.allowed(sights[who], target.rule, binding)
                for method in matrix.METHODS:
                    response = _probe(
                        client,
                        method,
                        url,
                        data="" if method == "GET" else form,
                        content_type="application/x-www-form-urlencoded",
                    )
                    tally.judge(
                        who,
                        sights[who],
                        method,
                        url,
                        response,
                        may=may,
                        surface=surface,
                        label=f"{target.label} {binding.label}",
                    )
    record_property("counts", tally.report(f"pages, {group}", time.perf_counter() - started))
    assert not tally.failures, "\n".join(tally.failures)
    tally.check_it_could_fail()


@pytest.mark.usefixtures("_quiet_refusals")
@pytest.mark.parametrize("group", GROUPS)
def test_every_api_operation_answers_as_the_matrix_says(world, group, record_property):
    started = time.perf_counter()
    document = json.loads(Client().get("/api/openapi.json").content)
    targets = matrix.api_targets(document)
    _pages, api_routes = matrix.page_targets()
    # The document and the resolver agree on the operations there are.
    assert len({t.route for t in targets}) == len(set(api_routes)), (
        sorted(t.route for t in targets),
        sorted(set(api_routes)),
    )
    maker = matrix.BodyMaker(document)
    clients, sights, tally = _clients(world, GROUPS[group]), _sights(world), Tally()
    sessions = Sessions(clients)
    for target in targets:
        sessions.keep_in_use()
        for method in matrix.METHODS:
            operation = target.methods.get(method)
            kinds = matrix.body_kinds(maker, operation) if operation else []
            path_objects = any(p.kind for p in target.params)
            for binding in matrix.bindings(world, target):
                slots = [s for _k, _o, s in binding.objects if s is not None]
                # A body naming objects, on a path naming none: each slot in turn.
                for slot in slots[:1] or (world.slots if kinds else [world.slots[0]]):
                    objects = list(binding.objects)
                    if kinds and not path_objects:
                        objects += [
                            (k, slot.objects[k][0], slot)
                            for k in kinds
                            if k not in matrix.SHARED_KINDS
                        ]
                    url = matrix.fill(target.route, binding.values)
                    kwargs = {}
                    if operation is not None:
                        query = {**maker.query(operation)}
                        query.update({k: v for k, v in QUERY_VALUES.items() if k in query})
                        if query:
                            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                        body = maker.body(operation, matrix.body_refs(slot, world))
                        if body is not None:
                            kwargs = {"data": body, "content_type": "application/json"}
                        rule = matrix.API_ACTIONS[operation["operationId"]]
                    for who, client in clients.items():
                        sight = sights[who]
                        if operation is None:
                            may = False
                        else:
                            judged = matrix.Binding(
                                binding.values, objects, binding.extra_rule, binding.label
                            )
                            may = matrix.allowed(sight, rule, judged)
                        headers = {}
                        if who != ANONYMOUS:
                            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[who]}"
                        response = _probe(client, method, url, **kwargs, **headers)
                        tally.judge(
                            who,
                            sight,
                            method,
                            url,
                            response,
                            may=may,
                            surface="api",
                            label=f"{operation['operationId'] if operation else '-'} "
                            f"{binding.label} slot={slot.key}",
                        )
    record_property("counts", tally.report(f"API, {group}", time.perf_counter() - started))
    assert not tally.failures, "\n".join(tally.failures)
    tally.check_it_could_fail()
