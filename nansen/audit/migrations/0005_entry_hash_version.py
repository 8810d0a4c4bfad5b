"""Each entry says which hash version covers it: the entries written before this migration
were hashed under version 1 (without the office); new ones under the current version."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_case_event_verb_free")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
    ]
