"""The request for examination (審査請求) under jp-icrra as the law has it: counsellors as
persons, outcomes inadmissible and withdrawn, the oral hearing refused, and a request sent
by post, each with time pinned before and after 1 December 2023 and 10 June 2024."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from nansen.accounts.models import ApiToken
from nansen.audit.models import AuditEntry, CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import (
    Appeal,
    Counsellor,
    CounsellorDesignation,
    CounsellorOpinion,
    Deadline,
    Decision,
    Interpreter,
    Room,
)
from nansen.procedures.tests.conftest import at, interview_held

REASONS = "The accepted facts are assessed against Art. 1A(2)."


def _refused(time_machine, personas, family, person, *, decided: str, notified: str, by=None):
    """An application lodged, interviewed by the officer and refused by ``by`` (the officer
    unless said), the refusal notified on ``notified``."""
    decided_on = date.fromisoformat(decided)
    time_machine.move_to(at(f"{decided} 08:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=[person], lodged_on=decided_on
    )
    room, _ = Room.objects.get_or_create(office=personas.tokyo, name="Interview room 5")
    karim, _ = Interpreter.objects.get_or_create(
        office=personas.tokyo, name="Karim", languages=["ara", "eng"], sex="M"
    )
    interview_held(time_machine, application, personas.officer, karim, room, decided)
    time_machine.move_to(at(f"{decided} 15:00"), tick=False)
    application.refresh_from_db()
    refusal = services.decision_record(
        actor=by or personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=decided_on,
        reasons=REASONS,
    )
    time_machine.move_to(at(f"{notified} 09:00"), tick=False)
    services.decision_notify(
        actor=personas.officer, decision=refusal, notified_on=date.fromisoformat(notified)
    )
    application.refresh_from_db()
    return application, refusal


def _lodge(time_machine, personas, application, on: str, **kwargs) -> Appeal:
    """Lodged on ``on``; the clock moves on to that day if it is not there yet."""
    if timezone.localdate() < date.fromisoformat(on):
        time_machine.move_to(at(f"{on} 16:00"), tick=False)
    application.refresh_from_db()
    return services.appeal_lodge(
        actor=kwargs.pop("actor", personas.clerk),
        application=application,
        expected_version=application.version,
        lodged_on=date.fromisoformat(on),
        grounds="The risk on return was not assessed.",
        **kwargs,
    )


def _register(personas, *names, **links) -> list[Counsellor]:
    return [
        services.counsellor_register(actor=personas.supervisor, name=name, user=links.get(name))
        for name in names
    ]


def _assigned(personas, appeal) -> Appeal:
    services.appeal_assign(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        officer=personas.appeals,
    )
    appeal.refresh_from_db()
    return appeal


def _designate(personas, appeal, counsellor, on: str):
    appeal.refresh_from_db()
    return services.counsellor_designate(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        counsellor=counsellor,
        designated_on=date.fromisoformat(on),
    )


def _opinion(personas, appeal, counsellor, on: str, finding="no_grounds"):
    return services.counsellor_opinion_record(
        actor=personas.appeals,
        appeal=appeal,
        counsellor=counsellor,
        finding=finding,
        summary=f"Opinion of {counsellor.name}.",
        given_on=date.fromisoformat(on),
    )


def _heard(time_machine, personas, appeal, day: str) -> Appeal:
    """Three counsellors designated and heard, the hearing waived: ready for the ruling."""
    time_machine.move_to(at(f"{day} 10:00"), tick=False)
    counsellors = _register(personas, "Aiko Sato", "Kenji Ito", "Mariko Abe")
    for counsellor in counsellors:
        _designate(personas, appeal, counsellor, day)
        _opinion(personas, appeal, counsellor, day)
    appeal.refresh_from_db()
    services.appeal_hearing_record(
        actor=personas.appeals, appeal=appeal, expected_version=appeal.version, waived=True
    )
    appeal.refresh_from_db()
    assert appeal.application.stage == "counsellors_heard"
    return appeal


# --- counsellors are persons --------------------------------------------------------------


@pytest.mark.usefixtures("assessments_drafted")
def test_counsellors_are_designated_from_the_register_and_give_opinions(
    time_machine, personas, family, members
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2025-03-03", notified="2025-03-04"
    )
    appeal = _assigned(personas, _lodge(time_machine, personas, application, "2025-03-05"))
    time_machine.move_to(at("2025-04-01 10:00"), tick=False)
    sato, ito, abe, mori = _register(personas, "Aiko Sato", "Kenji Ito", "Mariko Abe", "Jun Mori")
    with pytest.raises(NotAllowed, match="already has a counsellor named Aiko Sato"):
        services.counsellor_register(actor=personas.supervisor, name=" Aiko Sato ")

    # Only a designated counsellor gives an opinion.
    with pytest.raises(NotAllowed, match="Aiko Sato is not designated for this request"):
        _opinion(personas, appeal, sato, "2025-04-01")
    for counsellor in (sato, ito, abe):
        _designate(personas, appeal, counsellor, "2025-04-01")
    with pytest.raises(NotAllowed, match="The 3 counsellors of this request are already"):
        _designate(personas, appeal, mori, "2025-04-01")

    # One who can no longer sit is replaced before giving an opinion.
    appeal.refresh_from_db()
    services.counsellor_designation_cancel(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        designation=appeal.designations.get(counsellor=abe),
    )
    _designate(personas, appeal, mori, "2025-04-01")
    time_machine.move_to(at("2025-05-20 10:00"), tick=False)
    with pytest.raises(NotAllowed, match="Mariko Abe is not designated"):
        _opinion(personas, appeal, abe, "2025-05-20")
    for counsellor in (sato, ito, mori):
        _opinion(personas, appeal, counsellor, "2025-05-20")
    with pytest.raises(NotAllowed, match="already given an opinion"):
        _opinion(personas, appeal, sato, "2025-05-20")
    appeal.refresh_from_db()
    with pytest.raises(NotAllowed, match="already given an opinion"):
        services.counsellor_designation_cancel(
            actor=personas.supervisor,
            appeal=appeal,
            expected_version=appeal.version,
            designation=appeal.designations.get(counsellor=sato),
        )
    assert [o.counsellor for o in appeal.opinions.order_by("pk")] == [sato, ito, mori]
    assert list(
        CaseEvent.objects.filter(case=family, verb__startswith="counsellor_").values_list(
            "verb", flat=True
        )
    ) == [
        "counsellor_designated",
        "counsellor_designated",
        "counsellor_designated",
        "counsellor_designation_cancelled",
        "counsellor_designated",
        "counsellor_opinion_recorded",
        "counsellor_opinion_recorded",
        "counsellor_opinion_recorded",
    ]


def test_the_register_is_the_supervisors_and_of_one_office(time_machine, personas):
    (sato,) = _register(personas, "Aiko Sato")
    assert (sato.office, sato.active, sato.user) == (personas.tokyo, True, None)
    for actor in (personas.appeals, personas.clerk, personas.outsider):
        with pytest.raises(Http404):
            services.counsellor_register(actor=actor, name="Someone")
    with pytest.raises(NotAllowed, match="user account must be of this office"):
        services.counsellor_register(
            actor=personas.supervisor, name="Kenji Ito", user=personas.outsider
        )
    services.counsellor_update(
        actor=personas.supervisor,
        counsellor=sato,
        expected_version=sato.version,
        name="Aiko Satō",
        user=personas.officer,
        active=False,
    )
    sato.refresh_from_db()
    assert (sato.name, sato.user, sato.active, sato.version) == (
        "Aiko Satō",
        personas.officer,
        False,
        2,
    )
    entry = AuditEntry.objects.filter(action="counsellor_changed").get()
    assert entry.details == {
        "name": ["Aiko Sato", "Aiko Satō"],
        "user": [None, personas.officer.pk],
        "active": [True, False],
    }
    with pytest.raises(NotAllowed, match="Officer is already on the register"):
        services.counsellor_register(actor=personas.supervisor, name="Other", user=personas.officer)


@pytest.mark.usefixtures("assessments_drafted")
def test_a_counsellor_off_the_register_or_of_another_office_is_not_designated(
    time_machine, personas, family, members
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2025-03-03", notified="2025-03-04"
    )
    appeal = _lodge(time_machine, personas, application, "2025-03-05")
    (sato,) = _register(personas, "Aiko Sato")
    services.counsellor_update(
        actor=personas.supervisor,
        counsellor=sato,
        expected_version=sato.version,
        name=sato.name,
        user=None,
        active=False,
    )
    osaka = Counsellor.objects.create(office=personas.osaka, name="Osaka counsellor")
    for counsellor in (sato, osaka):
        counsellor.refresh_from_db()
        with pytest.raises(NotAllowed, match="not on the register of counsellors of this office"):
            _designate(personas, appeal, counsellor, "2025-03-05")
    assert not appeal.designations.exists()


@pytest.mark.parametrize(
    ("decided", "cited"),
    [
        # Before 10 June 2024 the counsellors were deemed examiners by Art. 61-2-9(5)...
        ("2024-03-04", "ICRRA Art. 61-2-9(5); ICRRA Enforcement Regulation Art. 58-3"),
        # ...and from that day by the same paragraph renumbered, not verified.
        ("2024-07-01", "ICRRA Art. 61-2-12(5) [not verified]; ICRRA Enforcement Regulation"),
    ],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_it_refuses_to_designate_the_first_instance_decider_or_interviewer_as_counsellor(
    time_machine, personas, family, members, dual, decided, cited
):
    notified = decided[:-2] + "05"
    application, _ = _refused(
        time_machine, personas, family, members[0], decided=decided, notified=notified, by=dual
    )
    appeal = _lodge(time_machine, personas, application, notified)
    decider, expert = _register(personas, "Dual", "Aiko Sato", Dual=dual)

    def refused(counsellor, why):
        with pytest.raises(NotAllowed) as refusal:
            _designate(personas, appeal, counsellor, notified)
        message = str(refusal.value)
        assert message.startswith("Refused by the rule jp-icrra › appeal.excluded (")
        assert cited in message and "ACRA Art. 9(2)" in message
        assert f"{counsellor.name} {why} and may not examine the request" in message

    refused(decider, "took the first-instance decision")
    _designate(personas, appeal, expert, notified)
    # Nor can a designated counsellor be linked afterwards to the officer who interviewed.
    with pytest.raises(NotAllowed, match=r"appeal\.excluded.*interviewed the applicant"):
        services.counsellor_update(
            actor=personas.supervisor,
            counsellor=expert,
            expected_version=expert.version,
            name=expert.name,
            user=personas.officer,
            active=True,
        )
    (interviewer,) = _register(personas, "Officer", Officer=personas.officer)
    refused(interviewer, "interviewed the applicant at first instance")
    assert list(appeal.designations.values_list("counsellor__name", flat=True)) == ["Aiko Sato"]


# --- outcomes: inadmissible and withdrawn --------------------------------------------------


@pytest.mark.usefixtures("assessments_drafted")
def test_before_1_december_2023_a_late_request_is_dismissed_as_inadmissible(
    time_machine, personas, family, members
):
    application, refusal = _refused(
        time_machine, personas, family, members[0], decided="2023-09-01", notified="2023-09-04"
    )
    time_machine.move_to(at("2023-09-29 10:00"), tick=False)
    appeal = _lodge(
        time_machine,
        personas,
        application,
        "2023-09-29",
        late_justification="The applicant says the notice was not translated.",
    )
    assert (appeal.in_time, appeal.due_on) == (False, date(2023, 9, 11))
    appeal = _heard(time_machine, personas, _assigned(personas, appeal), "2023-11-20")

    time_machine.move_to(at("2023-11-28 10:00"), tick=False)
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="inadmissible",
        decided_on=date(2023, 11, 28),
        reasons="Lodged after the seven days without justifiable grounds (ACRA Art. 18(1)).",
    )
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert (appeal.outcome, application.stage) == ("inadmissible", "appeal_inadmissible")
    ruling = appeal.new_decision
    assert (ruling.instance, ruling.outcome, ruling.closure_reason) == (
        "appeal",
        "closed",
        "inadmissible",
    )
    refusal.refresh_from_db()
    assert refusal.superseded_at is None  # the refusal stands

    # The ruling is notified: the six months for a court action run from that notice.
    time_machine.move_to(at("2023-11-29 10:00"), tick=False)
    letter = services.letter_issue(actor=personas.appeals, decision=ruling, language="en")
    assert letter.last_day == date(2024, 5, 29)
    services.letter_notify(actor=personas.appeals, letter=letter, notified_on=date(2023, 11, 29))
    court = Deadline.objects.get(application=application, rule="court-action")
    assert (court.event_on, court.due_on, court.decision) == (
        date(2023, 11, 29),
        date(2024, 5, 29),
        ruling,
    )
    time_machine.move_to(at("2024-05-29 10:00"), tick=False)
    action = _lodge(time_machine, personas, application, "2024-05-29", instance="judicial")
    assert (action.in_time, action.decision) == (True, ruling)


@pytest.mark.usefixtures("assessments_drafted")
def test_a_withdrawal_is_refused_once_ruled_and_the_ruling_cannot_be_withdrawn(
    time_machine, personas, family, members
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2024-01-15", notified="2024-01-16"
    )
    appeal = _heard(
        time_machine,
        personas,
        _assigned(personas, _lodge(time_machine, personas, application, "2024-01-17")),
        "2024-03-01",
    )
    with pytest.raises(NotAllowed, match="applicant's act"):
        services.appeal_decide(
            actor=personas.appeals,
            appeal=appeal,
            expected_version=appeal.version,
            outcome="withdrawn",
            decided_on=date(2024, 3, 1),
            reasons="x",
        )
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="upheld",
        decided_on=date(2024, 3, 1),
        reasons="The counsellors found no grounds.",
    )
    appeal.refresh_from_db()
    with pytest.raises(NotAllowed, match="already decided: it can no longer be withdrawn"):
        services.appeal_withdraw(
            actor=personas.clerk,
            appeal=appeal,
            expected_version=appeal.version,
            withdrawn_on=date(2024, 3, 1),
        )


@pytest.mark.usefixtures("assessments_drafted")
def test_after_10_june_2024_a_withdrawn_request_leaves_the_refusal_before_the_court(
    time_machine, personas, family, members
):
    application, refusal = _refused(
        time_machine, personas, family, members[0], decided="2024-07-01", notified="2024-07-02"
    )
    appeal = _lodge(time_machine, personas, application, "2024-07-03")
    time_machine.move_to(at("2024-09-10 10:00"), tick=False)
    with pytest.raises(NotAllowed, match="cannot be in the future"):
        services.appeal_withdraw(
            actor=personas.clerk,
            appeal=appeal,
            expected_version=appeal.version,
            withdrawn_on=date(2024, 9, 11),
        )
    services.appeal_withdraw(
        actor=personas.clerk,
        appeal=appeal,
        expected_version=appeal.version,
        withdrawn_on=date(2024, 9, 9),
        note="Written withdrawal handed in at the counter.",
    )
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert (appeal.outcome, appeal.decided_on, appeal.decided_by) == (
        "withdrawn",
        date(2024, 9, 9),
        personas.clerk,
    )
    assert application.stage == "appeal_withdrawn"
    assert not Decision.objects.filter(application=application, instance="appeal").exists()
    # No ruling: six months from the notice of the refusal (ACLA Art. 14(1)).
    court = Deadline.objects.get(application=application, rule="court-action")
    assert (court.event_on, court.due_on, court.decision, court.status) == (
        date(2024, 7, 2),
        date(2025, 1, 6),  # 2 January falls in the courts' year-end closure
        refusal,
        "open",
    )
    event = CaseEvent.objects.get(verb="appeal_withdrawn")
    assert (event.state_before, event.state_after) == ("appeal_lodged", "appeal_withdrawn")
    assert event.details["court_action_last_day"] == "2025-01-06"

    time_machine.move_to(at("2025-01-06 10:00"), tick=False)
    action = _lodge(time_machine, personas, application, "2025-01-06", instance="judicial")
    assert (action.in_time, action.due_on, action.decision) == (True, date(2025, 1, 6), refusal)
    application.refresh_from_db()
    assert application.stage == "in_court"


@pytest.mark.usefixtures("assessments_drafted")
def test_a_request_withdrawn_after_the_six_months_opens_no_period(
    time_machine, personas, family, members
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2023-12-04", notified="2023-12-05"
    )
    appeal = _heard(
        time_machine,
        personas,
        _assigned(personas, _lodge(time_machine, personas, application, "2023-12-06")),
        "2024-06-20",
    )
    time_machine.move_to(at("2024-08-01 10:00"), tick=False)
    services.appeal_withdraw(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        withdrawn_on=date(2024, 8, 1),
    )
    application.refresh_from_db()
    assert application.stage == "appeal_withdrawn"
    assert not Deadline.objects.filter(application=application, rule="court-action").exists()
    event = CaseEvent.objects.get(verb="appeal_withdrawn")
    assert (event.state_before, event.details["court_action_last_day"]) == (
        "counsellors_heard",
        "2024-06-05",
    )
    with pytest.raises(NotAllowed, match="record why it is late"):
        _lodge(time_machine, personas, application, "2024-08-01", instance="judicial")


# --- the oral hearing refused -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "cited"),
    [
        ("2024-06-03", "ICRRA Art. 61-2-9(6) [not verified]; ACRA Art. 31(1)"),
        ("2024-06-10", "ICRRA Art. 61-2-12(6) [not verified]; ACRA Art. 31(1)"),
    ],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_the_oral_hearing_may_be_refused_with_its_reason(
    time_machine, personas, family, members, day, cited
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2024-05-27", notified="2024-05-28"
    )
    appeal = _assigned(personas, _lodge(time_machine, personas, application, "2024-05-29"))
    time_machine.move_to(at(f"{day} 10:00"), tick=False)
    refused_on = date.fromisoformat(day)
    with pytest.raises(NotAllowed) as refused:
        services.appeal_hearing_refuse(
            actor=personas.appeals,
            appeal=appeal,
            expected_version=appeal.version,
            refused_on=refused_on,
            reason="  ",
        )
    assert str(refused.value) == (
        f"Refused by the rule jp-icrra › appeal.hearing_refusal ({cited}): "
        "state why the hearing is refused."
    )
    reason = "The facts claimed, a private debt dispute, even if true, are no ground."
    services.appeal_hearing_refuse(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        refused_on=refused_on,
        reason=reason,
    )
    appeal.refresh_from_db()
    assert (appeal.hearing_refused_on, appeal.hearing_refused_reason) == (refused_on, reason)
    with pytest.raises(NotAllowed, match="The oral hearing was refused"):
        services.appeal_hearing_record(
            actor=personas.appeals,
            appeal=appeal,
            expected_version=appeal.version,
            held_on=refused_on,
        )
    event = CaseEvent.objects.get(verb="hearing_refused")
    assert event.details["cited"] == cited.replace(" [not verified]", "")

    # The refusal counts as the hearing done: the three opinions move the request on.
    for counsellor in _register(personas, "Aiko Sato", "Kenji Ito", "Mariko Abe"):
        _designate(personas, appeal, counsellor, day)
        application.refresh_from_db()
        assert application.stage == "appeal_lodged"
        _opinion(personas, appeal, counsellor, day)
    application.refresh_from_db()
    assert application.stage == "counsellors_heard"


# --- a request sent by post ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "last_day"),
    [
        ("2023-11-24", "2023-12-01"),  # before complementary protection
        ("2024-06-07", "2024-06-14"),  # across the renumbering of 10 June 2024
    ],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_a_request_sent_by_post_is_in_time_when_posted_within_the_period(
    time_machine, personas, family, members, notified, last_day
):
    principal, spouse = members[0], members[1]
    application, _ = _refused(
        time_machine, personas, family, principal, decided=notified, notified=notified
    )
    day_before = date.fromordinal(date.fromisoformat(notified).toordinal() - 1).isoformat()
    other, _ = _refused(
        time_machine, personas, family, spouse, decided=day_before, notified=notified
    )
    last = date.fromisoformat(last_day)
    received = date.fromordinal(last.toordinal() + 3)
    time_machine.move_to(at(f"{received.isoformat()} 10:00"), tick=False)

    posted = _lodge(
        time_machine,
        personas,
        application,
        received.isoformat(),
        lodging_method="post",
        posted_on=last,
    )
    assert (posted.in_time, posted.due_on, posted.lodged_on, posted.posted_on) == (
        True,
        last,
        received,
        last,
    )
    assert posted.lodging_method == "post"
    event = CaseEvent.objects.get(verb="appeal_lodged", object_id=posted.pk)
    assert (event.details["lodging_method"], event.details["posted_on"]) == ("post", last_day)

    # Posted the day after the last day: late, and it needs its justification.
    day_after = date.fromordinal(last.toordinal() + 1)
    with pytest.raises(NotAllowed, match="record why it is late"):
        _lodge(
            time_machine,
            personas,
            other,
            received.isoformat(),
            lodging_method="post",
            posted_on=day_after,
        )
    # Handed in on the same day it arrived by post: judged on the day received.
    with pytest.raises(NotAllowed, match="record why it is late"):
        _lodge(time_machine, personas, other, received.isoformat())


@pytest.mark.usefixtures("assessments_drafted")
def test_the_posting_date_is_checked(time_machine, personas, family, members):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2025-03-03", notified="2025-03-04"
    )
    time_machine.move_to(at("2025-03-07 10:00"), tick=False)
    for kwargs, message in (
        ({"lodging_method": "post"}, "Give the date it was posted"),
        ({"lodging_method": "post", "posted_on": date(2025, 3, 8)}, "cannot be in the future"),
        (
            {"lodging_method": "post", "posted_on": date(2025, 3, 8), "lodged_on": "2025-03-06"},
            "cannot be in the future",
        ),
        ({"lodging_method": "in_person", "posted_on": date(2025, 3, 6)}, "Only a request sent"),
        ({"lodging_method": "fax"}, "Unknown way of lodging"),
        ({"lodging_method": "post", "posted_on": date(2025, 3, 2)}, "posted before the decision"),
    ):
        on = kwargs.pop("lodged_on", "2025-03-07")
        with pytest.raises(NotAllowed, match=message):
            _lodge(time_machine, personas, application, on, **kwargs)
    time_machine.move_to(at("2025-03-10 10:00"), tick=False)
    with pytest.raises(NotAllowed, match="posted after the day it was received"):
        _lodge(
            time_machine,
            personas,
            application,
            "2025-03-07",
            lodging_method="post",
            posted_on=date(2025, 3, 8),
        )
    appeal = _lodge(time_machine, personas, application, "2025-03-10", lodging_method="electronic")
    assert (appeal.lodging_method, appeal.posted_on, appeal.in_time) == ("electronic", None, True)


# --- pages --------------------------------------------------------------------------------


def test_the_supervisor_keeps_the_register_on_its_page(client, personas):
    client.force_login(personas.appeals)
    assert client.get(reverse("procedures:counsellors")).status_code == 404
    client.force_login(personas.supervisor)
    assert client.get(reverse("procedures:counsellors")).status_code == 200
    response = client.post(reverse("procedures:counsellors"), {"name": "Aiko Sato", "user": ""})
    assert response.status_code == 302
    sato = Counsellor.objects.get(name="Aiko Sato")
    assert (sato.office, sato.active) == (personas.tokyo, True)
    again = client.post(reverse("procedures:counsellors"), {"name": "Aiko Sato"})
    assert again.status_code == 400
    assert "already has a counsellor named Aiko Sato" in again.content.decode()

    edit = reverse("procedures:counsellor_edit", args=[sato.pk])
    page = client.get(edit).content.decode()
    assert "Aiko Sato" in page and 'name="version"' in page
    response = client.post(
        edit, {"version": sato.version, "name": "Aiko Sato", "user": personas.officer.pk}
    )
    assert response.status_code == 302
    sato.refresh_from_db()
    assert (sato.user, sato.active) == (personas.officer, False)  # unticked: off the register
    stale = client.post(edit, {"version": 1, "name": "Aiko Sato", "active": "on"})
    assert stale.status_code == 409
    page = client.get(reverse("procedures:counsellors")).content.decode()
    assert "<td>Aiko Sato</td><td>Officer</td><td>no</td>" in page
    client.force_login(personas.outsider)
    assert client.get(edit).status_code == 404


@pytest.mark.usefixtures("assessments_drafted")
def test_a_request_by_post_is_designated_refused_a_hearing_and_withdrawn_through_the_pages(
    time_machine, client, personas, family, members
):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2024-06-03", notified="2024-06-04"
    )
    time_machine.move_to(at("2024-06-13 10:00"), tick=False)
    client.force_login(personas.clerk)
    url = reverse("procedures:appeal_lodge", args=[application.pk])
    response = client.post(
        url,
        {
            "version": application.version,
            "lodging_method": "post",
            "lodged_on": "2024-06-13",
            "grounds": "The risk on return was not assessed.",
        },
    )
    assert response.status_code == 400
    assert "Give the date it was posted" in response.content.decode()
    response = client.post(
        url,
        {
            "version": application.version,
            "lodging_method": "post",
            "lodged_on": "2024-06-13",
            "posted_on": "2024-06-11",
            "grounds": "The risk on return was not assessed.",
        },
    )
    assert response.status_code == 302
    appeal = application.appeals.get()
    assert (appeal.in_time, appeal.posted_on) == (True, date(2024, 6, 11))

    decider, expert = _register(personas, "Officer", "Aiko Sato", Officer=personas.officer)
    client.force_login(personas.supervisor)
    detail = reverse("procedures:appeal_detail", args=[appeal.pk])
    page = client.get(detail).content.decode()
    assert "Date received" in page and "By post" in page and "2024-06-11" in page
    client.post(
        reverse("procedures:appeal_assign", args=[appeal.pk]),
        {"version": appeal.version, "officer": personas.appeals.pk},
    )
    appeal.refresh_from_db()
    response = client.post(
        reverse("procedures:appeal_designate", args=[appeal.pk]),
        {"version": appeal.version, "counsellor": decider.pk, "designated_on": "2024-06-13"},
        follow=True,
    )
    assert "jp-icrra › appeal.excluded" in response.content.decode()
    assert "ICRRA Art. 61-2-12(5) [not verified]" in response.content.decode()
    client.post(
        reverse("procedures:appeal_designate", args=[appeal.pk]),
        {"version": appeal.version, "counsellor": expert.pk, "designated_on": "2024-06-13"},
    )
    assert list(appeal.designations.values_list("counsellor", flat=True)) == [expert.pk]

    client.force_login(personas.appeals)
    page = client.get(detail).content.decode()
    assert "Refuse the oral hearing" in page and "even if true" in page
    appeal.refresh_from_db()
    client.post(
        reverse("procedures:appeal_hearing_refuse", args=[appeal.pk]),
        {
            "version": appeal.version,
            "refused_on": "2024-06-13",
            "reason": "The facts claimed concern a private debt only.",
        },
    )
    appeal.refresh_from_db()
    assert appeal.hearing_refused_on == date(2024, 6, 13)
    page = client.get(detail).content.decode()
    assert "refused on 2024-06-13: The facts claimed concern a private debt only." in page

    client.force_login(personas.clerk)
    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert f"""{detail}#withdraw-title">Record the applicant's withdrawal""" in page
    response = client.post(
        reverse("procedures:appeal_withdraw", args=[appeal.pk]),
        {"version": appeal.version, "withdrawn_on": "2024-06-13", "note": "By letter."},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert (appeal.outcome, application.stage) == ("withdrawn", "appeal_withdrawn")
    page = client.get(detail).content.decode()
    assert "Withdrawn by the applicant" in page and "Record the withdrawal" not in page


# --- API ----------------------------------------------------------------------------------


def _api(client, user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.mark.usefixtures("assessments_drafted")
def test_the_request_for_review_through_the_api(time_machine, client, personas, family, members):
    application, _ = _refused(
        time_machine, personas, family, members[0], decided="2023-11-27", notified="2023-11-28"
    )
    time_machine.move_to(at("2023-12-07 10:00"), tick=False)
    api = _api(client, personas.clerk)
    response = api.post(
        f"/api/procedures/applications/{application.pk}/appeals",
        {
            "version": application.version,
            "lodged_on": "2023-12-07",
            "lodging_method": "post",
            "posted_on": "2023-12-05",
            "grounds": "The risk on return was not assessed.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert (appeal["lodging_method"], appeal["posted_on"], appeal["in_time"]) == (
        "post",
        "2023-12-05",
        True,
    )
    assert (
        api.post(
            "/api/procedures/counsellors", {"name": "Aiko Sato"}, content_type="application/json"
        ).status_code
        == 404
    )

    api = _api(client, personas.supervisor)
    created = [
        api.post(
            "/api/procedures/counsellors",
            {"name": name, "user": user},
            content_type="application/json",
        )
        for name, user in (("Aiko Sato", None), ("Kenji Ito", None), ("Officer", "officer"))
    ]
    assert [c.status_code for c in created] == [201, 201, 201]
    sato, ito, officer = (c.json() for c in created)
    assert officer["user"] == "officer" and officer["active"] is True
    listed = api.get("/api/procedures/counsellors").json()
    assert [c["name"] for c in listed] == ["Aiko Sato", "Kenji Ito", "Officer"]
    renamed = api.put(
        f"/api/procedures/counsellors/{ito['id']}",
        {"version": ito["version"], "name": "Kenji Itō", "active": True},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Kenji Itō"

    services.appeal_assign(
        actor=personas.supervisor,
        appeal=Appeal.objects.get(pk=appeal["id"]),
        expected_version=appeal["version"],
        officer=personas.appeals,
    )
    version = Appeal.objects.get(pk=appeal["id"]).version
    refused = api.post(
        f"/api/procedures/appeals/{appeal['id']}/designations",
        {"version": version, "counsellor_id": officer["id"], "designated_on": "2023-12-07"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith(
        "Refused by the rule jp-icrra › appeal.excluded (ICRRA Art. 61-2-9(3); "
    )
    designated = api.post(
        f"/api/procedures/appeals/{appeal['id']}/designations",
        {"version": version, "counsellor_id": sato["id"], "designated_on": "2023-12-07"},
        content_type="application/json",
    )
    assert designated.status_code == 201
    assert [d["counsellor"] for d in designated.json()["designations"]] == ["Aiko Sato"]
    unknown = api.post(
        f"/api/procedures/appeals/{appeal['id']}/designations",
        {"version": version + 1, "counsellor_id": 999999, "designated_on": "2023-12-07"},
        content_type="application/json",
    )
    assert unknown.status_code == 400

    api = _api(client, personas.appeals)
    opinion = api.post(
        f"/api/procedures/appeals/{appeal['id']}/opinions",
        {
            "counsellor_id": sato["id"],
            "finding": "grounds",
            "summary": "The risk was not assessed.",
            "given_on": "2023-12-07",
        },
        content_type="application/json",
    )
    assert opinion.status_code == 201, opinion.content
    assert opinion.json()["opinions"][0]["counsellor"] == "Aiko Sato"
    hearing = api.post(
        f"/api/procedures/appeals/{appeal['id']}/hearing/refusal",
        {"version": opinion.json()["version"], "refused_on": "2023-12-07", "reason": "No ground."},
        content_type="application/json",
    )
    assert hearing.status_code == 200
    assert (hearing.json()["hearing_refused_on"], hearing.json()["hearing_refused_reason"]) == (
        "2023-12-07",
        "No ground.",
    )
    withdrawn = _api(client, personas.clerk).post(
        f"/api/procedures/appeals/{appeal['id']}/withdrawal",
        {"version": hearing.json()["version"], "withdrawn_on": "2023-12-07"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert (withdrawn.json()["outcome"], withdrawn.json()["decided_on"]) == (
        "withdrawn",
        "2023-12-07",
    )
    procedure = api.get(f"/api/procedures/applications/{application.pk}").json()
    assert procedure["stage"] == "appeal_withdrawn"
    assert [(d["rule"], d["due_on"]) for d in procedure["deadlines"] if d["status"] == "open"] == [
        ("court-action", "2024-05-28")
    ]


# --- the migration ------------------------------------------------------------------------

BEFORE_COUNSELLORS = ("procedures", "0004_decision_historical")


@pytest.mark.usefixtures("assessments_drafted")
def test_the_migration_turns_free_text_opinions_into_counsellors_of_the_office(
    transactional_db, time_machine, personas, family, members
):
    """Opinions recorded with the counsellor's name as text (as before the register) become
    opinions of counsellors of the office, one per distinct name, designated for the
    request; and the migration can be undone, giving the names back."""
    first, _ = _refused(
        time_machine, personas, family, members[0], decided="2024-03-04", notified="2024-03-05"
    )
    second, _ = _refused(
        time_machine, personas, family, members[1], decided="2024-03-05", notified="2024-03-05"
    )
    appeals = [
        _assigned(personas, _lodge(time_machine, personas, a, "2024-03-06"))
        for a in (first, second)
    ]
    time_machine.move_to(at("2024-04-01 10:00"), tick=False)
    a, b = _register(personas, "Aiko Sato", "Kenji Ito")
    for appeal, counsellor in ((appeals[0], a), (appeals[0], b), (appeals[1], a)):
        _designate(personas, appeal, counsellor, "2024-03-20")
        _opinion(personas, appeal, counsellor, "2024-04-01")

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("procedures")[0]
    try:
        executor.migrate([BEFORE_COUNSELLORS])
        old = MigrationExecutor(connection).loader.project_state([BEFORE_COUNSELLORS]).apps
        opinion_model = old.get_model("procedures", "CounsellorOpinion")
        assert sorted(opinion_model.objects.values_list("appeal_id", "counsellor")) == sorted(
            [
                (appeals[0].pk, "Aiko Sato"),
                (appeals[0].pk, "Kenji Ito"),
                (appeals[1].pk, "Aiko Sato"),
            ]
        )
        # As recorded before the register: the same name on two requests, and a third name.
        opinion_model.objects.filter(appeal_id=appeals[1].pk).update(counsellor="Mariko Abe")
    finally:
        call_command("migrate", "procedures", latest[1], verbosity=0)

    counsellors = Counsellor.objects.filter(office=personas.tokyo).order_by("name")
    assert list(counsellors.values_list("name", flat=True)) == [
        "Aiko Sato",
        "Kenji Ito",
        "Mariko Abe",
    ]
    opinions = CounsellorOpinion.objects.order_by("appeal_id", "counsellor__name")
    assert [(o.appeal_id, o.counsellor.name) for o in opinions] == [
        (appeals[0].pk, "Aiko Sato"),
        (appeals[0].pk, "Kenji Ito"),
        (appeals[1].pk, "Mariko Abe"),
    ]
    # Each opinion's counsellor is designated for its request, on the day of the opinion.
    abe = CounsellorDesignation.objects.get(appeal_id=appeals[1].pk)
    assert (abe.counsellor.name, abe.designated_on, abe.designated_by) == (
        "Mariko Abe",
        date(2024, 4, 1),
        personas.appeals,
    )
    assert CounsellorDesignation.objects.filter(appeal_id=appeals[0].pk).count() == 2
