"""Scheduling interviews: no double booking, an interpreter for the applicant's language,
the same-sex request honoured or the reason recorded; the account kept encrypted."""

from datetime import date

import pytest

from nansen.core.fields import StoredToken
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import Interpreter, Interview
from nansen.procedures.tests.conftest import at, interview_held
from nansen.testing import register_family


@pytest.fixture
def lodged(time_machine, personas, family, members):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    return services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:2], lodged_on=date(2025, 3, 3)
    )


def _schedule(personas, application, start, end, **kwargs):
    values = {
        "actor": personas.clerk,
        "application": application,
        "starts_at": at(start),
        "ends_at": at(end),
        "interviewer": personas.officer,
        "language": "ara",
    }
    values.update(kwargs)
    return services.interview_schedule(**values)


def test_nobody_and_no_room_is_booked_twice_at_the_same_time(personas, lodged, office_setup):
    principal, spouse = lodged
    karim, huda, room, room2 = (office_setup[k] for k in ("karim", "huda", "room", "room2"))
    _schedule(
        personas, principal, "2025-03-10 10:00", "2025-03-10 12:00", interpreter=karim, room=room
    )
    clashes = [
        # the same interviewer
        {"application": spouse, "interpreter": huda, "room": room2},
        # the same interpreter
        {
            "application": spouse,
            "interpreter": karim,
            "room": room2,
            "interviewer": personas.supervisor,
        },
        # the same room
        {
            "application": spouse,
            "interpreter": huda,
            "room": room,
            "interviewer": personas.supervisor,
        },
        # the same applicant
        {
            "application": principal,
            "interpreter": huda,
            "room": room2,
            "interviewer": personas.supervisor,
        },
    ]
    for who, clash in zip(
        ("the interviewer", "the interpreter", "the room", "the applicant"), clashes, strict=True
    ):
        with pytest.raises(
            NotAllowed,
            match=f"Double booking: {who} already has an interview from 2025-03-10 10:00 to 12:00",
        ):
            _schedule(personas, start="2025-03-10 11:30", end="2025-03-10 13:00", **clash)
    # Back to back is not a clash.
    _schedule(
        personas, spouse, "2025-03-10 12:00", "2025-03-10 13:00", interpreter=karim, room=room
    )
    assert Interview.objects.count() == 2


def test_an_applicant_who_needs_an_interpreter_gets_one_who_speaks_the_language(
    personas, lodged, office_setup
):
    principal, _ = lodged
    with pytest.raises(NotAllowed, match="needs an interpreter"):
        _schedule(
            personas, principal, "2025-03-10 10:00", "2025-03-10 12:00", room=office_setup["room"]
        )
    with pytest.raises(NotAllowed, match="Persian is not one of the applicant's languages"):
        _schedule(
            personas,
            principal,
            "2025-03-10 10:00",
            "2025-03-10 12:00",
            room=office_setup["room"],
            interpreter=office_setup["karim"],
            language="fas",
        )
    dari = Interpreter.objects.create(
        office=personas.tokyo, name="Nasrin", languages=["prs"], sex="F"
    )
    with pytest.raises(NotAllowed, match="The interpreter does not speak Arabic"):
        _schedule(
            personas,
            principal,
            "2025-03-10 10:00",
            "2025-03-10 12:00",
            room=office_setup["room"],
            interpreter=dari,
        )
    with pytest.raises(NotAllowed, match="Choose a room, or hold the interview remotely"):
        _schedule(
            personas,
            principal,
            "2025-03-10 10:00",
            "2025-03-10 12:00",
            interpreter=office_setup["karim"],
        )


def test_the_same_sex_request_is_honoured_or_the_reason_recorded(personas, lodged, office_setup):
    _, spouse = lodged  # Rania, female
    with pytest.raises(NotAllowed, match="the interviewer, the interpreter is not"):
        _schedule(
            personas,
            spouse,
            "2025-03-10 10:00",
            "2025-03-10 12:00",
            interpreter=office_setup["karim"],
            room=office_setup["room"],
            same_sex_requested=True,
        )
    interview = _schedule(
        personas,
        spouse,
        "2025-03-10 10:00",
        "2025-03-10 12:00",
        interpreter=office_setup["karim"],
        room=office_setup["room"],
        same_sex_requested=True,
        same_sex_unmet_reason="No female Arabic interpreter before May; she agreed.",
    )
    assert interview.same_sex_unmet_reason.startswith("No female")
    honoured = _schedule(
        personas,
        spouse,
        "2025-03-11 10:00",
        "2025-03-11 12:00",
        interviewer=personas.supervisor,
        interpreter=office_setup["huda"],
        room=office_setup["room"],
        same_sex_requested=True,
        same_sex_unmet_reason="unused",
    )
    assert honoured.same_sex_unmet_reason == ""


def test_only_officers_the_profile_allows_hold_interviews(personas, lodged, office_setup):
    principal, _ = lodged
    with pytest.raises(NotAllowed, match=r"jp-icrra › record_interview .*may not hold"):
        _schedule(
            personas,
            principal,
            "2025-03-10 10:00",
            "2025-03-10 12:00",
            interviewer=personas.clerk,
            interpreter=office_setup["karim"],
            remote=True,
        )


def test_the_record_keeps_the_account_encrypted_and_needs_the_applicant_present(
    time_machine, personas, lodged, office_setup
):
    principal, _ = lodged
    interview = _schedule(
        personas,
        principal,
        "2025-03-10 10:00",
        "2025-03-10 12:00",
        interpreter=office_setup["karim"],
        room=office_setup["room"],
    )
    time_machine.move_to(at("2025-03-10 12:30"), tick=False)
    with pytest.raises(NotAllowed, match="applicant must be present"):
        services.interview_record(
            actor=personas.officer,
            interview=interview,
            expected_version=interview.version,
            started_at=at("2025-03-10 10:00"),
            ended_at=at("2025-03-10 11:00"),
            present=["interviewer"],
            account="x",
            read_back=True,
            confirmed=True,
        )
    with pytest.raises(NotAllowed, match="write down the corrections"):
        services.interview_record(
            actor=personas.officer,
            interview=interview,
            expected_version=interview.version,
            started_at=at("2025-03-10 10:00"),
            ended_at=at("2025-03-10 11:00"),
            present=["applicant", "interviewer"],
            account="x",
            read_back=True,
            confirmed=False,
        )
    services.interview_record(
        actor=personas.officer,
        interview=interview,
        expected_version=interview.version,
        started_at=at("2025-03-10 10:05"),
        ended_at=at("2025-03-10 11:40"),
        present=["applicant", "interviewer", "interpreter", "representative"],
        account="They burned our shop in Homs in 2012.",
        read_back=True,
        confirmed=False,
        corrections="The shop was in Hama, not Homs.",
    )
    interview.refresh_from_db()
    assert interview.account == "They burned our shop in Homs in 2012."
    stored = Interview.objects.values_list("account", flat=True).get(pk=interview.pk)
    assert isinstance(stored, StoredToken) and "Homs" not in stored
    principal.refresh_from_db()
    assert (principal.stage, principal.interview_on) == ("interviewed", date(2025, 3, 10))


@pytest.mark.usefixtures("assessments_drafted")
def test_a_held_interview_is_what_a_decision_needs(time_machine, personas, office_setup):
    family = register_family(personas.clerk, children=0)
    person = family.members.get(relationship="principal").person
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=[person],
        lodged_on=date(2025, 3, 3),
        profile="unhcr-mandate",
    )
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    decision = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="recognized",
        decided_on=date(2025, 3, 10),
        reasons="Credible account.",
    )
    assert decision.without_interview_reason == ""


def test_choosing_the_language_narrows_the_interpreters(client, personas, lodged, office_setup):
    from django.urls import reverse

    principal, _ = lodged
    Interpreter.objects.create(office=personas.tokyo, name="Nasrin", languages=["prs"], sex="F")
    client.force_login(personas.clerk)
    url = reverse("procedures:interview_interpreters", args=[principal.pk])
    fragment = client.get(url, {"language": "ara"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Karim (Arabic" in fragment and "Huda" in fragment and "Nasrin" not in fragment
    page = client.get(
        reverse("procedures:interview_schedule", args=[principal.pk])
    ).content.decode()
    assert f'hx-get="{url}"' in page
