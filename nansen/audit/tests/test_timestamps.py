"""Audit timestamps are instants: stored in UTC whatever the office's time zone, and exported
with their offset, so that entries from offices in different zones order and compare."""

import csv
import io
from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from nansen.accounts.audit_views import EXPORT_COLUMNS
from nansen.audit.models import AuditEntry
from nansen.audit.services import audit_record

# 09:30 in Tokyo is 00:30 UTC.
INSTANT = datetime(2026, 3, 2, 0, 30, 15, tzinfo=UTC)


def _stored(entry: AuditEntry):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT at FROM {table} WHERE id = %s", [entry.pk])  # noqa: S608
        return cursor.fetchone()[0]


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_an_entry_is_stored_in_utc_and_exported_with_its_offset(client, personas):
    with time_machine.travel(INSTANT, tick=False):
        entry = audit_record(user=personas.officer, action="timestamp_probe")

    stored = _stored(entry)
    if connection.vendor == "sqlite":
        # SQLite has no zone: the wall time is UTC's, not Tokyo's 09:30.
        assert stored == INSTANT.replace(tzinfo=None)
    else:
        assert stored.utcoffset() == timedelta(0)
        assert stored == INSTANT

    client.force_login(personas.auditor)
    response = client.get(reverse("audit:audit_log_export"), {"action": "timestamp_probe"})
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert [row[header.index("action")] for row in rows] == ["timestamp_probe"]
    exported = rows[0][EXPORT_COLUMNS.index("at")]
    assert exported == "2026-03-02T00:30:15+00:00"
    assert datetime.fromisoformat(exported) == INSTANT
