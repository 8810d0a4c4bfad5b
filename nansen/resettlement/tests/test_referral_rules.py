"""The referral's status rules: the table of steps, the dates, the reasons, who may act, and
who may be submitted."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from nansen.audit.models import CaseEvent
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Application, Decision, Instance
from nansen.registration.services import case_register
from nansen.resettlement.models import Referral, ReferralStatus
from nansen.resettlement.selectors import PENDING, current_status
from nansen.resettlement.services import pledge_record, referral_move
from nansen.resettlement.tests.factories import (
    IDENTIFIED,
    decided_family,
    members,
    move,
    pledge_input,
    refer,
)
from nansen.testing import person_input


def test_a_recognised_family_goes_from_identification_to_arrival(personas, family, pledge):
    referral = refer(personas, family, pledge)
    for step, on in (
        ("submit", date(2015, 7, 1)),
        ("accept", date(2015, 9, 1)),
        ("depart", date(2015, 11, 2)),
        ("arrive", date(2015, 11, 3)),
    ):
        referral = move(personas, referral, step, on)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ARRIVED
    assert referral.status_on == date(2015, 11, 3)
    assert [d for _label, d in referral.dates()] == [
        IDENTIFIED,
        date(2015, 7, 1),
        date(2015, 9, 1),
        date(2015, 11, 2),
        date(2015, 11, 3),
    ]
    assert not referral.is_open
    events = CaseEvent.objects.filter(case=family, object_type="referral").order_by("pk")
    assert [(e.verb, e.state_before, e.state_after) for e in events] == [
        ("referral_identified", "", "identified"),
        ("referral_submitted", "identified", "submitted"),
        ("referral_accepted", "submitted", "accepted"),
        ("referral_departed", "accepted", "departed"),
        ("referral_arrived", "departed", "arrived"),
    ]
    assert events[0].details["persons"] == [p.pk for p in members(family)]


def test_a_case_cannot_be_referred_twice_while_a_referral_is_open(personas, family, pledge):
    refer(personas, family, pledge)
    with pytest.raises(NotAllowed, match="already has an open referral"):
        refer(personas, family)
    assert Referral.objects.count() == 1


def test_the_database_refuses_a_second_open_referral_of_a_case(personas, family, pledge):
    first = refer(personas, family, pledge)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            case=family,
            office=family.office,
            programme_type="resettlement",
            receiving_country="NZL",
            status_on=IDENTIFIED,
            identified_on=IDENTIFIED,
            created_by=personas.supervisor,
        )
    assert list(Referral.objects.all()) == [first]


def test_a_closed_referral_lets_the_case_be_referred_again(personas, family, pledge):
    referral = refer(personas, family, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))
    move(personas, referral, "reject", date(2015, 8, 1), reason="quota")
    again = refer(personas, family, receiving_country="NZL", identified_on=date(2015, 8, 3))
    assert again.status == ReferralStatus.IDENTIFIED


@pytest.mark.usefixtures("assessments_drafted")
def test_a_rejected_applicant_cannot_be_submitted_where_recognition_is_required(personas, pledge):
    case = decided_family(personas, outcomes=("recognized", "rejected"))
    referral = refer(personas, case, pledge)
    with pytest.raises(NotAllowed, match=r"Rania AL-HASSAN cannot be submitted.*Rejected"):
        move(personas, referral, "submit", date(2015, 7, 1))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IDENTIFIED
    assert referral.submitted_on is None


@pytest.mark.usefixtures("assessments_drafted")
def test_complementary_protection_is_refused_unless_the_pledge_accepts_it(personas):
    case = decided_family(personas, outcomes=("complementary", "complementary"))
    strict = pledge_record(actor=personas.supervisor, data=pledge_input())
    referral = refer(personas, case, strict)
    with pytest.raises(NotAllowed, match="current status is “Complementary protection”"):
        move(personas, referral, "submit", date(2015, 7, 1))
    move(personas, referral, "withdraw", date(2015, 7, 2), reason="other_solution")

    wider = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(
            receiving_country="DEU",
            programme_type="humanitarian_admission",
            eligible_outcomes=["recognized", "complementary"],
        ),
    )
    referral = refer(personas, case, wider, identified_on=date(2015, 7, 2))
    move(personas, referral, "submit", date(2015, 7, 3))


@pytest.mark.usefixtures("assessments_drafted")
def test_an_applicant_awaiting_a_decision_cannot_be_submitted(personas, pledge):
    case = decided_family(personas, outcomes=("recognized", None))
    referral = refer(personas, case, pledge)
    with pytest.raises(NotAllowed, match="no decision has recognised their status yet"):
        move(personas, referral, "submit", date(2015, 7, 1))


@pytest.mark.usefixtures("assessments_drafted")
def test_dependants_who_never_applied_travel_with_a_recognised_refugee(personas, pledge):
    case = decided_family(personas, outcomes=("recognized", ""), children=2)
    referral = refer(personas, case, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))
    statuses = current_status(person_ids=[p.pk for p in members(case)])
    assert sorted(statuses.values()) == ["recognized"]


def test_a_family_with_no_recognised_member_cannot_be_submitted(personas, pledge):
    case = decided_family(personas, outcomes=("", ""))
    referral = refer(personas, case, pledge)
    with pytest.raises(NotAllowed, match="No referred member holds a status"):
        move(personas, referral, "submit", date(2015, 7, 1))


@pytest.mark.usefixtures("assessments_drafted")
def test_the_latest_decision_across_instances_is_the_current_status(personas, pledge):
    case = decided_family(personas, outcomes=("rejected", "recognized"))
    principal = members(case)[0]
    assert current_status(person_ids=[principal.pk]) == {principal.pk: "rejected"}
    # The appeal engine is being built; its decision is written here as it will store it.
    Decision.objects.create(
        application=Application.objects.get(person=principal),
        instance=Instance.APPEAL,
        outcome="recognized",
        decided_on=date(2015, 5, 4),
        decided_by=personas.supervisor,
        reasons="On appeal, the fear of persecution is well founded.",
    )
    assert current_status(person_ids=[principal.pk]) == {principal.pk: "recognized"}
    referral = refer(personas, case, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))


def test_current_status_distinguishes_pending_from_never_applied(personas):
    case = decided_family(personas, outcomes=(None, ""))
    principal, spouse, child = members(case)
    assert current_status(person_ids=[principal.pk, spouse.pk, child.pk]) == {principal.pk: PENDING}


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ((), "depart"),
        ((), "accept"),
        (("submit",), "arrive"),
        (("submit", "accept"), "arrive"),
        (("submit", "accept", "depart"), "withdraw"),
        (("submit", "reject"), "submit"),
    ],
)
def test_steps_follow_the_table(personas, family, pledge, steps, refused):
    referral = refer(personas, family, pledge)
    reasons = {"reject": "criteria", "withdraw": "by_refugee"}
    for step in steps:
        move(personas, referral, step, date(2015, 7, 1), reason=reasons.get(step, ""))
    with pytest.raises(NotAllowed, match="not possible while the referral is"):
        move(personas, referral, refused, date(2015, 7, 2), reason=reasons.get(refused, ""))


@pytest.mark.usefixtures("assessments_drafted")
def test_rejection_and_withdrawal_record_their_reason(personas, pledge):
    rejected = refer(personas, decided_family(personas), pledge)
    move(personas, rejected, "submit", date(2015, 7, 1))
    with pytest.raises(NotAllowed, match="Say why"):
        move(personas, rejected, "reject", date(2015, 8, 1))
    move(
        personas,
        rejected,
        "reject",
        date(2015, 8, 1),
        reason="security",
        reason_details="Screening not completed in time.",
    )
    rejected.refresh_from_db()
    assert (rejected.status, rejected.rejection_reason, rejected.rejected_on) == (
        "rejected",
        "security",
        date(2015, 8, 1),
    )
    assert rejected.reason_details == "Screening not completed in time."

    withdrawn = refer(personas, decided_family(personas), pledge)
    with pytest.raises(NotAllowed, match="Say why"):
        move(personas, withdrawn, "withdraw", date(2015, 7, 1), reason="criteria")
    move(personas, withdrawn, "withdraw", date(2015, 7, 1), reason="other_solution")
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawal_reason == "other_solution"
    event = CaseEvent.objects.filter(verb="referral_withdrawn").get()
    assert event.details == {"on": "2015-07-01", "reason": "other_solution"}
    with pytest.raises(NotAllowed, match="takes no reason"):
        referral = refer(personas, decided_family(personas), pledge)
        move(personas, referral, "submit", date(2015, 7, 1), reason="criteria")


def test_dates_neither_go_back_nor_into_the_future(personas, family, pledge):
    referral = refer(personas, family, pledge)
    with pytest.raises(NotAllowed, match="cannot come before"):
        move(personas, referral, "submit", date(2015, 5, 31))
    with pytest.raises(NotAllowed, match="cannot be in the future"):
        move(personas, referral, "submit", date(2999, 1, 1))


def test_no_one_is_referred_to_the_country_they_fled(personas, family):
    with pytest.raises(NotAllowed, match="Syria is a country a member of this case comes from"):
        refer(personas, family, receiving_country="SYR")


@pytest.mark.usefixtures("assessments_drafted")
def test_a_pledge_takes_only_its_target_population(personas):
    afghans = case_register(
        actor=personas.clerk,
        principal=person_input(country_of_origin="AFG", nationalities=["AFG"]),
    )
    pledge = pledge_record(actor=personas.supervisor, data=pledge_input())
    with pytest.raises(NotAllowed, match="for nationals of Syria"):
        refer(personas, afghans, pledge)
    from_lebanon = pledge_record(
        actor=personas.supervisor, data=pledge_input(target_first_asylum=["LBN", "JOR"])
    )
    with pytest.raises(NotAllowed, match="takes refugees from Lebanon, Jordan, not from Japan"):
        refer(personas, decided_family(personas), from_lebanon)


def test_resettlement_names_a_submission_category_other_pathways_need_not(personas, family):
    with pytest.raises(NotAllowed, match="at least one submission category"):
        refer(personas, family, categories=[])
    refer(
        personas,
        family,
        programme_type="humanitarian_admission",
        receiving_country="DEU",
        categories=[],
    )


def test_an_education_pathway_is_submitted_with_a_complete_profile(personas, family):
    students = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(receiving_country="JPN", programme_type="education", places=None),
    )
    with pytest.raises(NotAllowed, match="profile has no salary"):
        refer(personas, family, students, profile={"salary": "high"})
    with pytest.raises(NotAllowed, match="ISO 639-3"):
        refer(personas, family, students, profile={"languages": ["arabic"]})
    referral = refer(
        personas,
        family,
        students,
        categories=[],
        profile={"education_level": "bachelor", "field_of_study": "Engineering"},
    )
    with pytest.raises(NotAllowed, match=r"not complete: Languages.*Admission"):
        move(personas, referral, "submit", date(2015, 7, 1))

    from nansen.resettlement.services import referral_update

    referral_update(
        actor=personas.officer,
        referral=referral,
        expected_version=referral.version,
        categories=[],
        priority="urgent",
        profile={
            "education_level": "bachelor",
            "field_of_study": "Engineering",
            "languages": ["ara", "eng"],
            "admission": "offered",
        },
    )
    move(personas, referral, "submit", date(2015, 7, 1))
    referral.refresh_from_db()
    assert referral.profile["languages"] == ["ara", "eng"]
    assert referral.priority == "urgent"
    assert CaseEvent.objects.filter(verb="referral_updated").get().details == {
        "changed": ["priority", "profile"]
    }


def test_officers_identify_and_withdraw_supervisors_submit(personas, family, pledge):
    with pytest.raises(Http404):
        refer(personas, family, pledge, actor=personas.clerk)
    referral = refer(personas, family, pledge, actor=personas.officer)
    with pytest.raises(Http404):
        move(personas, referral, "submit", date(2015, 7, 1), actor=personas.officer)
    move(personas, referral, "submit", date(2015, 7, 1), actor=personas.supervisor)
    move(
        personas, referral, "withdraw", date(2015, 7, 2), actor=personas.officer, reason="deceased"
    )


def test_only_the_case_members_are_referred(personas, family, pledge):
    other = decided_family(personas)
    with pytest.raises(NotAllowed, match="Choose the members of this case"):
        refer(personas, family, pledge, persons=members(other)[:1])
    with pytest.raises(NotAllowed, match="Choose the members of this case"):
        refer(personas, family, pledge, persons=[])


def test_a_step_on_a_stale_referral_is_refused(personas, family, pledge):
    referral = refer(personas, family, pledge)
    stale = Referral.objects.get(pk=referral.pk)
    move(personas, referral, "submit", date(2015, 7, 1))
    with pytest.raises(ConcurrentEditError):
        referral_move(
            actor=personas.supervisor,
            referral=stale,
            expected_version=stale.version,
            step="withdraw",
            on=date(2015, 7, 2),
            reason="by_refugee",
        )
