"""Applications recorded before the profiles follow their office's profile afterwards."""

import importlib
from datetime import date

from django.apps import apps

from nansen.procedures.models import Application, Decision, Interview

migration = importlib.import_module(
    "nansen.procedures.migrations.0003_existing_applications_follow_profiles"
)


def _foundation_application(personas, family, person, **values):
    """An application as the foundation stored it (profile "basic", stage "decided")."""
    return Application.objects.create(
        case=family,
        person=person,
        office=family.office,
        profile="basic",
        created_by=personas.clerk,
        **values,
    )


def test_existing_applications_get_their_office_profile_and_stage(personas, family, members):
    decided = _foundation_application(
        personas,
        family,
        members[0],
        lodged_on=date(2024, 7, 1),
        ordinal=3,
        stage="decided",
        interview_on=date(2024, 8, 1),
    )
    Decision.objects.create(
        application=decided,
        outcome="rejected",
        decided_on=date(2024, 9, 1),
        decided_by=personas.officer,
        reasons="x",
    )
    pending = _foundation_application(
        personas, family, members[1], lodged_on=date(2024, 1, 1), ordinal=1, stage="lodged"
    )
    migration.forwards(apps, None)
    decided.refresh_from_db()
    pending.refresh_from_db()
    assert (decided.profile, decided.stage) == ("jp-icrra", "refused")
    assert (decided.suspends_removal, decided.removal_exception) == (
        False,
        "third-or-later-application",
    )
    assert (pending.profile, pending.stage, pending.suspends_removal) == (
        "jp-icrra",
        "lodged",
        True,
    )
    assert Interview.objects.get(application=decided).held_on == date(2024, 8, 1)
