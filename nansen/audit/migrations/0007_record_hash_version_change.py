"""The move to hash version 2 is itself an audit entry, the first of version 2: from it on,
`nansen audit verify` refuses any entry of version 1 (a downgrade). A database with no
entries yet has nothing to record: its first entry is of version 2."""

from django.db import migrations

# The version this migration moves to, fixed: a later version is a later migration.
TO_VERSION = 2


def record(apps, schema_editor):
    from nansen.audit import chain

    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditHead")
    db = schema_editor.connection.alias
    if not entry_model.objects.using(db).exists():
        return
    # TO_VERSION must not run ahead of the code that hashes it.
    assert TO_VERSION in chain.HASHED_FIELDS
    previous = entry_model.objects.using(db).order_by("-sequence").first().hash_version
    chain.append(
        entry_model(
            channel="command",
            action=chain.VERSION_CHANGED,
            details={"from": previous, "to": TO_VERSION},
        ),
        head_model=head_model,
        version=TO_VERSION,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_append_only_no_delete")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
