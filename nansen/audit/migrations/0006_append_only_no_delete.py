"""The database refuses to delete an audit entry, as it refuses to change one (0002); it
refuses to delete the head, and lets the head only move one entry forward, to the entry
just appended.

On SQLite, adding the hash version (0005) rebuilt the table and so dropped 0002's trigger:
it is created again here. Whoever owns the database can still drop triggers (and TRUNCATE
on PostgreSQL fires no row trigger): `nansen audit verify --head` with a head kept on
another machine catches what they delete.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_append_only BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    WHEN NEW.id != OLD.id OR NEW.sequence != OLD.sequence + 1 OR NOT EXISTS (
        SELECT 1 FROM audit_auditentry WHERE sequence = NEW.sequence AND hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_forward_only;",
]

POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
    BEGIN
        IF NEW.id <> OLD.id OR NEW.sequence <> OLD.sequence + 1 OR NOT EXISTS (
            SELECT 1 FROM audit_auditentry WHERE sequence = NEW.sequence AND hash = NEW.hash
        ) THEN
            RAISE EXCEPTION 'the audit log is append-only';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    # 0002's function raises whenever it runs; it serves for deletions too.
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_audithead;",
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_audithead;",
    "DROP FUNCTION IF EXISTS audit_head_forward_only();",
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_CREATE if postgres else SQLITE_CREATE:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_entry_hash_version")]

    operations = [migrations.RunPython(create, drop)]
