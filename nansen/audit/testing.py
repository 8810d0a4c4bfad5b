"""For tests only: lifting the database's guards on the audit log, as someone who owns the
database could, to show that `nansen audit verify` still catches what they do."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

AUDIT_TABLES = ("audit_auditentry", "audit_audithead")


@contextmanager
def audit_guards_lifted():
    """Without the triggers that refuse changing or deleting entries and rewinding the
    head, restored afterwards exactly as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
            saved = []
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN (%s, %s)",
                AUDIT_TABLES,
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            for _name, sql in saved:
                cursor.execute(sql)


def audit_log_emptied() -> None:
    """Empty the audit log before a transactional test's flush: on SQLite the flush deletes
    row by row, which the triggers refuse (PostgreSQL's TRUNCATE fires no row trigger)."""
    if connection.vendor != "sqlite":
        return
    with audit_guards_lifted(), connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
