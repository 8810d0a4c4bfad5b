from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens issued before scopes existed keep the read-and-write access their holders were
    given; every token made from now on names its scope (no default on the model)."""

    dependencies = [
        ("accounts", "0004_usersession_remote_addr"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                max_length=16,
                verbose_name="scope",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scope__in", ["read", "read_write"])),
                name="api_token_has_scope",
            ),
        ),
    ]
