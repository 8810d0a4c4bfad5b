"""Refusals under jp-icrra decided from 10 June 2024 are of the kind ``refusal-of-status``.

From that day (Act No. 56 of 2023) special permission to stay is no longer decided in the
refugee procedure, so a refusal no longer says that it was withheld; refusals recorded
earlier with the old kind ``refusal`` ("without permission to stay") on or after that day
are given the new kind. Earlier refusals keep theirs.
"""

from datetime import date

from django.db import migrations

AMENDED = date(2024, 6, 10)


def forward(apps, schema_editor):
    Decision = apps.get_model("procedures", "Decision")
    Decision.objects.filter(
        application__profile="jp-icrra", form="refusal", decided_on__gte=AMENDED
    ).update(form="refusal-of-status")


def backward(apps, schema_editor):
    Decision = apps.get_model("procedures", "Decision")
    Decision.objects.filter(application__profile="jp-icrra", form="refusal-of-status").update(
        form="refusal"
    )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0006_court_instances")]

    operations = [migrations.RunPython(forward, backward)]
