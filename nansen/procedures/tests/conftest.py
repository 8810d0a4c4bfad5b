from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nansen.accounts.roles import Role
from nansen.procedures import services
from nansen.procedures.models import Interpreter, OfficerProfile, Room
from nansen.testing import make_user, register_family

TOKYO = ZoneInfo("Asia/Tokyo")


def at(text: str) -> datetime:
    """A moment in Tokyo, e.g. at("2025-03-10 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


@pytest.fixture(autouse=True)
def _tokyo_time(settings):
    """The bureaus' time zone, so local dates and times read as in Tokyo."""
    settings.TIME_ZONE = "Asia/Tokyo"


@pytest.fixture
def family(personas):
    return register_family(personas.clerk, children=1)


@pytest.fixture
def members(family):
    return [m.person for m in family.members.select_related("person").order_by("pk")]


@pytest.fixture
def office_setup(personas):
    """Interpreters, a room and the interviewers' details of the Tokyo bureau."""
    OfficerProfile.objects.create(user=personas.officer, sex="M", languages=["jpn", "eng"])
    OfficerProfile.objects.create(user=personas.supervisor, sex="F", languages=["jpn"])
    return {
        "karim": Interpreter.objects.create(
            office=personas.tokyo, name="Karim", languages=["ara", "eng"], sex="M"
        ),
        "huda": Interpreter.objects.create(
            office=personas.tokyo, name="Huda", languages=["ara"], sex="F"
        ),
        "room": Room.objects.create(office=personas.tokyo, name="Interview room 3"),
        "room2": Room.objects.create(office=personas.tokyo, name="Interview room 4"),
    }


@pytest.fixture
def dual(personas):
    """An officer who both decides first-instance claims and sits on appeals."""
    return make_user("dual", personas.tokyo, Role.ELIGIBILITY_OFFICER, Role.APPEALS_OFFICER)


def interview_held(time_machine, application, interviewer, interpreter, room, day: str):
    """Schedule an interview on ``day`` at 10:00 and record it as held, moving time along."""
    time_machine.move_to(at(f"{day} 08:00"), tick=False)
    interview = services.interview_schedule(
        actor=interviewer,
        application=application,
        starts_at=at(f"{day} 10:00"),
        ends_at=at(f"{day} 12:00"),
        interviewer=interviewer,
        language="ara",
        interpreter=interpreter,
        room=room,
    )
    time_machine.move_to(at(f"{day} 12:30"), tick=False)
    services.interview_record(
        actor=interviewer,
        interview=interview,
        expected_version=interview.version,
        started_at=at(f"{day} 10:05"),
        ended_at=at(f"{day} 11:50"),
        present=["applicant", "interviewer", "interpreter"],
        account="I was detained twice for my writing and fled after the second release.",
        read_back=True,
        confirmed=True,
    )
    application.refresh_from_db()
    return interview
