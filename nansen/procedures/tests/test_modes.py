"""Processing modes set target times: the decision awaited, its target date, the work queue
ordered by the applicant's specific needs and then by that date, and what is past target on
the pages and in the API."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.procedures import profiles, services
from nansen.procedures.profiles import ProfileError
from nansen.procedures.selectors import awaiting_decision, work_queue
from nansen.procedures.targets import TargetEvents, target_date
from nansen.procedures.tests.conftest import at, interview_held
from nansen.procedures.tests.test_profiles import MINIMAL, _load
from nansen.testing import register_family

UNHCR = "unhcr-mandate"


def _principal(case):
    return case.members.select_related("person").order_by("pk")[0].person


def _lodge(personas, on: str, *, mode: str = "regular", profile: str = UNHCR, **principal):
    case = register_family(personas.clerk, children=0, **principal)
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=case,
        persons=[_principal(case)],
        lodged_on=date.fromisoformat(on),
        profile=profile,
        processing_mode=mode,
    )
    return application


def _target(application, today: str):
    application.refresh_from_db()
    return target_date(
        application,
        TargetEvents(
            interviewed_on=max(
                (i.held_on for i in application.interviews.all() if i.held_on), default=None
            ),
            appeal_lodged_on=max(
                (a.lodged_on for a in application.appeals.filter(outcome="")), default=None
            ),
        ),
        today=date.fromisoformat(today),
    )


# --- the profiles ----------------------------------------------------------------------------


def test_each_mode_declares_its_targets_citing_a_source_and_marking_nansens_defaults():
    unhcr = profiles.get(UNHCR).modes
    regular = unhcr["regular"].target("decide")
    assert (regular.starts, str(regular.period), regular.nansen_default) == (
        "record_interview",
        "1 month",
        False,
    )
    # The paragraph number was seen only in a quotation: the profile marks it not verified.
    assert regular.cited() == "UNHCR RSD Procedural Standards §4.5 [not verified]"
    accelerated = unhcr["accelerated"].target("decide")
    assert (accelerated.starts, str(accelerated.period), accelerated.nansen_default) == (
        "lodged",
        "30 days",
        True,
    )
    assert unhcr["merged"].target("decide").starts == "lodged"
    assert all(m.target("decide_appeal").nansen_default for m in unhcr.values())
    japan = profiles.get("jp-icrra").modes["regular"]
    assert (japan.target("decide").starts, str(japan.target("decide").period)) == (
        "lodged",
        "6 months",
    )
    assert "MOJ announcement of 16 July 2010" in japan.target("decide").cited()
    # No standard period is published for the request for examination.
    assert japan.target("decide_appeal") is None


def test_a_target_is_read_with_its_event_and_period(tmp_path):
    profile = _load(
        tmp_path,
        MINIMAL
        + """
[modes.regular.targets.decide]
from = "lodged"
period = { days = 45 }
counting = "days"
nansen_default = true
source = "law Art. 6"
""",
    )
    target = profile.modes["regular"].target("decide")
    assert (target.starts, target.period.days, target.counting.id, target.nansen_default) == (
        "lodged",
        45,
        "days",
        True,
    )


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ('[modes.regular.targets.interview]\nfrom = "lodged"', "a target is for one of the steps"),
        ('[modes.regular.targets.decide]\nfrom = "notified"', "`from` must be one of"),
        ('[modes.regular.targets.decide_appeal]\nfrom = "lodge_appeal"', "no step of the profile"),
        ('[modes.regular.targets.decide]\nfrom = "lodged"\nperiod = {}', "the period is empty"),
        ('[modes.regular.targets.decide]\nfrom = "lodged"\ncounting = "x"', "unknown counting"),
        ('[modes.regular.targets.decide]\nfrom = "lodged"\nsource = "nowhere 1"', "nowhere"),
    ],
)
def test_a_target_the_engine_cannot_follow_is_refused(tmp_path, target, problem):
    defaults = {"period": "period = { days = 30 }", "counting": 'counting = "days"'}
    lines = [target]
    lines += [line for key, line in defaults.items() if f"\n{key} =" not in target]
    if "source =" not in target:
        lines.append('source = "law Art. 6"')
    with pytest.raises(ProfileError, match=problem):
        _load(tmp_path, MINIMAL + "\n" + "\n".join(lines) + "\n")


# --- target dates ----------------------------------------------------------------------------


def test_regular_rsd_aims_at_a_decision_a_month_after_the_interview(
    time_machine, personas, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, "2025-03-03")
    assert _target(application, "2025-03-03") is None  # no interview yet: no target yet
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    target = _target(application, "2025-04-10")
    # Counted from the day after the interview: 11 March to 10 April.
    assert (target.step, target.event_on, target.target_on) == (
        "decide",
        date(2025, 3, 10),
        date(2025, 4, 10),
    )
    assert (target.past, target.days_left) == (False, 0)
    late = _target(application, "2025-04-15")
    assert (late.past, late.days_past) == (True, 5)


def test_accelerated_rsd_counts_from_registration_and_a_mode_change_moves_the_target(
    time_machine, personas
):
    time_machine.move_to(at("2025-03-20 09:00"), tick=False)
    application = _lodge(personas, "2025-03-03", mode="accelerated")
    target = _target(application, "2025-03-20")
    assert (target.target_on, target.days_left, target.rule.nansen_default) == (
        date(2025, 4, 2),
        13,
        True,
    )
    services.application_mode_set(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        mode="regular",
        reason="No specific needs found at the screening interview.",
    )
    assert _target(application, "2025-03-20") is None


@pytest.mark.usefixtures("assessments_drafted")
def test_the_appeal_has_its_own_target_from_the_day_it_was_lodged(
    time_machine, personas, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, "2025-03-03")
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    time_machine.move_to(at("2025-03-20 09:00"), tick=False)
    decision = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 3, 20),
        reasons="The account is not credible on the material facts.",
    )
    services.decision_notify(
        actor=personas.officer, decision=decision, notified_on=date(2025, 3, 20)
    )
    assert _target(application, "2025-03-25") is None  # decided: nothing awaited
    time_machine.move_to(at("2025-04-01 09:00"), tick=False)
    application.refresh_from_db()
    services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 4, 1),
        grounds="The interpreter did not speak my dialect.",
    )
    target = _target(application, "2025-07-05")
    assert (target.step, target.target_on, target.past, target.days_past) == (
        "decide_appeal",
        date(2025, 7, 1),
        True,
        4,
    )


def test_the_clock_starts_again_when_a_decision_is_set_aside(personas):
    application = _lodge(personas, "2025-01-06", mode="accelerated")
    restarted = TargetEvents(restarted_on=date(2025, 5, 2))
    target = target_date(application, restarted, today=date(2025, 5, 2))
    assert (target.event_on, target.target_on) == (date(2025, 5, 2), date(2025, 6, 1))


def test_japan_aims_at_six_months_from_the_application(time_machine, personas):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, "2025-03-03", profile="jp-icrra")
    target = _target(application, "2025-09-04")
    assert (target.target_on, target.past, target.days_past) == (date(2025, 9, 3), True, 1)


# --- the work queue --------------------------------------------------------------------------


@pytest.fixture
def caseload(time_machine, personas):
    """Five applications awaiting a first-instance decision at the Tokyo bureau on 20 March
    2025, lodged under UNHCR's mandate."""
    time_machine.move_to(at("2025-03-20 09:00"), tick=False)
    return {
        # Accelerated, lodged 3 Feb: target 5 March, 15 days past.
        "long_past": _lodge(personas, "2025-02-03", mode="accelerated", given_name="Omar"),
        # Accelerated, lodged 10 Feb: target 12 March, 8 days past.
        "past": _lodge(personas, "2025-02-10", mode="accelerated", given_name="Yusuf"),
        # Accelerated, lodged 10 March: target 9 April, in 20 days.
        "soon": _lodge(personas, "2025-03-10", mode="accelerated", given_name="Samir"),
        # Regular, not interviewed: no target yet.
        "no_target": _lodge(personas, "2025-01-06", given_name="Karim"),
        # An unaccompanied child, target 9 April: first all the same.
        "child": _lodge(
            personas,
            "2025-03-10",
            mode="accelerated",
            given_name="Ali",
            birth_date=date(2009, 5, 1),
            specific_needs=["SC"],
        ),
    }


def test_the_queue_puts_specific_needs_first_then_the_target_passed_longest(personas, caseload):
    awaiting, count, past = awaiting_decision(user=personas.supervisor, today=date(2025, 3, 20))
    order = [a.application.pk for a in awaiting]
    expected = ["child", "long_past", "past", "soon", "no_target"]
    assert order == [caseload[name].pk for name in expected]
    assert (count, past) == (5, 2)
    child, long_past = awaiting[0], awaiting[1]
    assert (child.priority, child.needs, child.step) == (
        1,
        ["Unaccompanied or separated child"],
        "decide",
    )
    assert (long_past.priority, long_past.target.days_past) == (4, 15)
    assert awaiting[-1].target is None

    only_past, count, past = awaiting_decision(
        user=personas.supervisor, today=date(2025, 3, 20), past_target_only=True
    )
    assert [a.application.pk for a in only_past] == [
        caseload["long_past"].pk,
        caseload["past"].pk,
    ]
    assert (count, past) == (2, 2)


def test_an_officer_sees_the_applications_in_their_charge_and_the_appeals_they_decide(
    time_machine, personas, caseload, office_setup
):
    mine = caseload["no_target"]
    interview_held(
        time_machine,
        mine,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    awaiting, count, past = awaiting_decision(user=personas.officer, today=date(2025, 4, 15))
    assert [a.application.pk for a in awaiting] == [mine.pk]
    assert (awaiting[0].target.target_on, count, past) == (date(2025, 4, 10), 1, 1)
    assert awaiting_decision(user=personas.appeals, today=date(2025, 4, 15))[1] == 0
    assert awaiting_decision(user=personas.outsider, today=date(2025, 4, 15))[1] == 0
    # A legal representative follows the applications of the cases they represent.
    caseload["child"].case.representatives.add(personas.lawyer)
    represented, _count, _past = awaiting_decision(user=personas.lawyer, today=date(2025, 4, 15))
    assert [a.application.pk for a in represented] == [caseload["child"].pk]


def test_the_work_queue_carries_the_applications_awaiting_a_decision(personas, caseload):
    queue = work_queue(user=personas.supervisor, today=date(2025, 3, 20))
    assert (queue.awaiting_count, queue.past_target_count, queue.empty) == (5, 2, False)


# --- pages and API ---------------------------------------------------------------------------


def test_my_work_shows_the_priority_order_and_days_past_target_in_bounded_queries(
    time_machine, client, personas, caseload, django_assert_max_num_queries
):
    client.force_login(personas.supervisor)

    def page():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("procedures:work"))
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    small, html = page()
    names = ["Ali", "Omar", "Yusuf", "Samir", "Karim"]
    positions = [html.index(f"{name} AL-HASSAN") for name in names]
    assert positions == sorted(positions)
    assert "15 days past target" in html and "8 days past target" in html
    assert "2 past their target" in html
    assert "Unaccompanied or separated child" in html
    assert "no target yet" in html
    for given in ("Hana", "Lina", "Musa", "Nour", "Rami"):
        _lodge(personas, "2025-02-17", mode="accelerated", given_name=given)
    large, html = page()
    assert large == small
    assert "7 past their target" in html
    with django_assert_max_num_queries(small):
        client.get(reverse("procedures:work"))

    only = client.get(reverse("procedures:work"), {"past_target": "1"}).content.decode()
    assert "Omar AL-HASSAN" in only and "Samir AL-HASSAN" not in only
    assert "Show every application awaiting a decision" in only


def test_the_application_page_states_the_target_and_whether_it_is_past(client, personas, caseload):
    client.force_login(personas.supervisor)
    html = client.get(
        reverse("procedures:application_detail", args=[caseload["past"].pk])
    ).content.decode()
    assert "Target for the first-instance decision" in html
    assert "2025-03-12" in html and "8 days past target" in html
    assert "30 days from the day the application was lodged (2025-02-10)" in html
    assert "Nansen&#x27;s default" in html or "Nansen's default" in html
    html = client.get(
        reverse("procedures:application_detail", args=[caseload["soon"].pk])
    ).content.decode()
    assert "2025-04-09" in html and "in 20 days" in html
    html = client.get(
        reverse("procedures:application_detail", args=[caseload["no_target"].pk])
    ).content.decode()
    assert "Target for the" not in html


def test_the_api_gives_the_target_and_the_queue_in_priority_order(client, personas, caseload):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ, user=personas.supervisor, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    body = client.get(f"/api/procedures/applications/{caseload['past'].pk}").json()
    assert (body["target_on"], body["past_target"]) == ("2025-03-12", True)
    body = client.get(f"/api/procedures/applications/{caseload['no_target'].pk}").json()
    assert (body["target_on"], body["past_target"]) == (None, False)

    work = client.get("/api/procedures/work").json()
    assert [a["application_id"] for a in work["awaiting_decision"]] == [
        caseload[name].pk for name in ("child", "long_past", "past", "soon", "no_target")
    ]
    first, second = work["awaiting_decision"][:2]
    assert (first["priority"], first["decision_awaited"], first["past_target"]) == (
        1,
        "decide",
        False,
    )
    assert (second["target_on"], second["days_past_target"]) == ("2025-03-05", 15)
    assert (work["awaiting_count"], work["past_target_count"]) == (5, 2)
    only = client.get("/api/procedures/work", {"past_target": "true"}).json()
    assert len(only["awaiting_decision"]) == 2
