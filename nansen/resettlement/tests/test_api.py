"""The resettlement API: the same services, the same visibility, the same refusals."""

from datetime import date

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry, CaseEvent
from nansen.resettlement.models import Referral
from nansen.resettlement.tests.factories import members, refer


class _Api:
    def __init__(self, client, user):
        _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path, **params):
        return self.client.get(f"/api/resettlement{path}", params, **self.headers)

    def send(self, method, path, payload):
        call = getattr(self.client, method)
        return call(
            f"/api/resettlement{path}", payload, content_type="application/json", **self.headers
        )


PLEDGE = {
    "receiving_country": "FRA",
    "programme_type": "resettlement",
    "title": "Syrians",
    "places": 500,
    "announced_on": "2014-07-01",
    "source_title": "UN Tribune (as reported)",
    "target_nationalities": ["SYR"],
}


def test_pledges_are_recorded_revised_and_kept(client, personas):
    api = _Api(client, personas.supervisor)
    response = api.send("post", "/pledges", PLEDGE)
    assert response.status_code == 201, response.content
    pledge = response.json()
    assert pledge["eligible_outcomes"] == ["recognized"]
    assert pledge["fulfilment"]["share_fulfilled"] == 0.0

    revised = {**PLEDGE, "places": 1000, "version": 1, "reason": "500 more in Geneva"}
    assert api.send("put", f"/pledges/{pledge['id']}", revised).json()["places"] == 1000
    stale = api.send("put", f"/pledges/{pledge['id']}", {**revised, "places": 900})
    assert stale.status_code == 409
    revisions = api.get(f"/pledges/{pledge['id']}/revisions").json()
    assert [(r["number"], r["places"]) for r in revisions] == [(1, 500), (2, 1000)]

    bad = api.send("post", "/pledges", {**PLEDGE, "target_nationalities": ["XXY"]})
    assert bad.status_code == 422


def test_every_role_reads_pledges_only_supervisors_record_them(client, personas, pledge):
    for user in (personas.statistician, personas.lawyer, personas.auditor):
        api = _Api(client, user)
        assert [p["id"] for p in api.get("/pledges").json()] == [pledge.pk]
        assert api.send("post", "/pledges", PLEDGE).status_code == 404


def test_a_referral_through_the_api(client, personas, pledge, family):
    principal, spouse, child = members(family)
    officer, supervisor = _Api(client, personas.officer), _Api(client, personas.supervisor)
    response = officer.send(
        "post",
        "/referrals",
        {
            "case_id": family.pk,
            "person_ids": [principal.pk, spouse.pk, child.pk],
            "pledge_id": pledge.pk,
            "categories": ["protection_needs"],
            "identified_on": "2015-06-01",
        },
    )
    assert response.status_code == 201, response.content
    referral = response.json()
    assert referral["case_number"] == family.number
    assert referral["person_ids"] == [principal.pk, spouse.pk, child.pk]
    assert referral["status"] == "identified"

    again = officer.send(
        "post",
        "/referrals",
        {
            "case_id": family.pk,
            "person_ids": [principal.pk],
            "receiving_country": "NZL",
            "programme_type": "resettlement",
            "categories": ["medical"],
            "identified_on": "2015-06-02",
        },
    )
    assert again.status_code == 400 and "open referral" in again.json()["detail"]

    path = f"/referrals/{referral['id']}/steps/submit"
    assert officer.send("post", path, {"version": 1, "on": "2015-07-01"}).status_code == 404
    submitted = supervisor.send("post", path, {"version": 1, "on": "2015-07-01"})
    assert submitted.json()["status"] == "submitted"
    assert supervisor.send("post", path, {"version": 2, "on": "2015-07-02"}).status_code == 400
    stale = supervisor.send(
        "post", f"/referrals/{referral['id']}/steps/accept", {"version": 1, "on": "2015-08-01"}
    )
    assert stale.status_code == 409

    fulfilment = supervisor.get(f"/pledges/{pledge.pk}/fulfilment").json()
    assert fulfilment["fulfilment"]["submitted"] == 3
    assert CaseEvent.objects.filter(case=family, verb="referral_submitted").count() == 1


def test_referrals_are_seen_through_their_case(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    outsider = _Api(client, personas.outsider)
    assert outsider.get(f"/referrals/{referral.pk}").status_code == 404
    assert outsider.get("/referrals").json() == {"count": 0, "items": []}
    assert (
        outsider.send(
            "put",
            f"/referrals/{referral.pk}",
            {"version": 1, "categories": ["medical"], "priority": "normal"},
        ).status_code
        == 404
    )
    assert _Api(client, personas.statistician).get("/referrals").status_code == 404

    officer = _Api(client, personas.officer)
    listed = officer.get("/referrals", status="identified", pledge_id=pledge.pk).json()
    assert [r["id"] for r in listed["items"]] == [referral.pk]
    assert officer.get(f"/referrals/{referral.pk}").json()["categories"] == ["protection_needs"]
    assert AuditEntry.objects.filter(
        action="referral_view", channel="api", object_id=referral.pk
    ).exists()

    changed = officer.send(
        "put",
        f"/referrals/{referral.pk}",
        {"version": 1, "categories": ["medical"], "priority": "emergency"},
    ).json()
    assert (changed["priority"], changed["version"]) == ("emergency", 2)
    assert Referral.objects.get().categories == ["medical"]
    assert date.fromisoformat(changed["identified_on"]) == date(2015, 6, 1)
