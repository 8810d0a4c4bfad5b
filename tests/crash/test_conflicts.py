"""100 clients edit the same person at the same moment, through a real server: for each
version exactly one save succeeds, every other client gets a conflict (HTTP 409 from the
API, the page's message from the page), and nothing is silently overwritten."""

import json
import secrets
import tempfile
import threading
import urllib.parse
from pathlib import Path

import pytest

from tests.crash import harness

pytestmark = pytest.mark.crash
CLIENTS = 100

SESSION = """
import json
from nansen.accounts.models import User
from nansen.testing import VerifiedClient
client = VerifiedClient()
client.force_login(User.objects.get(username="officer"))
print(json.dumps({"cookie": client.cookies["nansen_session"].value}))
"""


def _all_at_once(count: int, send) -> list[tuple[int, bytes]]:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def client(index: int) -> None:
        barrier.wait()
        results[index] = send(index)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def _person_body(version: int, given_name: str) -> dict:
    return {
        "version": version,
        "given_name": given_name,
        "family_name": "Conflict",
        "sex": "F",
        "birth_date": "1990-05",
        "country_of_origin": "SYR",
    }


def test_one_save_per_version_among_100_parallel_clients(server_database, record_property):
    with (
        tempfile.TemporaryDirectory(prefix="nansen-conflict-") as tmp,
        harness.environment(server_database, Path(tmp)) as (env, _location, _cluster),
    ):
        tokens = harness.prepare(env)
        session = json.loads(harness.nansen(env, "shell", "-c", SESSION).stdout.splitlines()[-1])
        server = harness.Server(env, Path(tmp))
        server.start()
        try:
            api = _api_rounds(server, tokens)
            page = _page_round(server, tokens, session["cookie"])
            record_property(
                "counts",
                f"concurrent edits ({server_database}), {CLIENTS} clients: API {api}; page {page}",
            )
        finally:
            server.stop()


def _api_rounds(server, tokens) -> str:
    clerk = {"Authorization": f"Bearer {tokens['clerk']}"}
    status, body = harness.request(
        "POST", server.port, "/api/cases", {"principal": _person_body(0, "Start")}, clerk
    )
    assert status == 201, body
    person = json.loads(body)["members"][0]["person"]
    person_id, version = person["id"], person["version"]
    editors = [{"Authorization": f"Bearer {tokens[n]}"} for n in ("clerk", "officer", "supervisor")]
    rounds = []
    for round_number in range(3):

        def send(index, version=version, round_number=round_number):
            return harness.request(
                "PUT",
                server.port,
                f"/api/persons/{person_id}",
                _person_body(version, f"R{round_number}C{index}"),
                editors[index % 3],
                timeout=120,
            )

        results = _all_at_once(CLIENTS, send)
        statuses = sorted(status for status, _body in results)
        print(
            f"API round {round_number}: {statuses.count(200)} saved, "
            f"{statuses.count(409)} conflicts"
        )
        assert statuses.count(200) == 1 and statuses.count(409) == CLIENTS - 1, statuses
        winner = next(json.loads(body) for status, body in results if status == 200)
        conflict = next(json.loads(body) for status, body in results if status == 409)
        assert "Someone else saved this person" in conflict["detail"]
        status, body = harness.request("GET", server.port, f"/api/persons/{person_id}", None, clerk)
        now = json.loads(body)
        assert now["version"] == version + 1
        assert now["given_name"] == winner["given_name"]  # the one acknowledged save
        version = now["version"]
        rounds.append(f"{statuses.count(200)} saved / {statuses.count(409)} conflicts")
    return ", ".join(rounds)


def _page_round(server, tokens, session_cookie: str) -> str:
    clerk = {"Authorization": f"Bearer {tokens['clerk']}"}
    _status, body = harness.request(
        "POST", server.port, "/api/cases", {"principal": _person_body(0, "Paged")}, clerk
    )
    person = json.loads(body)["members"][0]["person"]
    csrf = secrets.token_hex(16)
    cookie = f"nansen_session={session_cookie}; nansen_csrf={csrf}"

    def send(index):
        form = {
            "csrfmiddlewaretoken": csrf,
            "version": person["version"],
            "given_name": f"Page{index}",
            "family_name": "Conflict",
            "sex": "F",
            "birth_date": "1990-05",
            "country_of_origin": "SYR",
            "doc-TOTAL_FORMS": "0",
            "doc-INITIAL_FORMS": "0",
            "doc-MIN_NUM_FORMS": "0",
            "doc-MAX_NUM_FORMS": "20",
        }
        connection = harness.http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        try:
            connection.request(
                "POST",
                f"/persons/{person['id']}/edit/",
                body=urllib.parse.urlencode(form),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                },
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    results = _all_at_once(CLIENTS, send)
    statuses = sorted(status for status, _body in results)
    print(f"page round: {statuses.count(302)} saved, {statuses.count(409)} conflicts")
    assert statuses.count(302) == 1 and statuses.count(409) == CLIENTS - 1, statuses[:5]
    page = next(body.decode() for status, body in results if status == 409)
    assert "Someone else saved this person while you were editing it." in page
    return f"{statuses.count(302)} saved / {statuses.count(409)} conflicts"
