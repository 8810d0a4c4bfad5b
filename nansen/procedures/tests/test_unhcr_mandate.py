"""Complete procedures under unhcr-mandate, through the services, with time pinned."""

from datetime import date

import pytest

from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import Deadline, Decision
from nansen.procedures.tests.conftest import at, interview_held

UNHCR = "unhcr-mandate"


def _lodge(personas, family, persons, on: str, **kwargs):
    return services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=persons,
        lodged_on=date.fromisoformat(on),
        profile=UNHCR,
        **kwargs,
    )


def _decide(actor, application, outcome: str, on: str, **kwargs):
    application.refresh_from_db()
    return services.decision_record(
        actor=actor,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        decided_on=date.fromisoformat(on),
        reasons=kwargs.pop("reasons", "Assessed against the refugee definition."),
        **kwargs,
    )


def _interviewed(personas, application, on: str):
    """The RSD interview held on ``on`` (recorded without a scheduled slot)."""
    application.refresh_from_db()
    services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date.fromisoformat(on),
    )
    application.refresh_from_db()


def _appeal(actor, application, on: str, **kwargs):
    application.refresh_from_db()
    return services.appeal_lodge(
        actor=actor,
        application=application,
        expected_version=application.version,
        lodged_on=date.fromisoformat(on),
        grounds=kwargs.pop("grounds", "The credibility findings ignore the medical report."),
        **kwargs,
    )


@pytest.mark.usefixtures("assessments_drafted")
def test_it_recognises_a_refugee_at_first_instance(
    time_machine, personas, family, members, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2025-03-03")
    assert (application.profile, application.stage, application.suspends_removal) == (
        UNHCR,
        "lodged",
        None,
    )
    assert application.get_stage_display() == "Registered for RSD"
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    time_machine.move_to(at("2025-04-01 10:00"), tick=False)
    decision = _decide(personas.officer, application, "recognized", "2025-04-01")
    application.refresh_from_db()
    assert (application.stage, decision.form) == ("recognized", "recognition")
    with pytest.raises(NotAllowed, match=r"unhcr-mandate › decide .*complementary"):
        (other,) = _lodge(personas, family, members[1:2], "2025-03-03")
        _decide(personas.officer, other, "complementary", "2025-04-01")


@pytest.mark.usefixtures("assessments_drafted")
def test_a_decision_needs_an_interview_unless_the_mode_allows_it_and_says_why(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    principal, child = _lodge(personas, family, [members[0], members[2]], "2025-03-03")
    with pytest.raises(NotAllowed, match=r"unhcr-mandate › modes\.regular .*needs an interview"):
        _decide(
            personas.officer,
            principal,
            "rejected",
            "2025-03-03",
            without_interview_reason="No time.",
        )
    services.application_mode_set(
        actor=personas.supervisor,
        application=principal,
        expected_version=principal.version,
        mode="merged",
        reason="Registration and RSD interview held together on arrival.",
    )
    with pytest.raises(NotAllowed, match="record why the decision is made without an interview"):
        _decide(personas.officer, principal, "recognized", "2025-03-03")
    decision = _decide(
        personas.officer,
        principal,
        "recognized",
        "2025-03-03",
        without_interview_reason="Merged registration–RSD interview of 3 March 2025.",
    )
    assert decision.without_interview_reason.startswith("Merged")
    # A child whose claim rests on the principal's: derivative status, reason recorded.
    decision = _decide(
        personas.officer,
        child,
        "recognized",
        "2025-03-03",
        without_interview_reason="Derivative status: the claim rests on the principal's.",
    )
    assert decision.outcome == "recognized"


@pytest.mark.usefixtures("assessments_drafted")
def test_a_late_appeal_is_accepted_within_the_grace_period_and_refused_after_it(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2025-01-10 11:00"), tick=False)
    first, second = _lodge(personas, family, members[:2], "2025-01-06")
    for application in (first, second):
        _interviewed(personas, application, "2025-01-08")
        refusal = _decide(personas.officer, application, "rejected", "2025-01-10")
        letter = services.letter_issue(actor=personas.officer, decision=refusal, language="en")
        services.letter_notify(actor=personas.officer, letter=letter, notified_on=date(2025, 1, 10))
        assert (letter.last_day, letter.late_last_day) == (date(2025, 2, 9), date(2025, 3, 23))

    time_machine.move_to(at("2025-03-01 09:00"), tick=False)
    with pytest.raises(NotAllowed, match=r"unhcr-mandate › lodge_appeal .*record why it is late"):
        _appeal(personas.clerk, first, "2025-03-01")
    late = _appeal(
        personas.clerk,
        first,
        "2025-03-01",
        late_justification="Detained by the police from 1 to 27 February.",
    )
    assert (late.in_time, late.due_on, late.late_until) == (
        False,
        date(2025, 2, 9),
        date(2025, 3, 23),
    )
    assert set(Deadline.objects.filter(application=first).values_list("rule", "status")) == {
        ("appeal", "met"),
        ("appeal-late", "met"),
    }

    time_machine.move_to(at("2025-03-24 09:00"), tick=False)
    with pytest.raises(NotAllowed, match=r"unhcr-mandate › appeal-late .*after 2025-03-23"):
        _appeal(personas.clerk, second, "2025-03-24", late_justification="I forgot.")
    second.refresh_from_db()
    assert second.stage == "refused"


@pytest.mark.usefixtures("assessments_drafted")
def test_an_appeal_is_refused_to_the_officer_who_decided_the_first_instance(
    time_machine, personas, family, members, office_setup, dual
):
    time_machine.move_to(at("2025-02-03 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2025-02-03")
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-02-10",
    )
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    refusal = _decide(dual, application, "rejected", "2025-03-03")
    services.decision_notify(actor=dual, decision=refusal, notified_on=date(2025, 3, 3))
    time_machine.move_to(at("2025-04-01 09:00"), tick=False)
    appeal = _appeal(personas.appeals, application, "2025-03-20")
    with pytest.raises(
        NotAllowed,
        match=r"unhcr-mandate › appeal\.excluded \(UNHCR RSD Procedural Standards §7\.1\.1\): "
        r"Dual took the first-instance decision",
    ):
        services.appeal_assign(
            actor=dual, appeal=appeal, expected_version=appeal.version, officer=dual
        )
    services.appeal_assign(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        officer=personas.appeals,
    )
    appeal.refresh_from_db()
    # Only the officer the appeal is assigned to decides it.
    with pytest.raises(NotAllowed, match="assigned to"):
        services.appeal_decide(
            actor=dual,
            appeal=appeal,
            expected_version=appeal.version,
            outcome="upheld",
            decided_on=date(2025, 4, 1),
            reasons="x",
        )
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="overturned",
        new_outcome="recognized",
        decided_on=date(2025, 4, 1),
        reasons="The medical report corroborates the account.",
    )
    application.refresh_from_db()
    assert application.stage == "recognized"
    assert Decision.objects.get(application=application, instance="appeal").outcome == "recognized"
    # The statistics time an appeal from the day it was lodged (2025-03-20 to 2025-04-01).
    from nansen.statistics.selectors import processing_times

    times = {
        (row.key[0], row.key[1]): row for row in processing_times(user=personas.supervisor).rows
    }
    assert times[("appeal", 2025)].median_days == 12


@pytest.mark.usefixtures("assessments_drafted")
def test_a_remitted_appeal_sends_the_claim_back_for_a_new_decision(
    time_machine, personas, family, members, office_setup, dual
):
    time_machine.move_to(at("2025-02-03 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2025-02-03")
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-02-10",
    )
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    refusal = _decide(personas.officer, application, "rejected", "2025-03-03")
    time_machine.move_to(at("2025-03-05 09:00"), tick=False)
    appeal = _appeal(personas.clerk, application, "2025-03-05")
    services.appeal_assign(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        officer=personas.appeals,
    )
    appeal.refresh_from_db()
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="remitted",
        decided_on=date(2025, 3, 5),
        reasons="The interview did not explore the 2019 arrest.",
    )
    application.refresh_from_db()
    refusal.refresh_from_db()
    assert application.stage == "remitted" and refusal.superseded_at is not None
    second = _decide(personas.supervisor, application, "recognized", "2025-03-05")
    assert second.instance == "first"


@pytest.mark.usefixtures("assessments_drafted")
def test_a_file_is_closed_for_abandonment_only_after_six_weeks_and_can_be_reopened(
    time_machine, personas, family, members, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2025-03-03")
    interview = services.interview_schedule(
        actor=personas.clerk,
        application=application,
        starts_at=at("2025-03-10 10:00"),
        ends_at=at("2025-03-10 12:00"),
        interviewer=personas.officer,
        language="ara",
        interpreter=office_setup["karim"],
        room=office_setup["room"],
    )
    time_machine.move_to(at("2025-03-10 12:00"), tick=False)
    services.interview_record_missed(
        actor=personas.officer, interview=interview, expected_version=interview.version
    )
    abandonment = Deadline.objects.get(application=application, rule="abandonment")
    assert abandonment.due_on == date(2025, 4, 21)

    time_machine.move_to(at("2025-04-21 09:00"), tick=False)
    with pytest.raises(
        NotAllowed,
        match=r"unhcr-mandate › closure\.abandoned \(UNHCR RSD Procedural Standards §9\.1\)",
    ):
        _decide(
            personas.officer,
            application,
            "closed",
            "2025-04-21",
            closure_reason="abandoned",
            reasons="No contact after the missed interview.",
        )
    time_machine.move_to(at("2025-04-22 09:00"), tick=False)
    closure = _decide(
        personas.officer,
        application,
        "closed",
        "2025-04-22",
        closure_reason="abandoned",
        reasons="No contact after the missed interview.",
    )
    application.refresh_from_db()
    assert application.stage == "closed"

    time_machine.move_to(at("2025-06-02 09:00"), tick=False)
    with pytest.raises(NotAllowed, match="not a ground for reopening"):
        services.application_reopen(
            actor=personas.officer,
            application=application,
            expected_version=application.version,
            ground="boredom",
            reopened_on=date(2025, 6, 2),
        )
    services.application_reopen(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        ground="abandoned",
        reopened_on=date(2025, 6, 2),
        note="The applicant was in hospital in March and came back to the office.",
    )
    application.refresh_from_db()
    closure.refresh_from_db()
    assert application.stage == "reopened" and closure.superseded_at is not None
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-06-09",
    )
    time_machine.move_to(at("2025-07-01 09:00"), tick=False)
    decision = _decide(personas.officer, application, "recognized", "2025-07-01")
    assert [
        (d.outcome, d.superseded_at is None)
        for d in Decision.objects.filter(application=application).order_by("pk")
    ] == [("closed", False), ("recognized", True)]
    assert decision.pk


def test_contact_after_a_missed_interview_meets_the_deadline(
    time_machine, personas, family, members, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2025-03-03")
    interview = services.interview_schedule(
        actor=personas.clerk,
        application=application,
        starts_at=at("2025-03-10 10:00"),
        ends_at=at("2025-03-10 12:00"),
        interviewer=personas.officer,
        language="ara",
        interpreter=office_setup["karim"],
        remote=True,
    )
    time_machine.move_to(at("2025-03-12 09:00"), tick=False)
    services.interview_record_missed(
        actor=personas.officer, interview=interview, expected_version=interview.version
    )
    services.application_contact_record(
        actor=personas.clerk,
        application=application,
        contacted_on=date(2025, 3, 12),
        note="Phoned: his child was ill.",
    )
    assert Deadline.objects.get(application=application, rule="abandonment").status == "met"


# UNHCR's rules do not move with Japan's amendments of 1 December 2023 and 10 June 2024: the
# tests below run on both sides of each.
DAYS = ("2023-11-30", "2023-12-01", "2024-06-09", "2024-06-10")


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.usefixtures("assessments_drafted")
def test_without_an_interview_only_a_recognition_may_be_decided(
    time_machine, personas, family, members, on
):
    time_machine.move_to(at(f"{on} 09:00"), tick=False)
    principal, spouse, child = _lodge(personas, family, members, on)
    services.application_mode_set(
        actor=personas.supervisor,
        application=principal,
        expected_version=principal.version,
        mode="merged",
        reason="Registration and RSD interview held together on arrival.",
    )
    papers = {"without_interview_reason": "Merged registration–RSD interview."}
    with pytest.raises(
        NotAllowed,
        match=r"^Refused by the rule unhcr-mandate › modes\.merged \(UNHCR Aide-Memoire on case "
        r"processing modalities Merged Registration–RSD; UNHCR RSD Procedural Standards "
        r"§4\.3\.1; UNHCR RSD Procedural Standards §4\.6\.4\): without an interview of the "
        r"applicant only this may be decided: Recognized as a refugee\. “Rejected” needs an "
        r"interview of the applicant first\.$",
    ):
        _decide(personas.officer, principal, "rejected", on, **papers)
    # A dependant's claim: the derivative-status rule lets a recognition go, not a rejection.
    with pytest.raises(
        NotAllowed,
        match=r"^Refused by the rule unhcr-mandate › interview\.dependants_without_interview "
        r"\(UNHCR RSD Procedural Standards §4\.3\.1\): without an interview .*“Rejected” needs",
    ):
        _decide(personas.officer, child, "rejected", on, **papers)
    assert Decision.objects.count() == 0

    assert _decide(personas.officer, principal, "recognized", on, **papers).outcome == "recognized"
    assert _decide(personas.officer, child, "recognized", on, **papers).outcome == "recognized"
    # Interviewed, a claim may be rejected in any mode.
    _interviewed(personas, spouse, on)
    assert _decide(personas.officer, spouse, "rejected", on).without_interview_reason == ""


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.usefixtures("assessments_drafted")
def test_a_jp_icrra_claim_may_still_be_rejected_without_an_interview(
    time_machine, personas, family, members, on
):
    """The Japanese statute only says the inquirer "may" question the applicant: `true` there
    still means any outcome."""
    time_machine.move_to(at(f"{on} 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=members[:1],
        lodged_on=date.fromisoformat(on),
        profile="jp-icrra",
    )
    refusal = _decide(
        personas.officer,
        application,
        "rejected",
        on,
        without_interview_reason="The applicant declined to be interviewed.",
    )
    assert refusal.outcome == "rejected"


def test_a_rejection_without_an_interview_is_refused_on_the_page_keeping_what_was_typed(
    time_machine, client, personas, family, members
):
    from django.urls import reverse

    time_machine.move_to(at("2024-06-10 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2024-06-10", processing_mode="merged")
    client.force_login(personas.officer)
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]),
        {
            "version": application.version,
            "outcome": "rejected",
            "decided_on": "2024-06-10",
            "reasons": "The account lacks detail on the 2019 arrest.",
            "without_interview_reason": "Registration interview only.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Refused by the rule unhcr-mandate › modes.merged" in page
    assert "“Rejected” needs an interview of the applicant first." in page
    assert "The account lacks detail on the 2019 arrest." in page
    assert "Registration interview only." in page
    assert not Decision.objects.exists()


def test_a_rejection_without_an_interview_is_refused_through_the_api(
    time_machine, client, personas, family, members
):
    from nansen.accounts.models import ApiToken

    time_machine.move_to(at("2023-12-01 09:00"), tick=False)
    (application,) = _lodge(personas, family, members[:1], "2023-12-01", processing_mode="merged")
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.officer, name="t")
    response = client.post(
        f"/api/applications/{application.pk}/decision",
        {
            "version": application.version,
            "outcome": "rejected",
            "decided_on": "2023-12-01",
            "reasons": "Not credible.",
            "without_interview_reason": "Registration interview only.",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "Refused by the rule unhcr-mandate › modes.merged ("
    )
    assert "“Rejected” needs an interview of the applicant first." in response.json()["detail"]
    assert not Decision.objects.exists()


def _refused_and_notified(personas, family, members, on: str, *, notify=True):
    """A principal's claim, interviewed and rejected on ``on``, notified that day."""
    (application,) = _lodge(personas, family, members[:1], on)
    _interviewed(personas, application, on)
    refusal = _decide(personas.officer, application, "rejected", on)
    if notify:
        services.decision_notify(
            actor=personas.officer, decision=refusal, notified_on=date.fromisoformat(on)
        )
    application.refresh_from_db()
    return application, refusal


def _reopen(personas, application, on: date, ground="late-appeal"):
    application.refresh_from_db()
    return services.application_reopen(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        ground=ground,
        reopened_on=on,
        note="In hospital from the notification until last week (medical certificate).",
    )


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.usefixtures("assessments_drafted")
def test_a_refusal_not_appealed_is_reopened_once_a_late_appeal_is_no_longer_accepted(
    time_machine, personas, family, members, on
):
    from datetime import timedelta

    from nansen.audit.models import CaseEvent

    time_machine.move_to(at(f"{on} 09:00"), tick=False)
    application, refusal = _refused_and_notified(personas, family, members, on)
    late = Deadline.objects.get(application=application, rule="appeal-late")
    # 30 days, then six weeks more (§7.2): the last day a late appeal is still accepted.
    assert late.due_on == date.fromisoformat(on) + timedelta(days=30 + 42)

    time_machine.move_to(at(f"{late.due_on} 09:00"), tick=False)
    with pytest.raises(
        NotAllowed,
        match=r"^Refused by the rule unhcr-mandate › reopening_grounds\.late-appeal \(UNHCR RSD "
        rf"Procedural Standards §9\.2\): an appeal is still accepted until {late.due_on} \(Last "
        r"day a late appeal is still accepted\): lodge the appeal, saying why it is late\.$",
    ):
        _reopen(personas, application, late.due_on)

    after = late.due_on + timedelta(days=1)
    time_machine.move_to(at(f"{after} 09:00"), tick=False)
    _reopen(personas, application, after)
    application.refresh_from_db()
    refusal.refresh_from_db()
    assert application.stage == "reopened" and refusal.superseded_at is not None
    event = CaseEvent.objects.filter(verb="application_reopened").get()
    assert (event.details["ground"], event.details["rule"]) == (
        "late-appeal",
        "unhcr-mandate › reopen",
    )


@pytest.mark.usefixtures("assessments_drafted")
def test_a_late_appeal_reopening_is_refused_unless_the_refusal_stands_unappealed(
    time_machine, personas, family, members, dual
):
    time_machine.move_to(at("2024-06-10 09:00"), tick=False)
    # Never notified: the periods for an appeal have not run.
    silent, _refusal = _refused_and_notified(personas, family, members, "2024-06-10", notify=False)
    time_machine.move_to(at("2024-12-02 09:00"), tick=False)
    with pytest.raises(NotAllowed, match=r"late-appeal .*the refusal was not notified"):
        _reopen(personas, silent, date(2024, 12, 2))

    # Appealed (and upheld): the appeal was the road.
    time_machine.move_to(at("2024-06-10 09:00"), tick=False)
    (appealed,) = _lodge(personas, family, members[1:2], "2024-06-10")
    _interviewed(personas, appealed, "2024-06-10")
    refusal = _decide(personas.officer, appealed, "rejected", "2024-06-10")
    services.decision_notify(
        actor=personas.officer, decision=refusal, notified_on=date(2024, 6, 10)
    )
    time_machine.move_to(at("2024-06-20 09:00"), tick=False)
    appeal = _appeal(personas.clerk, appealed, "2024-06-20")
    services.appeal_assign(
        actor=personas.supervisor,
        appeal=appeal,
        expected_version=appeal.version,
        officer=personas.appeals,
    )
    appeal.refresh_from_db()
    services.appeal_decide(
        actor=personas.appeals,
        appeal=appeal,
        expected_version=appeal.version,
        outcome="upheld",
        decided_on=date(2024, 6, 20),
        reasons="The appeal raises nothing new.",
    )
    time_machine.move_to(at("2024-12-02 09:00"), tick=False)
    with pytest.raises(NotAllowed, match=r"late-appeal .*an appeal was lodged against the refusal"):
        _reopen(personas, appealed, date(2024, 12, 2))

    # Closed (withdrawn), not refused.
    time_machine.move_to(at("2024-06-10 09:00"), tick=False)
    (closed,) = _lodge(personas, family, members[2:], "2024-06-10")
    _decide(
        personas.officer,
        closed,
        "closed",
        "2024-06-10",
        closure_reason="withdrawn",
        reasons="Withdrawn in writing.",
    )
    time_machine.move_to(at("2024-12-02 09:00"), tick=False)
    with pytest.raises(NotAllowed, match=r"late-appeal .*stands refused at first instance"):
        _reopen(personas, closed, date(2024, 12, 2))
    # Each file keeps its stage.
    for application in (silent, appealed, closed):
        application.refresh_from_db()
    assert [silent.stage, appealed.stage, closed.stage] == ["refused", "upheld", "closed"]


@pytest.mark.usefixtures("assessments_drafted")
def test_the_late_appeal_ground_is_on_the_reopen_form_and_in_the_api(
    time_machine, client, personas, family, members
):
    from django.urls import reverse

    from nansen.accounts.models import ApiToken

    time_machine.move_to(at("2023-11-30 09:00"), tick=False)
    application, _refusal = _refused_and_notified(personas, family, members, "2023-11-30")
    # Appeal by 30 December 2023; a late one accepted until 10 February 2024.
    time_machine.move_to(at("2024-02-10 09:00"), tick=False)
    client.force_login(personas.officer)
    url = reverse("procedures:application_reopen", args=[application.pk])
    form = client.get(url).content.decode()
    assert '<option value="late-appeal">' in form
    assert "The applicant did not appeal in time for a valid reason" in form
    application.refresh_from_db()
    refused = client.post(
        url,
        {
            "version": application.version,
            "ground": "late-appeal",
            "reopened_on": "2024-02-10",
            "note": "In hospital for two months.",
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "an appeal is still accepted until 2024-02-10" in page
    assert "In hospital for two months." in page

    time_machine.move_to(at("2024-02-12 09:00"), tick=False)
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.officer, name="t")
    response = client.post(
        f"/api/procedures/applications/{application.pk}/reopen",
        {"version": application.version, "ground": "late-appeal", "reopened_on": "2024-02-12"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "reopened"


def test_what_may_be_decided_without_an_interview_is_data_checked_on_loading(tmp_path):
    from nansen.procedures import profiles
    from nansen.procedures.profiles import ProfileError, load_file
    from nansen.procedures.tests.test_profiles import MINIMAL

    def load(text):
        path = tmp_path / "test.toml"
        path.write_text(text, encoding="utf-8")
        return load_file(path)

    unhcr = profiles.get("unhcr-mandate")
    assert unhcr.modes["merged"].decision_without_interview == {"recognized"}
    assert unhcr.modes["regular"].decision_without_interview == set()
    assert unhcr.interview.dependants_without_interview == {"recognized"}
    assert profiles.get("jp-icrra").modes["regular"].decision_without_interview == {
        "recognized",
        "complementary",
        "rejected",
        "closed",
    }
    listed = MINIMAL.replace(
        "decision_without_interview = false", 'decision_without_interview = ["recognized"]'
    )
    assert load(listed).modes["regular"].decision_without_interview == {"recognized"}
    for value, problem in (
        ('"sometimes"', "`decision_without_interview` must be true, false or a list of outcomes"),
        ('["granted"]', "`decision_without_interview` names an unknown outcome 'granted'"),
    ):
        with pytest.raises(ProfileError, match=problem):
            load(
                MINIMAL.replace(
                    "decision_without_interview = false", f"decision_without_interview = {value}"
                )
            )
    # A kind of decision recording a conclusion of its own is never the default kind.
    form = unhcr.forms["recognition-broader-mandate"]
    assert (form.outcome, form.conclusion) == ("recognized", "recognized_broader")
    for day in DAYS:
        assert unhcr.default_form("recognized", date.fromisoformat(day)).id == "recognition"
    with pytest.raises(
        ProfileError, match="`conclusion` names a conclusion that is not an outcome"
    ):
        load(
            MINIMAL
            + '[forms.refusal]\noutcome = "rejected"\nconclusion = "rejected"\n'
            + 'source = "law Art. 6"\nlabel = { en = "Refusal", ja = "不認定", ar = "رفض" }\n'
        )
