"""Complete procedures under jp-icrra, through the services, with time pinned."""

from datetime import date

import pytest

from nansen.audit.models import CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import Deadline, Decision
from nansen.procedures.tests.conftest import at, interview_held


def _lodge(personas, family, person, on: str, **kwargs):
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=[person],
        lodged_on=date.fromisoformat(on),
        **kwargs,
    )
    return application


def _decide(actor, application, outcome: str, on: str, **kwargs):
    application.refresh_from_db()
    return services.decision_record(
        actor=actor,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        decided_on=date.fromisoformat(on),
        reasons=kwargs.pop("reasons", "The accepted facts are assessed against Art. 1A(2)."),
        **kwargs,
    )


@pytest.mark.usefixtures("assessments_drafted")
def test_it_recognises_a_refugee_at_first_instance(
    time_machine, personas, family, members, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    assert (application.profile, application.stage) == ("jp-icrra", "lodged")
    assert application.suspends_removal is True

    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    assert application.stage == "interviewed"
    time_machine.move_to(at("2025-05-01 10:00"), tick=False)
    decision = _decide(personas.officer, application, "recognized", "2025-05-01")
    assert decision.form == "recognition"
    letter = services.letter_issue(actor=personas.officer, decision=decision, language="ja")
    services.letter_notify(actor=personas.officer, letter=letter, notified_on=date(2025, 5, 1))

    application.refresh_from_db()
    assert application.stage == "recognized"
    assert not Deadline.objects.filter(application=application).exists()
    assert letter.last_day is None
    assert list(
        CaseEvent.objects.filter(case=family)
        .exclude(verb="case_registered")
        .exclude(verb__startswith="assessment_")
        .values_list("verb", flat=True)
    ) == [
        "application_lodged",
        "interview_scheduled",
        "interview_recorded",
        "decision_recorded",
        "letter_issued",
        "decision_notified",
    ]


@pytest.mark.usefixtures("assessments_drafted")
def test_a_refusal_is_reviewed_in_time_with_three_counsellors_and_decided(
    time_machine, personas, family, members, office_setup, dual
):
    time_machine.move_to(at("2025-02-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-02-03")
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-02-10",
    )
    time_machine.move_to(at("2025-04-25 10:00"), tick=False)
    refusal = _decide(dual, application, "rejected", "2025-04-25")
    assert refusal.form == "refusal-of-status"

    # Notified the Monday before Golden Week: seven days end on Children's Day, then the
    # substitute holiday, so the last day is Wednesday 7 May.
    time_machine.move_to(at("2025-04-28 10:00"), tick=False)
    letter = services.letter_issue(actor=personas.officer, decision=refusal, language="en")
    assert letter.last_day == date(2025, 5, 7)
    services.letter_notify(actor=personas.officer, letter=letter, notified_on=date(2025, 4, 28))
    deadline = Deadline.objects.get(application=application, rule="review-request")
    assert (deadline.due_on, deadline.status, deadline.party) == (
        date(2025, 5, 7),
        "open",
        "applicant",
    )

    time_machine.move_to(at("2025-05-07 16:00"), tick=False)
    application.refresh_from_db()
    appeal = services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 5, 7),
        grounds="The risk on return was not assessed.",
    )
    assert appeal.in_time and appeal.due_on == date(2025, 5, 7)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.closed_by) == ("met", "lodge_appeal")

    # The officer who refused may not examine the request (ACRA Art. 9(2)).
    with pytest.raises(NotAllowed, match=r"jp-icrra › appeal\.excluded.*took the first-instance"):
        services.appeal_assign(
            actor=personas.supervisor, appeal=appeal, expected_version=appeal.version, officer=dual
        )
    services.appeal_assign(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        officer=personas.appeals,
    )
    appeal.refresh_from_db()
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        services.appeal_decide(
            actor=personas.appeals,
            appeal=appeal,
            expected_version=appeal.version,
            outcome="upheld",
            decided_on=date(2025, 5, 8),
            reasons="x",
        )

    time_machine.move_to(at("2025-07-15 10:00"), tick=False)
    for name, finding in (
        ("Counsellor A", "no_grounds"),
        ("Counsellor B", "no_grounds"),
        ("Counsellor C", "grounds"),
    ):
        counsellor = services.counsellor_register(actor=personas.supervisor, name=name)
        appeal.refresh_from_db()
        services.counsellor_designate(
            actor=personas.supervisor,
            appeal=appeal,
            expected_version=appeal.version,
            counsellor=counsellor,
            designated_on=date(2025, 5, 8),
        )
        services.counsellor_opinion_record(
            actor=personas.appeals,
            appeal=appeal,
            counsellor=counsellor,
            finding=finding,
            summary=f"Opinion of {name}.",
            given_on=date(2025, 7, 14),
        )
    application.refresh_from_db()
    assert application.stage == "appeal_lodged"  # the oral hearing is still to come
    fourth = services.counsellor_register(actor=personas.supervisor, name="Counsellor D")
    with pytest.raises(NotAllowed, match="Counsellor D is not designated"):
        services.counsellor_opinion_record(
            actor=personas.appeals,
            appeal=appeal,
            counsellor=fourth,
            finding="grounds",
            summary="x",
            given_on=date(2025, 7, 14),
        )
    appeal.refresh_from_db()
    services.appeal_hearing_record(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        held_on=date(2025, 7, 1),
    )
    application.refresh_from_db()
    assert application.stage == "counsellors_heard"

    appeal.refresh_from_db()
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="upheld",
        decided_on=date(2025, 7, 15),
        reasons="The majority of the counsellors found no grounds.",
    )
    application.refresh_from_db()
    assert application.stage == "upheld"
    on_review = Decision.objects.get(application=application, instance="appeal")
    assert (on_review.outcome, on_review.decided_by) == ("rejected", personas.appeals)

    # Notification of the ruling on review starts the six months for a court action.
    letter = services.letter_issue(actor=personas.appeals, decision=on_review, language="en")
    services.letter_notify(actor=personas.appeals, letter=letter, notified_on=date(2025, 7, 15))
    court = Deadline.objects.get(application=application, rule="court-action")
    assert court.due_on == date(2026, 1, 15)
    time_machine.move_to(at("2025-12-01 10:00"), tick=False)
    application.refresh_from_db()
    action = services.appeal_lodge(
        actor=personas.supervisor,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 12, 1),
        grounds="Action for revocation filed at the Tokyo District Court.",
        instance="judicial",
    )
    assert action.in_time
    application.refresh_from_db()
    assert application.stage == "in_court"


def test_a_third_application_is_marked_as_not_suspending_removal(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2025-01-10 09:00"), tick=False)
    principal, spouse = members[0], members[1]
    third = _lodge(personas, family, principal, "2025-01-10", ordinals={principal.pk: 3})
    second = _lodge(personas, family, spouse, "2025-01-10", ordinals={spouse.pk: 2})
    assert (third.suspends_removal, third.removal_exception) == (
        False,
        "third-or-later-application",
    )
    assert (second.suspends_removal, second.removal_exception) == (True, "")
    event = CaseEvent.objects.get(verb="application_lodged", object_id=third.pk)
    assert event.details["suspends_removal"] is False

    services.application_reasonable_grounds_record(
        actor=personas.officer,
        application=third,
        expected_version=third.version,
        note="A court judgment on the applicant's brother, not available before.",
    )
    third.refresh_from_db()
    assert third.suspends_removal is True and third.reasonable_grounds_shown


def test_before_10_june_2024_a_third_application_still_suspended_removal(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2024-06-09 09:00"), tick=False)
    principal = members[0]
    third = _lodge(personas, family, principal, "2024-06-09", ordinals={principal.pk: 3})
    assert (third.suspends_removal, third.removal_exception) == (True, "")


@pytest.mark.usefixtures("assessments_drafted")
def test_complementary_protection_exists_only_from_1_december_2023(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2023-11-30 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2023-06-01")
    with pytest.raises(NotAllowed, match=r"jp-icrra › forms\.complementary-protection.*2023-12-01"):
        _decide(
            personas.officer,
            application,
            "complementary",
            "2023-11-30",
            form="complementary-protection",
            without_interview_reason="Decided on the papers.",
        )
    decision = _decide(
        personas.officer,
        application,
        "complementary",
        "2023-11-30",
        without_interview_reason="Decided on the papers.",
    )
    assert decision.form == "humanitarian-stay"
    assert "special permission to stay" in decision.form_label


@pytest.mark.usefixtures("assessments_drafted")
def test_a_step_by_a_role_the_profile_does_not_allow_names_the_rule(
    time_machine, personas, family, members, dual
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    refusal = _decide(
        dual,
        application,
        "rejected",
        "2025-03-03",
        without_interview_reason="The applicant declined to be interviewed.",
    )
    services.decision_notify(actor=personas.officer, decision=refusal, notified_on=date(2025, 3, 3))
    application.refresh_from_db()
    with pytest.raises(NotAllowed, match=r"jp-icrra › decide .*not possible at the stage “Refused"):
        _decide(personas.officer, application, "recognized", "2025-03-03")
    # A supervisor may record a court action, but not at this stage (review comes first).
    with pytest.raises(NotAllowed, match=r"jp-icrra › lodge_court_action \(ACLA Art\. 14\(1\)"):
        services.appeal_lodge(
            actor=personas.supervisor,
            application=application,
            expected_version=application.version,
            lodged_on=date(2025, 3, 3),
            grounds="x",
            instance="judicial",
        )
    # Appeals officers may lodge a request for review, but only an appeals officer decides.
    appeal = services.appeal_lodge(
        actor=personas.appeals,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 3, 3),
        grounds="x",
    )
    assert appeal.in_time


@pytest.mark.usefixtures("assessments_drafted")
def test_a_late_review_request_needs_its_justification(time_machine, personas, family, members):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    refusal = _decide(
        personas.officer,
        application,
        "rejected",
        "2025-03-03",
        without_interview_reason="The applicant declined to be interviewed.",
    )
    services.decision_notify(actor=personas.officer, decision=refusal, notified_on=date(2025, 3, 3))
    time_machine.move_to(at("2025-03-20 09:00"), tick=False)
    application.refresh_from_db()
    with pytest.raises(NotAllowed, match="record why it is late"):
        services.appeal_lodge(
            actor=personas.clerk,
            application=application,
            expected_version=application.version,
            lodged_on=date(2025, 3, 20),
            grounds="x",
        )
    appeal = services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 3, 20),
        grounds="x",
        late_justification="In hospital from 4 to 18 March (certificate attached).",
    )
    assert (appeal.in_time, appeal.due_on) == (False, date(2025, 3, 10))
