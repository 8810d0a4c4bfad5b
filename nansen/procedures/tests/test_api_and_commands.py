"""The procedure engine from the REST API and the command line."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from nansen.accounts.models import ApiToken
from nansen.procedures import services
from nansen.procedures.tests.conftest import at


def _api(client, user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_profiles_and_the_deadline_calculator_are_open_to_all(client):
    profiles = client.get("/api/procedures/profiles").json()
    rules = {p["id"]: [r["id"] for r in p["rules"]] for p in profiles}
    jp = next(p for p in profiles if p["id"] == "jp-icrra")
    decide = next(s for s in jp["steps"] if s["id"] == "decide")
    assert decide["from_stages"] == ["interviewed", "lodged", "remitted"]
    assert "ICRRA Art. 61-2(1)" in decide["cited"]
    assert {"review-request", "court-action"} <= set(rules["jp-icrra"])
    assert {"appeal", "appeal-late"} <= set(rules["unhcr-mandate"])
    response = client.get(
        "/api/procedures/deadline",
        {"profile": "jp-icrra", "rule": "court-action", "date": "2025-08-31"},
    )
    assert response.json()["last_day"] == "2026-03-02"
    missing = client.get(
        "/api/procedures/deadline", {"profile": "jp-icrra", "rule": "x", "date": "2025-08-31"}
    )
    assert missing.status_code == 404


@pytest.mark.usefixtures("assessments_drafted")
def test_the_procedure_through_the_api(
    time_machine, client, personas, family, members, office_setup
):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:1], lodged_on=date(2025, 3, 3)
    )
    clerk = _api(client, personas.clerk)
    response = clerk.post(
        f"/api/procedures/applications/{application.pk}/interviews",
        {
            "starts_at": "2025-03-10T10:00:00+09:00",
            "ends_at": "2025-03-10T12:00:00+09:00",
            "interviewer": "officer",
            "language": "ara",
            "interpreter_id": office_setup["karim"].pk,
            "room_id": office_setup["room"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    interview = response.json()

    time_machine.move_to(at("2025-03-10 12:30"), tick=False)
    officer = _api(client, personas.officer)
    response = officer.post(
        f"/api/procedures/interviews/{interview['id']}/record",
        {
            "version": interview["version"],
            "started_at": "2025-03-10T10:00:00+09:00",
            "ended_at": "2025-03-10T11:30:00+09:00",
            "present": ["applicant", "interviewer", "interpreter"],
            "account": "They came for me at night.",
            "read_back": True,
            "confirmed": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["account"] == "They came for me at night."

    procedure = (
        _api(client, personas.clerk).get(f"/api/procedures/applications/{application.pk}").json()
    )
    assert procedure["stage"] == "interviewed"
    assert procedure["interviews"][0]["account"] is None  # a clerk sees no account
    assert "decide" not in procedure["steps_available"]

    officer = _api(client, personas.officer)
    application.refresh_from_db()
    decision = officer.post(
        f"/api/applications/{application.pk}/decision",
        {
            "version": application.version,
            "outcome": "rejected",
            "decided_on": "2025-03-10",
            "reasons": "Not credible.",
        },
        content_type="application/json",
    ).json()
    letter = officer.post(
        f"/api/procedures/decisions/{decision['id']}/letters",
        {"language": "ja", "notification_on": "2025-03-10"},
        content_type="application/json",
    )
    assert letter.status_code == 201, letter.content
    assert letter.json()["last_day"] == "2025-03-17"
    pdf = officer.get(f"/api/procedures/letters/{letter.json()['id']}/pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["X-Content-SHA256"] == letter.json()["sha256"]
    notified = officer.post(
        f"/api/procedures/letters/{letter.json()['id']}/notify",
        {"notified_on": "2025-03-10"},
        content_type="application/json",
    )
    assert notified.status_code == 200
    work = officer.get("/api/procedures/work").json()
    assert [d["rule"] for d in work["due_soon"]] == ["review-request"]

    clerk = _api(client, personas.clerk)
    application.refresh_from_db()
    refused = clerk.post(
        f"/api/procedures/applications/{application.pk}/appeals",
        {
            "version": application.version,
            "lodged_on": "2025-03-10",
            "grounds": "x",
            "instance": "judicial",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "jp-icrra › lodge_court_action" in refused.json()["detail"]
    outsider = _api(client, personas.outsider)
    assert outsider.get(f"/api/procedures/applications/{application.pk}").status_code == 404


def test_nansen_procedures_deadline_prints_the_last_day():
    out = StringIO()
    call_command(
        "procedures",
        "deadline",
        "--profile",
        "jp-icrra",
        "--rule",
        "review-request",
        "--date",
        "2025-12-22",
        stdout=out,
    )
    assert out.getvalue().strip() == "2026-01-05"
    out = StringIO()
    call_command(
        "procedures",
        "deadline",
        "--profile",
        "unhcr-mandate",
        "--rule",
        "appeal-late",
        "--date",
        "2025-01-10",
        stdout=out,
    )
    assert out.getvalue().strip() == "2025-03-23"
    with pytest.raises(CommandError, match="has no rule 'appeal'"):
        call_command(
            "procedures",
            "deadline",
            "--profile",
            "jp-icrra",
            "--rule",
            "appeal",
            "--date",
            "2025-01-10",
        )


def test_nansen_procedures_profiles_lists_the_rule_ids():
    out = StringIO()
    call_command("procedures", "profiles", stdout=out)
    text = out.getvalue()
    for rule in ("review-request", "court-action", "appeal", "appeal-late"):
        assert f"  deadline\t{rule}\t" in text


@pytest.mark.usefixtures("assessments_drafted")
def test_the_daily_digest_mails_what_is_due_without_names(time_machine, personas, family, members):
    time_machine.move_to(at("2025-06-10 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:1], lodged_on=date(2025, 3, 3)
    )
    decision = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 6, 9),
        reasons="x",
        without_interview_reason="On the file.",
    )
    services.decision_notify(
        actor=personas.officer, decision=decision, notified_on=date(2025, 6, 9)
    )
    family.representatives.add(personas.lawyer)
    for user in (personas.officer, personas.lawyer, personas.supervisor, personas.clerk):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    out = StringIO()
    call_command("procedures", "digest", "--base-url", "https://nansen.example.org", stdout=out)
    assert "sent 3 digest(s)" in out.getvalue()  # the clerk is in charge of nothing
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lawyer@example.org",
        "officer@example.org",
        "supervisor@example.org",
    ]
    body = mail.outbox[0].body
    assert "2025-06-16" in body and family.number in body
    assert f"https://nansen.example.org/applications/{application.pk}/" in body
    assert members[0].family_name not in body and members[0].given_name not in body
