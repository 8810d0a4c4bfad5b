"""Every road out of Nansen is declared, consults the guard, and is refused toward a shielded
country; a function that sends data somewhere and is not a declared road fails here.

Also the resettlement roads of issue 19, section 1: a referral, its changes and steps, and
the referral export.
"""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from django.urls import reverse

import nansen
from nansen.audit.models import CaseEvent
from nansen.procedures.services.letters import letter_issue, letter_notify
from nansen.protection.models import LegalHold
from nansen.protection.services import disclosure_record, person_export_record
from nansen.protection.tests.test_guard import _decision, _members, family  # noqa: F401
from nansen.registration.guard import (
    NOBODY,
    ROADS,
    GuardRefused,
    RoadUnguarded,
    guard_check,
    outward_road,
)
from nansen.registration.models import Person
from nansen.resettlement.exports import referral_export_check
from nansen.resettlement.models import Referral
from nansen.resettlement.services import referral_update
from nansen.resettlement.tests.factories import decided_family, move, refer

# A parameter with one of these names says where data goes: a function that takes one is
# a road out of Nansen, or is listed below with the reason it is not.
WHERE_IT_GOES = {
    "recipient",
    "recipient_country",
    "receiving_country",
    "addressee_country",
    "acts_for_country",
    "addressee_kind",
}
NOT_ROADS = {
    # Records a consent inside Nansen; what it allows goes out on a road, later.
    "nansen.protection.services.guard_exception_request",
    # The guard itself.
    "nansen.registration.guard.guard_check",
}
SKIPPED_PACKAGES = (".tests", ".migrations", ".management", ".demo", ".settings")


def _every_module():
    for info in pkgutil.walk_packages(nansen.__path__, prefix="nansen."):
        if any(part in info.name for part in SKIPPED_PACKAGES):
            continue
        yield importlib.import_module(info.name)


def _functions_that_send():
    found = {}
    for module in _every_module():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = set(inspect.signature(function).parameters)
            if parameters & WHERE_IT_GOES:
                found[f"{module.__name__}.{name}"] = function
    return found


def test_every_function_that_sends_data_out_is_a_declared_road():
    found = _functions_that_send()
    assert "nansen.protection.services.disclosure_record" in found  # the scan sees roads
    undeclared = sorted(
        name
        for name, function in found.items()
        if name not in NOT_ROADS and getattr(function, "outward_road", None) not in ROADS
    )
    assert not undeclared, f"not declared with @outward_road: {undeclared}"
    for name in NOT_ROADS:
        assert name in found, f"{name} is listed as no road but no longer takes a recipient"


def test_a_road_that_forgets_the_guard_is_undone(personas, family):  # noqa: F811
    @outward_road("test_forgetful", description="for this test")
    def forgetful(*, actor, case):
        return LegalHold.objects.create(case=case, reason="sent", placed_by=actor)

    try:
        with pytest.raises(RoadUnguarded):
            forgetful(actor=personas.supervisor, case=family)
        assert not LegalHold.objects.exists()
    finally:
        ROADS.pop("test_forgetful")
    with pytest.raises(RoadUnguarded):  # the guard outside a road: a road is missing
        guard_check(road="disclosure", recipient=NOBODY, cases=[family])


def _fears(person, country):
    Person.objects.filter(pk=person.pk).update(feared_countries=[country])


def _probe_disclosure(personas, case):
    disclosure_record(
        actor=personas.officer, case=case, persons=_members(case)[1:], recipient="Ministry",
        recipient_kind="other", recipient_country="ERI", legal_basis="consent", shared="Name",
    )  # fmt: skip


def _probe_person_export(personas, case):
    from nansen.registration.guard import Recipient

    person_export_record(
        actor=personas.supervisor, person=_members(case)[1], form="json",
        recipient=Recipient(name="Office", kind="ngo", country="ERI"),
    )  # fmt: skip


def _probe_letter(personas, case):
    letter_issue(
        actor=personas.officer, decision=_decision(personas, case, _members(case)[1]),
        language="en", notification_on=date(2014, 3, 3), addressee_kind="authority",
        addressee_country="ERI",
    )  # fmt: skip


def _probe_letter_notification(personas, case):
    tesfay, saba = _members(case)
    copy = letter_issue(
        actor=personas.officer, decision=_decision(personas, case, saba), language="en",
        notification_on=date(2014, 3, 3), addressee_kind="authority", addressee_country="KEN",
    )  # fmt: skip
    _fears(tesfay, "KEN")
    letter_notify(actor=personas.officer, letter=copy, notified_on=date(2014, 3, 3))


def _probe_referral(personas, case):
    refer(personas, case, persons=_members(case)[1:], receiving_country="ERI")


def _referral_then_fear(personas, case):
    tesfay, _saba = _members(case)
    referral = refer(personas, case)
    _fears(tesfay, "CAN")
    referral.refresh_from_db()
    return referral


def _probe_referral_update(personas, case):
    referral = _referral_then_fear(personas, case)
    referral_update(
        actor=personas.supervisor, referral=referral, expected_version=referral.version,
        categories=["medical"], priority="normal", profile={},
    )  # fmt: skip


def _probe_referral_step(personas, case):
    move(personas, _referral_then_fear(personas, case), "submit", date(2015, 7, 1))


def _probe_referral_export(personas, case):
    _referral_then_fear(personas, case)
    referral_export_check(actor=personas.supervisor, referrals=Referral.objects.all())


ROAD_PROBES = {
    "disclosure": _probe_disclosure,
    "person_export": _probe_person_export,
    "letter": _probe_letter,
    "letter_notification": _probe_letter_notification,
    "referral": _probe_referral,
    "referral_update": _probe_referral_update,
    "referral_step": _probe_referral_step,
    "referral_export": _probe_referral_export,
}


def test_every_road_has_a_probe():
    list(_every_module())  # every road declared
    assert set(ROAD_PROBES) == set(ROADS)


@pytest.mark.parametrize("road", sorted(ROAD_PROBES))
@pytest.mark.usefixtures("assessments_drafted")
def test_every_road_refuses_and_records_the_refusal(personas, family, road):  # noqa: F811
    with pytest.raises(GuardRefused) as refused:
        ROAD_PROBES[road](personas, family)
    assert refused.value.road == road
    refusals = CaseEvent.objects.filter(
        case=family, verb__in=["guard_refused", "disclosure_refused"]
    )
    events = [e for e in refusals if e.details["road"] == road]
    assert len(events) == 1, road


# --- resettlement ----------------------------------------------------------------------------


def test_the_api_refuses_to_refer_the_wife_to_her_husbands_country(client, personas, family):  # noqa: F811
    _tesfay, saba = _members(family)
    client.force_login(personas.officer)
    response = client.post(
        "/api/resettlement/referrals",
        {
            "case_id": family.pk,
            "person_ids": [saba.pk],
            "programme_type": "resettlement",
            "receiving_country": "ERI",
            "categories": ["protection_needs"],
            "identified_on": "2015-06-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "Eritrea" in response.json()["detail"]
    assert not Referral.objects.exists()
    (event,) = CaseEvent.objects.filter(case=family, verb="guard_refused")
    assert event.details["road"] == "referral" and event.details["country"] == "ERI"


@pytest.mark.usefixtures("assessments_drafted")
def test_a_referral_is_not_submitted_to_a_country_a_member_came_to_fear(personas):
    syrians = decided_family(personas)
    referral = refer(personas, syrians)
    _fears(_members(syrians)[1], "CAN")
    with pytest.raises(GuardRefused, match="Canada"):
        move(personas, referral, "submit", date(2015, 7, 1))
    referral.refresh_from_db()
    assert referral.status == "identified"
    # Withdrawing it sends nothing, and stays possible.
    move(personas, referral, "withdraw", date(2015, 7, 1), reason="other")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


@pytest.mark.usefixtures("assessments_drafted")
def test_the_referral_export_is_refused_while_such_a_referral_is_in_it(client, personas):
    syrians = decided_family(personas)
    refer(personas, syrians)
    client.force_login(personas.supervisor)
    url = reverse("resettlement:referrals_export", args=["csv"])
    assert client.get(url).status_code == 200
    _fears(_members(syrians)[0], "CAN")
    response = client.get(url)
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=syrians, verb="guard_refused").count() == 1
