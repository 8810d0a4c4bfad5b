"""Pledges, decided families and referrals for the resettlement tests (and the browser test),
made through the same services as the pages."""

from __future__ import annotations

from datetime import date

from nansen.procedures.services import (
    application_lodge,
    application_record_interview,
    decision_record,
)
from nansen.registration.models import Case, Person
from nansen.resettlement.services import PledgeInput, referral_identify
from nansen.testing import register_family

LODGED = date(2014, 1, 6)
INTERVIEWED = date(2014, 11, 3)
DECIDED = date(2015, 3, 2)
IDENTIFIED = date(2015, 6, 1)


def pledge_input(**overrides) -> PledgeInput:
    values = {
        "receiving_country": "CAN",
        "programme_type": "resettlement",
        "title": "Syrian refugees",
        "places": 10,
        "announced_on": date(2015, 3, 1),
        "source_title": "Government announcement (test)",
        "target_nationalities": ["SYR"],
        "period_start": date(2015, 1, 1),
        "period_end": date(2016, 12, 31),
    }
    values.update(overrides)
    return PledgeInput(**values)


def members(case: Case) -> list[Person]:
    return [m.person for m in case.members.select_related("person").order_by("pk")]


def decided_family(personas, *, outcomes=("recognized", "recognized"), children=1, **kw) -> Case:
    """A family whose principal and spouse applied and were decided; the children never
    applied (dependants). ``outcomes`` are the principal's and the spouse's; None leaves an
    application undecided, "" lodges none."""
    case = register_family(personas.clerk, children=children, **kw)
    people = members(case)
    applicants = [p for p, outcome in zip(people, outcomes, strict=False) if outcome != ""]
    if not applicants:
        return case
    applications = application_lodge(
        actor=personas.clerk, case=case, persons=applicants, lodged_on=LODGED
    )
    for application, outcome in zip(applications, [o for o in outcomes if o != ""], strict=True):
        if outcome is None:
            continue
        application = application_record_interview(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            interview_on=INTERVIEWED,
        )
        decision_record(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            outcome=outcome,
            decided_on=DECIDED,
            reasons="The accepted facts establish a well-founded fear.",
        )
    return case


def refer(personas, case, pledge=None, **overrides):
    values = {
        "actor": personas.supervisor,
        "case": case,
        "persons": members(case),
        "identified_on": IDENTIFIED,
        "pledge": pledge,
        "categories": ["protection_needs"],
    }
    if pledge is None:
        values.update(programme_type="resettlement", receiving_country="CAN")
    values.update(overrides)
    return referral_identify(**values)


def move(personas, referral, step, on, actor=None, **extra):
    from nansen.resettlement.services import referral_move

    referral.refresh_from_db()
    return referral_move(
        actor=actor or personas.supervisor,
        referral=referral,
        expected_version=referral.version,
        step=step,
        on=on,
        **extra,
    )
