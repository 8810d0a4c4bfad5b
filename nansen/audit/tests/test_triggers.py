"""The database itself refuses to delete audit entries or the head, and lets the head move
only one step forward, to the entry just appended (SQLite and PostgreSQL alike)."""

import pytest
from django.db import DatabaseError, transaction

from nansen.audit.models import AuditEntry, AuditHead
from nansen.audit.services import audit_record


@pytest.fixture
def entries(personas):
    for i in range(5):
        audit_record(user=personas.officer, action="case_view", object_type="case", object_id=i)
    return list(AuditEntry.objects.order_by("sequence"))


def test_the_database_refuses_to_delete_an_entry(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    assert AuditEntry.objects.count() == 5


def test_the_database_refuses_to_delete_every_entry(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 5


def test_the_database_refuses_to_delete_the_head(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.all().delete()
    assert AuditHead.objects.get().sequence == 5


def test_the_database_refuses_to_rewind_the_head(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.update(sequence=entries[2].sequence, hash=entries[2].hash)
    assert AuditHead.objects.get().sequence == 5


def test_the_database_refuses_a_head_past_the_last_entry(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.update(sequence=6, hash="f" * 64)


def test_appending_still_moves_the_head(entries, personas):
    audit_record(user=personas.officer, action="case_view")
    assert AuditHead.objects.get().sequence == 6
