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


def test_refusals_from_10_june_2024_no_longer_say_permission_to_stay_was_withheld(
    personas, family, members
):
    refusals = importlib.import_module(
        "nansen.procedures.migrations.0007_refusal_of_status_from_june_2024"
    )
    made = {}
    for person, day in zip(members, (date(2024, 6, 9), date(2024, 6, 10)), strict=False):
        application = Application.objects.create(
            case=family,
            person=person,
            office=family.office,
            profile="jp-icrra",
            stage="refused",
            lodged_on=date(2024, 1, 5),
            ordinal=1,
            created_by=personas.clerk,
        )
        made[day] = Decision.objects.create(
            application=application,
            outcome="rejected",
            form="refusal",
            decided_on=day,
            decided_by=personas.officer,
            reasons="x",
            historical=True,
        )
    refusals.forward(apps, None)
    forms = {day: Decision.objects.get(pk=d.pk).form for day, d in made.items()}
    assert forms == {date(2024, 6, 9): "refusal", date(2024, 6, 10): "refusal-of-status"}
    assert Decision.objects.get(pk=made[date(2024, 6, 10)].pk).form_label == (
        "Refusal of refugee status"
    )
