"""The law as it stood on the day: dated kinds of decision, citations numbered by date, the
true state of the suspension of removal, and the listing of what was in force."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from nansen.audit.models import CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures import profiles, services
from nansen.procedures.letters import render_letter_html
from nansen.procedures.models import Appeal, Application
from nansen.procedures.profiles import ProfileError, _read
from nansen.procedures.removal import NOT_SUSPENDED, STAYED, SUSPENDED, removal_state
from nansen.procedures.tests.conftest import at

AMENDED = date(2024, 6, 10)  # Act No. 56 of 2023: the second step in force
DAY_BEFORE = date(2024, 6, 9)


def _lodge(personas, case, person, on: str, **kwargs) -> Application:
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=case,
        persons=[person],
        lodged_on=date.fromisoformat(on),
        **kwargs,
    )
    return application


def _decide(personas, application, outcome: str, on: str, **kwargs):
    application.refresh_from_db()
    return services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        decided_on=date.fromisoformat(on),
        reasons="The accepted facts are assessed against Art. 1A(2).",
        without_interview_reason="Decided on the papers.",
        **kwargs,
    )


# --- kinds of decision by date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offered"),
    [
        (date(2023, 11, 30), {"recognition", "humanitarian-stay", "refusal"}),
        (
            date(2023, 12, 1),
            {"recognition", "complementary-protection", "humanitarian-stay", "refusal"},
        ),
        (DAY_BEFORE, {"recognition", "complementary-protection", "humanitarian-stay", "refusal"}),
        (AMENDED, {"recognition", "complementary-protection", "refusal-of-status"}),
    ],
)
def test_the_kinds_of_decision_in_force_follow_the_amendments(day, offered):
    assert set(profiles.get("jp-icrra").on(day).forms) == offered


@pytest.mark.usefixtures("assessments_drafted")
def test_special_permission_to_stay_is_no_longer_decided_in_the_procedure_from_10_june_2024(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2024-06-10 09:00"), tick=False)
    earlier = _lodge(personas, family, members[0], "2024-01-15")
    decision = _decide(personas, earlier, "complementary", "2024-06-09", form="humanitarian-stay")
    assert decision.form == "humanitarian-stay"

    later = _lodge(personas, family, members[1], "2024-01-15")
    with pytest.raises(
        NotAllowed,
        match=r"jp-icrra › forms\.humanitarian-stay .*could only be decided until 2024-06-09",
    ):
        _decide(personas, later, "complementary", "2024-06-10", form="humanitarian-stay")
    # A complementary outcome from that day is complementary protection, not the old stay.
    assert (
        _decide(personas, later, "complementary", "2024-06-10").form == "complementary-protection"
    )


@pytest.mark.usefixtures("assessments_drafted")
def test_before_1_december_2023_a_complementary_outcome_is_the_old_special_permission(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2023-11-30 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2023-06-01")
    assert _decide(personas, application, "complementary", "2023-11-30").form == "humanitarian-stay"


def test_the_decision_page_keeps_what_was_typed_and_says_when_a_kind_was_in_force(
    time_machine, client, personas, family, members
):
    time_machine.move_to(at("2024-07-01 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2024-01-15")
    client.force_login(personas.officer)
    url = reverse("procedures:decision_record", args=[application.pk])
    page = client.get(url).content.decode()
    assert "(decisions until 2024-06-09)" in page
    response = client.post(
        url,
        {
            "version": application.version,
            "outcome": "complementary",
            "form": "humanitarian-stay",
            "decided_on": "2024-07-01",
            "reasons": "Typed reasons that must not be lost.",
            "without_interview_reason": "On the papers.",
        },
    )
    text = response.content.decode()
    assert response.status_code in (200, 400)
    assert "not a kind of decision in force on 2024-07-01" in text
    assert "Typed reasons that must not be lost." in text
    assert not application.decisions.exists()


# --- citations numbered by date ---------------------------------------------------------


def test_citations_of_the_request_for_examination_follow_the_renumbering():
    profile = profiles.get("jp-icrra")
    before = profile.on(DAY_BEFORE).steps["lodge_appeal"].cited()
    after = profile.on(AMENDED).steps["lodge_appeal"].cited()
    assert before == "ICRRA Art. 61-2-9(1)"
    # The new number is not checked against the consolidated text yet, and says so.
    assert after == "ICRRA Art. 61-2-12(1) [not verified]"
    # The whole profile keeps both numberings, each with its days.
    both = profile.steps["lodge_appeal"].citations
    assert [(c.pinpoint, c.in_force_until, c.in_force_from) for c in both] == [
        ("Art. 61-2-9(1)", DAY_BEFORE, None),
        ("Art. 61-2-12(1)", None, AMENDED),
    ]


@pytest.mark.parametrize(
    ("decided", "cited", "not_cited"),
    [
        ("2024-06-07", "ICRRA Art. 61-2-9(2)", "61-2-12"),
        ("2024-06-10", "ICRRA Art. 61-2-12(2)", "61-2-9(2)"),
    ],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_the_letter_cites_the_article_as_numbered_on_the_decision_date(
    time_machine, personas, family, members, decided, cited, not_cited
):
    time_machine.move_to(at("2024-06-12 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2024-02-01")
    decision = _decide(personas, application, "rejected", decided)
    html = render_letter_html(
        decision=decision, language="en", notification_on=date(2024, 6, 12), addressee="A"
    )
    assert cited in html
    assert not_cited not in html
    # The letter cites plainly; the mark stays in the profile listing and the docs.
    assert "not verified" not in html
    # The legal basis of the kind of decision is on the letter too, and from 10 June 2024
    # a refusal no longer says that permission to stay was withheld.
    assert "ICRRA Art. 61-2(4)" in html
    assert ("without permission to stay" in html) is (decided < "2024-06-10")


@pytest.mark.usefixtures("assessments_drafted")
def test_a_rule_s_period_is_taken_from_the_rules_in_force_on_the_day_of_the_event(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2024-06-12 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2024-02-01")
    decision = _decide(personas, application, "rejected", "2024-06-10")
    (deadline,) = services.decision_notify(
        actor=personas.officer, decision=decision, notified_on=date(2024, 6, 12)
    )
    assert (deadline.rule, deadline.due_on) == ("review-request", date(2024, 6, 19))


# --- listing what was in force ----------------------------------------------------------


def _listing(*args) -> str:
    out = StringIO()
    call_command("procedures", "profiles", *args, stdout=out)
    return out.getvalue()


def test_nansen_procedures_profiles_on_a_date_lists_what_was_in_force():
    before = _listing("--on", "2024-06-09")
    after = _listing("--on", "2024-06-10")
    old_stay = "  decision\thumanitarian-stay\t"
    assert old_stay in before and old_stay not in after
    assert "  decision\tcomplementary-protection\t" in after
    assert "ICRRA Art. 61-2-9(1)" in before and "61-2-12(1)" not in before
    assert "ICRRA Art. 61-2-12(1) [not verified]" in after
    assert "61-2-9(1)" not in after
    assert "  decision\tcomplementary-protection\t" not in _listing("--on", "2023-11-30")
    # Without a date: everything, each with when it is in force.
    full = _listing()
    assert "  decision\thumanitarian-stay\t" in full and "until 2024-06-09" in full


def test_the_profiles_api_lists_what_was_in_force_on_a_day(client):
    before = client.get("/api/procedures/profiles", {"on": "2024-06-09"}).json()
    after = client.get("/api/procedures/profiles", {"on": "2024-06-10"}).json()
    jp_before = next(p for p in before if p["id"] == "jp-icrra")
    jp_after = next(p for p in after if p["id"] == "jp-icrra")
    assert "humanitarian-stay" in [f["id"] for f in jp_before["decision_forms"]]
    assert "humanitarian-stay" not in [f["id"] for f in jp_after["decision_forms"]]
    (citation,) = next(s for s in jp_after["steps"] if s["id"] == "lodge_appeal")["citations"]
    assert citation == {
        "source": "icrra",
        "pinpoint": "Art. 61-2-12(1)",
        "text": "ICRRA Art. 61-2-12(1)",
        "in_force_from": "2024-06-10",
        "in_force_until": None,
        "verified": False,
    }


def test_a_profile_with_impossible_dates_is_refused_with_every_problem():
    data = {
        "id": "x",
        "sources": {"law": {"short": "Law", "title": "A law"}},
        "forms": {
            "f": {
                "outcome": "recognized",
                "label": {"en": "a", "ja": "b", "ar": "c"},
                "in_force_from": date(2024, 6, 10),
                "in_force_until": date(2024, 6, 9),
                "source": [{"ref": "law Art. 1", "since": date(2024, 1, 1)}],
            }
        },
    }
    with pytest.raises(ProfileError) as raised:
        _read("x", data)
    message = str(raised.value)
    assert "`in_force_until` comes before `in_force_from`" in message
    assert "unknown key 'since'" in message


# --- the suspension of removal, as it truly stands --------------------------------------


def _status(application, on: str):
    application.refresh_from_db()
    state = removal_state(application, date.fromisoformat(on))
    return state.status if state else None


@pytest.mark.usefixtures("assessments_drafted")
def test_removal_is_suspended_while_pending_at_the_authority_and_not_after(
    time_machine, client, personas, family, members
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    assert _status(application, "2025-03-03") == SUSPENDED
    decision = _decide(personas, application, "rejected", "2025-03-03")
    services.decision_notify(
        actor=personas.officer, decision=decision, notified_on=date(2025, 3, 3)
    )
    # Refused, but the request for examination may still be lodged (until Monday
    # 10 March): still suspended.
    assert _status(application, "2025-03-10") == SUSPENDED
    # The period ran out without a request: the refusal is final at the authority, though
    # nothing else happened to the application; the page says so too.
    time_machine.move_to(at("2025-03-11 09:00"), tick=False)
    assert _status(application, "2025-03-11") == NOT_SUSPENDED
    client.force_login(personas.officer)
    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert 'data-removal="not_suspended"' in page


@pytest.mark.parametrize(
    ("lodged", "article"),
    [("2023-11-06", "ICRRA Art. 61-2-6(3)"), ("2024-06-10", "ICRRA Art. 61-2-9(3)")],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_a_request_for_examination_suspends_removal_and_a_court_action_does_not(
    time_machine, personas, family, members, lodged, article
):
    day = date.fromisoformat(lodged)

    def on(days: int) -> str:
        return (day + timedelta(days=days)).isoformat()

    time_machine.move_to(at(f"{lodged} 09:00"), tick=False)
    application = _lodge(personas, family, members[0], lodged)
    state = removal_state(application, day)
    assert state.status == SUSPENDED and state.cited == article
    decision = _decide(personas, application, "rejected", lodged)
    services.decision_notify(actor=personas.officer, decision=decision, notified_on=day)
    application.refresh_from_db()
    time_machine.move_to(at(f"{on(2)} 09:00"), tick=False)
    services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=day + timedelta(days=2),
        grounds="The persecution was not assessed.",
    )
    assert _status(application, on(2)) == SUSPENDED
    # Ruled on and taken to court: no suspension without a stay of execution.
    Application.objects.filter(pk=application.pk).update(stage="in_court")
    court = Appeal.objects.create(
        application=application,
        instance="judicial",
        court_level="district",
        decision=decision,
        lodged_on=day + timedelta(days=180),
        in_time=True,
        grounds="Revocation of the refusal.",
        lodged_by=personas.clerk,
    )
    state = removal_state(Application.objects.get(pk=application.pk), day + timedelta(days=181))
    assert state.status == NOT_SUSPENDED
    assert "only a stay of execution" in state.explanation
    assert "ACLA Art. 25(2)" in state.cited
    Appeal.objects.filter(pk=court.pk).update(stay_applied_on=day + timedelta(days=181))
    state = removal_state(Application.objects.get(pk=application.pk), day + timedelta(days=182))
    assert (state.status, state.stay_pending) == (NOT_SUSPENDED, True)
    Appeal.objects.filter(pk=court.pk).update(stay_outcome="refused")
    assert _status(application, on(190)) == NOT_SUSPENDED
    Appeal.objects.filter(pk=court.pk).update(
        stay_outcome="granted", stay_decided_on=day + timedelta(days=200)
    )
    assert _status(application, on(201)) == STAYED


@pytest.mark.parametrize("day", ["2023-11-30", "2024-06-10"])
@pytest.mark.usefixtures("assessments_drafted")
def test_a_recognised_refugee_is_shown_no_suspension_at_all(
    time_machine, personas, family, members, day
):
    time_machine.move_to(at(f"{day} 09:00"), tick=False)
    application = _lodge(personas, family, members[0], day)
    _decide(personas, application, "recognized", day)
    assert _status(application, day) is None


@pytest.mark.parametrize(("lodged", "suspended"), [("2024-06-09", True), ("2024-06-10", False)])
def test_a_third_application_suspends_removal_only_if_lodged_before_10_june_2024(
    time_machine, personas, family, members, lodged, suspended
):
    time_machine.move_to(at("2024-06-20 09:00"), tick=False)
    application = _lodge(personas, family, members[0], lodged, ordinals={members[0].pk: 3})
    assert (_status(application, "2024-06-20") == SUSPENDED) is suspended


@pytest.mark.parametrize(("lodged", "allowed"), [("2024-06-09", False), ("2024-06-10", True)])
def test_a_listed_ground_is_recorded_with_reasons_for_applications_from_10_june_2024(
    time_machine, personas, family, members, lodged, allowed
):
    time_machine.move_to(at("2024-06-20 09:00"), tick=False)
    application = _lodge(personas, family, members[0], lodged)

    def record():
        application.refresh_from_db()
        return services.application_removal_exception_record(
            actor=personas.supervisor,
            application=application,
            expected_version=application.version,
            exception="serious-sentence",
            reasons="Sentenced to five years' imprisonment by the Tokyo District Court in 2019.",
        )

    if not allowed:
        with pytest.raises(NotAllowed, match=r"removal\.exceptions\.serious-sentence"):
            record()
        assert _status(application, "2024-06-20") == SUSPENDED
        return
    record()
    state = removal_state(application, date(2024, 6, 20))
    assert state.status == NOT_SUSPENDED and state.exception.id == "serious-sentence"
    assert "ICRRA Art. 61-2-9(4)(ii)" in state.cited
    # Material showing reasonable grounds lifts only the third-application exception.
    with pytest.raises(NotAllowed, match="does not lift this exception"):
        services.application_reasonable_grounds_record(
            actor=personas.supervisor,
            application=application,
            expected_version=application.version,
            note="A new summons.",
        )
    event = CaseEvent.objects.filter(verb="removal_exception_recorded").get()
    assert event.details["exception"] == "serious-sentence"
    # Withdrawn with reasons: the application suspends removal again.
    application.refresh_from_db()
    services.application_removal_exception_record(
        actor=personas.supervisor,
        application=application,
        expected_version=application.version,
        exception="",
        reasons="The sentence was quashed on appeal.",
    )
    assert _status(application, "2024-06-20") == SUSPENDED


@pytest.mark.usefixtures("assessments_drafted")
def test_a_court_action_does_not_block_a_new_application_but_a_pending_request_does(
    time_machine, personas, family, members
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    decision = _decide(personas, application, "rejected", "2025-03-03")
    services.decision_notify(
        actor=personas.officer, decision=decision, notified_on=date(2025, 3, 3)
    )
    application.refresh_from_db()
    time_machine.move_to(at("2025-03-05 09:00"), tick=False)
    services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=date(2025, 3, 5),
        grounds="The persecution was not assessed.",
    )
    time_machine.move_to(at("2025-10-01 09:00"), tick=False)
    with pytest.raises(NotAllowed, match="already has an application awaiting a decision"):
        _lodge(personas, family, members[0], "2025-10-01")
    Application.objects.filter(pk=application.pk).update(stage="in_court")
    second = _lodge(personas, family, members[0], "2025-10-01")
    assert second.ordinal == 2 and _status(second, "2025-10-01") == SUSPENDED


def test_the_page_and_the_api_say_the_same_about_removal(
    time_machine, client, personas, family, members
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    application = _lodge(personas, family, members[0], "2025-03-03")
    Application.objects.filter(pk=application.pk).update(stage="in_court")
    client.force_login(personas.officer)
    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert 'data-removal="not_suspended"' in page
    assert "Removal is NOT suspended." in page
    body = client.get(f"/api/procedures/applications/{application.pk}").json()
    assert body["removal"]["status"] == "not_suspended"
    assert body["removal"]["suspended"] is False


# --- the documents carry the rules as the data has them ---------------------------------


@pytest.mark.parametrize("profile_id", ["jp-icrra", "unhcr-mandate"])
def test_the_profile_s_document_carries_its_rules_table_as_the_data_has_it(profile_id):
    from pathlib import Path

    from nansen.procedures.profiles.docs import rules_table

    profile = profiles.get(profile_id)
    document = (Path(__file__).resolve().parents[3] / profile.documentation).read_text()
    table = rules_table(profile)
    assert table in document, (
        f"{profile.documentation} is out of date: replace its rules table with the output of "
        f"`nansen procedures profiles --markdown {profile_id}`"
    )
    # Every renumbered article says it is not verified, and says from when it applies.
    if profile_id == "jp-icrra":
        assert "ICRRA Art. 61-2-12(1) (from 2024-06-10)" in table
        assert "not verified: ICRRA Art. 61-2-12(1)" in table
        assert "`forms.humanitarian-stay` (until 2024-06-09)" in table


def test_the_markdown_command_prints_the_table():
    out = StringIO()
    call_command("procedures", "profiles", "--markdown", "jp-icrra", stdout=out)
    assert out.getvalue().strip() == rules_table_of("jp-icrra").strip()


def rules_table_of(profile_id: str) -> str:
    from nansen.procedures.profiles.docs import rules_table

    return rules_table(profiles.get(profile_id))


def test_a_step_in_force_only_until_a_day_is_refused_after_it():
    import tomllib
    from types import SimpleNamespace

    from nansen.procedures.profiles import DATA_DIR
    from nansen.procedures.transitions import step_check

    data = tomllib.loads((DATA_DIR / "jp-icrra.toml").read_text())
    data["steps"]["lodge_appeal"]["in_force_until"] = DAY_BEFORE
    profile = _read("jp-icrra", data)
    application = SimpleNamespace(procedure=profile, stage="refused")
    assert step_check(application, "lodge_appeal", on=DAY_BEFORE).id == "lodge_appeal"
    with pytest.raises(
        NotAllowed,
        match=r"jp-icrra › lodge_appeal .*not in force on 2024-06-10 \(until 2024-06-09\)",
    ):
        step_check(application, "lodge_appeal", on=AMENDED)
    assert "lodge_appeal" not in profile.on(AMENDED).steps


def test_the_rules_page_shows_what_was_in_force_on_a_day_to_anyone(
    db, client, django_assert_max_num_queries
):
    url = reverse("procedures:profile_rules")
    with django_assert_max_num_queries(2):
        before = client.get(url, {"on": "2024-06-09"})
    after = client.get(url, {"on": "2024-06-10"}).content.decode()
    before = before.content.decode()
    assert before.count('data-rule="humanitarian-stay"') == 1
    assert "until 2024-06-09" in before and "always" in before
    assert 'data-rule="humanitarian-stay"' not in after
    assert 'data-rule="refusal-of-status"' in after
    assert "ICRRA Art. 61-2-9(1)" in before and "61-2-12(1)" not in before
    assert 'ICRRA Art. 61-2-12(1)</bdi> <span class="tag">not verified</span>' in after
    bad = client.get(url, {"on": "2024-13-40"})
    assert bad.status_code == 400 and 'value="2024-13-40"' in bad.content.decode()
