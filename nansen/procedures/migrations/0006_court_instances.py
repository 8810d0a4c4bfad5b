"""Court proceedings by instance: each judicial proceeding is before a court level (District
Court, High Court on appeal, Supreme Court on final appeal), with its court, the court's case
number, who brought it, the day its judgment was served, its hearings, and a stay of
execution applied for and granted or refused.

Court actions recorded before are all before the District Court (the only level there was).
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import nansen.core.fields


def court_actions_are_district(apps, schema_editor):
    Appeal = apps.get_model("procedures", "Appeal")
    Appeal.objects.filter(instance="judicial").update(court_level="district")


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0005_review_request"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="court_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("district", "District Court"),
                    ("high", "High Court (appeal)"),
                    ("supreme", "Supreme Court (final appeal)"),
                ],
                max_length=10,
                verbose_name="court level",
            ),
        ),
        migrations.RunPython(court_actions_are_district, migrations.RunPython.noop),
        migrations.AddField(
            model_name="appeal",
            name="court",
            field=models.CharField(blank=True, max_length=200, verbose_name="court"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="court_case_number",
            field=models.CharField(blank=True, max_length=100, verbose_name="court's case number"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="appellant",
            field=models.CharField(
                choices=[("applicant", "The applicant"), ("state", "The State")],
                default="applicant",
                max_length=10,
                verbose_name="brought by",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="served_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date the judgment was served"
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="stay_applied_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="stay of execution applied for on"
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="stay_outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("granted", "Stay of execution granted"),
                    ("refused", "Stay of execution refused"),
                ],
                max_length=8,
                verbose_name="stay of execution",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="stay_decided_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="stay of execution decided on"
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="stay_court",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="court that decided the stay"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="appeal",
            name="one_appeal_per_decision_and_instance",
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                fields=("decision", "instance", "court_level"),
                name="one_appeal_per_decision_instance_and_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("instance", "judicial"),
                        ("court_level__in", ["district", "high", "supreme"]),
                    ),
                    models.Q(
                        models.Q(("instance", "judicial"), _negated=True), ("court_level", "")
                    ),
                    _connector="OR",
                ),
                name="court_level_iff_judicial",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("appellant", "applicant"),
                    models.Q(
                        ("instance", "judicial"),
                        models.Q(("court_level", "district"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="state_appeals_only_a_judgment",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("served_on__isnull", True),
                    models.Q(
                        models.Q(("outcome", ""), _negated=True),
                        ("served_on__gte", models.F("decided_on")),
                    ),
                    _connector="OR",
                ),
                name="judgment_served_after_it_was_given",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("stay_applied_on__isnull", True), ("instance", "judicial"), _connector="OR"
                ),
                name="stay_only_in_court",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("stay_outcome", ""), ("stay_decided_on__isnull", True)),
                    models.Q(
                        ("stay_outcome__in", ["granted", "refused"]),
                        ("stay_applied_on__isnull", False),
                        ("stay_decided_on__gte", models.F("stay_applied_on")),
                    ),
                    _connector="OR",
                ),
                name="stay_decided_after_applied",
            ),
        ),
        migrations.CreateModel(
            name="CourtHearing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("held_on", models.DateField(verbose_name="date of the hearing")),
                ("note", nansen.core.fields.EncryptedTextField(blank=True, verbose_name="note")),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "appeal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="court_hearings",
                        to="procedures.appeal",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "court hearing",
                "verbose_name_plural": "court hearings",
                "ordering": ["held_on", "pk"],
            },
        ),
    ]
