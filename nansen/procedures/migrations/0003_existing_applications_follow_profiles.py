"""Applications recorded before the procedure profiles follow the profile of their office.

A Japanese asylum authority's bureau follows ``jp-icrra``; any other office ``unhcr-mandate``
(the profiles' ``default_for`` when this was written). The foundation's single "decided"
stage becomes the stage the profile reaches with the decision's outcome, and an interview
date becomes a held interview.
"""

from django.db import migrations

OUTCOME_STAGE = {
    "recognized": "recognized",
    "complementary": "complementary",
    "rejected": "refused",
    "closed": "closed",
}
# ICRRA Art. 61-2-9(4)(i) (from 10 June 2024): a third or later application does not suspend
# removal unless material showing reasonable grounds is submitted.
THIRD_APPLICATION_RULE_FROM = "2024-06-10"


def forwards(apps, schema_editor):
    Application = apps.get_model("procedures", "Application")
    Decision = apps.get_model("procedures", "Decision")
    Interview = apps.get_model("procedures", "Interview")
    for application in Application.objects.select_related("office").iterator():
        office = application.office
        japanese = office.kind == "asylum_authority" and office.country == "JPN"
        application.profile = "jp-icrra" if japanese else "unhcr-mandate"
        if application.stage == "decided":
            decision = (
                Decision.objects.filter(application=application, instance="first")
                .order_by("-decided_on", "-pk")
                .first()
            )
            application.stage = OUTCOME_STAGE.get(decision.outcome, "closed") if decision else "lodged"
        if japanese:
            third = (
                application.ordinal >= 3
                and application.lodged_on.isoformat() >= THIRD_APPLICATION_RULE_FROM
            )
            application.suspends_removal = not third
            application.removal_exception = "third-or-later-application" if third else ""
        application.save(
            update_fields=["profile", "stage", "suspends_removal", "removal_exception"]
        )
        if application.interview_on:
            Interview.objects.create(
                application=application,
                status="held",
                held_on=application.interview_on,
            )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_procedure_engine")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
