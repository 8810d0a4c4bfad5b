"""Administrators administer, they do not read (issue 19 §3). An administrator signed in
with their second factor, and an account with Django's superuser and staff flags but no role,
walk every page (the admin's included) and every API read of the world of the authorisation
matrix, each with every record the URL can name: no answer shows anything of a person or a
case, and no answer points at one (the admin's "view on site" shortcut did)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib import admin
from django.test import Client

from nansen.accounts.models import ApiToken
from nansen.accounts.roles import Role
from nansen.testing import VerifiedClient, make_user
from tests.security import matrix
from tests.security.test_authorization_matrix import PAGE_QUERY, QUERY_VALUES, _body
from tests.security.world import World, build_world

# What the admin may list: reference data and staff accounts, never a record of casework.
ADMIN_MODELS = {
    "accounts.office",
    "accounts.user",
    "accounts.rolegrant",
    "accounts.pendingaccesschange",
    "accounts.apitoken",
    "procedures.room",
    "procedures.interpreter",
    "procedures.officerprofile",
    # django-axes' sign-in attempts: no ModelAdmin of Nansen's, so no one's (accounts/admin_site)
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}
# A redirect to a record's own page tells that the record exists, and where.
RECORD_PATH = re.compile(
    r"/(cases|persons|applications|interviews|appeals|decisions|letters|referrals)/\d+"
)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def _quiet_refusals():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _reader(world: World, who: str):
    if who == "administrator":
        return world.personas.admin
    # Django's flags, an office, and no role: what the reproduced attack started from.
    return make_user("root", world.personas.tokyo, is_superuser=True, is_staff=True)


def test_the_admin_lists_no_casework():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered <= ADMIN_MODELS, registered - ADMIN_MODELS


@pytest.mark.usefixtures("_quiet_refusals")
@pytest.mark.parametrize("who", ["administrator", "superuser_flag"])
def test_an_administrator_walks_every_read_and_sees_no_personal_data(world, who):
    user = _reader(world, who)
    client = VerifiedClient(raise_request_exception=False)
    client.force_login(user)
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ, user=user, name="walk")
    markers = matrix.Sight(user, world).everything
    failures: list[str] = []
    walked = 0

    def judge(url: str, response) -> None:
        nonlocal walked
        walked += 1
        if response.status_code >= 500:
            failures.append(f"{url}: server error {response.status_code}")
            return
        found = matrix.leaks(_body(response), markers)
        if found:
            failures.append(f"{url}: {response.status_code} shows {found}")
        location = response.get("Location", "")
        if RECORD_PATH.search(location):
            failures.append(f"{url}: {response.status_code} points at {location}")

    targets, _api_routes = matrix.page_targets()
    for target in targets:
        if target.surface == "admin":
            url = matrix.fill(target.route, matrix.admin_values(target.route, world))
            judge(url, client.get(url))
            continue
        for binding in matrix.bindings(world, target):
            url = matrix.fill(target.route, binding.values) + "?" + PAGE_QUERY
            judge(url, client.get(url))

    document = json.loads(Client().get("/api/openapi.json").content)
    maker = matrix.BodyMaker(document)
    for target in matrix.api_targets(document):
        operation = target.methods.get("GET")
        if operation is None:
            continue
        query = {**maker.query(operation)}
        query.update({k: v for k, v in QUERY_VALUES.items() if k in query})
        for binding in matrix.bindings(world, target):
            url = matrix.fill(target.route, binding.values)
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            judge(url, client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}"))
            judge(url + " (session)", client.get(url))

    assert not failures, "\n".join(failures)
    assert walked > 300, f"only {walked} reads walked"


def test_the_administrator_persona_holds_only_the_administrator_role(world):
    assert world.personas.admin.roles == {Role.ADMINISTRATOR}
