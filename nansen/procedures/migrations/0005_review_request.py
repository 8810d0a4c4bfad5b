"""The request for review as the law has it: counsellors as persons on the office's register,
designated for a request, each opinion linked to one; outcomes inadmissible and withdrawn;
how a request was lodged and, by post, when it was posted; a refused oral hearing.

Opinions recorded with the counsellor's name as free text become opinions of a counsellor of
the office (one per distinct name), designated for the request on the day of the opinion.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def opinions_to_counsellors(apps, schema_editor):
    Counsellor = apps.get_model("procedures", "Counsellor")
    CounsellorDesignation = apps.get_model("procedures", "CounsellorDesignation")
    CounsellorOpinion = apps.get_model("procedures", "CounsellorOpinion")
    opinions = CounsellorOpinion.objects.select_related("appeal__application").order_by("pk")
    for opinion in opinions.iterator():
        counsellor, _ = Counsellor.objects.get_or_create(
            office_id=opinion.appeal.application.office_id,
            name=opinion.counsellor_name.strip(),
        )
        opinion.counsellor = counsellor
        opinion.save(update_fields=["counsellor"])
        CounsellorDesignation.objects.get_or_create(
            appeal_id=opinion.appeal_id,
            counsellor=counsellor,
            defaults={
                "designated_on": opinion.given_on,
                "designated_by_id": opinion.recorded_by_id,
            },
        )
    if schema_editor.connection.vendor == "postgresql":
        # The foreign keys are checked at commit; check them now, so that the columns can be
        # altered in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def counsellors_to_opinions(apps, schema_editor):
    CounsellorOpinion = apps.get_model("procedures", "CounsellorOpinion")
    for opinion in CounsellorOpinion.objects.select_related("counsellor").iterator():
        opinion.counsellor_name = opinion.counsellor.name
        opinion.save(update_fields=["counsellor_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_administration_four_eyes"),
        ("procedures", "0004_decision_historical"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Counsellor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("active", models.BooleanField(default=True, verbose_name="on the register")),
                ("version", models.PositiveIntegerField(default=1)),
            ],
            options={
                "verbose_name": "refugee examination counsellor",
                "verbose_name_plural": "refugee examination counsellors",
                "ordering": ["office", "name"],
            },
        ),
        migrations.CreateModel(
            name="CounsellorDesignation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("designated_on", models.DateField(verbose_name="date designated")),
            ],
            options={
                "verbose_name": "designation of a counsellor",
                "verbose_name_plural": "designations of counsellors",
                "ordering": ["designated_on", "pk"],
            },
        ),
        migrations.AddField(
            model_name="appeal",
            name="hearing_refused_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date the oral hearing was refused"
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="hearing_refused_reason",
            field=models.TextField(blank=True, verbose_name="why the oral hearing was refused"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="lodging_method",
            field=models.CharField(
                choices=[
                    ("in_person", "In person"),
                    ("post", "By post"),
                    ("electronic", "Electronically"),
                ],
                default="in_person",
                max_length=12,
                verbose_name="how it was lodged",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="posted_on",
            field=models.DateField(blank=True, null=True, verbose_name="date posted (postmark)"),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("upheld", "First-instance decision upheld"),
                    ("overturned", "Overturned, with a new decision"),
                    ("remitted", "Sent back to first instance"),
                    ("inadmissible", "Dismissed as inadmissible"),
                    ("withdrawn", "Withdrawn by the applicant"),
                ],
                max_length=12,
                verbose_name="outcome",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="stage",
            field=models.CharField(
                choices=[
                    ("lodged", "Lodged"),
                    ("interviewed", "Interviewed"),
                    ("decided", "Decided at first instance"),
                    ("recognized", "Recognized as a refugee"),
                    ("complementary", "Complementary protection or permission to stay"),
                    ("refused", "Refused at first instance"),
                    ("closed", "File closed"),
                    ("reopened", "File reopened"),
                    ("appeal_lodged", "Appeal or request for review lodged"),
                    ("counsellors_heard", "Opinions of the counsellors heard"),
                    ("upheld", "Refusal upheld on appeal or review"),
                    ("appeal_inadmissible", "Appeal or request for review inadmissible"),
                    ("appeal_withdrawn", "Appeal or request for review withdrawn"),
                    ("remitted", "Sent back to first instance"),
                    ("in_court", "Before the court"),
                    ("court_upheld", "Refusal upheld by the court"),
                ],
                default="lodged",
                max_length=40,
                verbose_name="stage",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "outcome__in",
                        ["", "upheld", "overturned", "remitted", "inadmissible", "withdrawn"],
                    )
                ),
                name="appeal_outcome_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("lodging_method", "post"),
                        ("posted_on__isnull", False),
                        ("posted_on__lte", models.F("lodged_on")),
                    ),
                    models.Q(
                        ("lodging_method__in", ["in_person", "electronic"]),
                        ("posted_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="appeal_posted_on_iff_by_post",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("hearing_refused_on__isnull", True), ("hearing_refused_reason", "")),
                    models.Q(
                        ("hearing_refused_on__isnull", False),
                        models.Q(("hearing_refused_reason", ""), _negated=True),
                        ("hearing_on__isnull", True),
                        ("hearing_waived", False),
                    ),
                    _connector="OR",
                ),
                name="appeal_hearing_refused_with_reason",
            ),
        ),
        migrations.AddField(
            model_name="counsellor",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="counsellors",
                to="accounts.office",
            ),
        ),
        migrations.AddField(
            model_name="counsellor",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="counsellor_entries",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user account",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="counselloropinion",
            name="one_opinion_per_counsellor",
        ),
        migrations.RenameField(
            model_name="counselloropinion",
            old_name="counsellor",
            new_name="counsellor_name",
        ),
        migrations.AlterField(
            model_name="counselloropinion",
            name="counsellor_name",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AddField(
            model_name="counselloropinion",
            name="counsellor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opinions",
                to="procedures.counsellor",
                verbose_name="counsellor",
            ),
        ),
        migrations.AddField(
            model_name="counsellordesignation",
            name="appeal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="designations",
                to="procedures.appeal",
            ),
        ),
        migrations.AddField(
            model_name="counsellordesignation",
            name="counsellor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="designations",
                to="procedures.counsellor",
                verbose_name="counsellor",
            ),
        ),
        migrations.AddField(
            model_name="counsellordesignation",
            name="designated_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="counsellor",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("office", "user"),
                name="counsellor_user_once_per_office",
            ),
        ),
        migrations.AddConstraint(
            model_name="counsellordesignation",
            constraint=models.UniqueConstraint(
                fields=("appeal", "counsellor"), name="counsellor_designated_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="counsellor",
            constraint=models.UniqueConstraint(
                fields=("office", "name"), name="counsellor_name_per_office"
            ),
        ),
        migrations.RunPython(opinions_to_counsellors, counsellors_to_opinions),
        migrations.RemoveField(
            model_name="counselloropinion",
            name="counsellor_name",
        ),
        migrations.AlterField(
            model_name="counselloropinion",
            name="counsellor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opinions",
                to="procedures.counsellor",
                verbose_name="counsellor",
            ),
        ),
        migrations.AddConstraint(
            model_name="counselloropinion",
            constraint=models.UniqueConstraint(
                fields=("appeal", "counsellor"), name="one_opinion_per_counsellor"
            ),
        ),
    ]
