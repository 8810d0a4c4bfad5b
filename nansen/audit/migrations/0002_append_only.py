"""The database refuses to change an audit entry once written.

Deletions are not blocked here (test databases are flushed between tests, and an archive may
one day prune old entries on purpose); a deleted entry breaks the chain, and
``nansen audit verify`` names it.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_entry_append_only;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def create(apps, schema_editor):
    sql = POSTGRES_CREATE if schema_editor.connection.vendor == "postgresql" else SQLITE_CREATE
    schema_editor.execute(sql)


def drop(apps, schema_editor):
    sql = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
