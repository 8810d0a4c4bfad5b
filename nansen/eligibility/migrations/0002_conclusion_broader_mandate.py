"""An assessment may conclude recognition under UNHCR's broader mandate (a procedure whose
profile has a kind of decision for it offers the conclusion)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_conclusion_valid",
        ),
        migrations.AlterField(
            model_name="assessment",
            name="conclusion",
            field=models.CharField(
                blank=True,
                choices=[
                    ("recognized", "Recognized as a refugee"),
                    ("recognized_broader", "Refugee under UNHCR's broader mandate"),
                    ("complementary", "Complementary protection"),
                    ("rejected", "Rejected"),
                ],
                max_length=24,
                verbose_name="conclusion",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "conclusion__in",
                        ["", "recognized", "recognized_broader", "complementary", "rejected"],
                    )
                ),
                name="assessment_conclusion_valid",
            ),
        ),
    ]
