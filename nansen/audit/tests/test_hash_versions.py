"""The hash covers every stored column of an entry, under a versioned field list: entries
written under version 1 (without the office) keep verifying; the move to version 2 is an
entry of its own; and no entry may claim an older version than the one before it."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from nansen.audit import chain
from nansen.audit.models import AuditEntry
from nansen.audit.services import audit_record
from nansen.audit.testing import audit_guards_lifted

STORED = [f.attname for f in AuditEntry._meta.concrete_fields if f.attname not in ("id", "hash")]
VICTIM = 7  # the entry tampered with, among 12


def test_the_current_version_covers_every_stored_column():
    """A column added to AuditEntry fails here until a new hash version covers it."""
    assert set(chain.HASHED_FIELDS[chain.HASH_VERSION]) == set(STORED)
    assert len(chain.HASHED_FIELDS[chain.HASH_VERSION]) == len(STORED)


def test_new_entries_are_of_the_current_version(personas):
    entry = audit_record(user=personas.officer, action="case_view")
    assert AuditEntry.objects.get(pk=entry.pk).hash_version == chain.HASH_VERSION == 2


@pytest.fixture
def entries(personas):
    for i in range(12):
        audit_record(
            user=personas.officer,
            action="case_view",
            object_type="case",
            object_id=i + 1,
            case_id=i + 1,
            person_ids=[i + 1],
            details={"n": i},
        )
    return {e.sequence: e for e in AuditEntry.objects.all()}


def _other_value(name: str, entry: AuditEntry, personas):
    """A plausible different value for one column, as a forger would choose it."""
    return {
        "sequence": entry.sequence + 10_000,
        "hash_version": 1,  # a downgrade to the version that left the office out
        "at": entry.at - timedelta(days=3),
        "user_id": personas.supervisor.pk,
        "username": "supervisor",
        "office_id": personas.osaka.pk,  # moved out of Tokyo's view
        "remote_addr": "203.0.113.9",
        "channel": "api",
        "action": "case_edit",
        "object_type": "person",
        "object_id": 999_999,
        "case_id": 999_999,
        "person_ids": [999_999],
        "details": {"n": -1},
        "prev_hash": "f" * 64,
    }[name]


@pytest.mark.parametrize("column", STORED)
def test_changing_any_stored_column_is_caught(entries, personas, column):
    victim = entries[VICTIM]
    value = _other_value(column, victim, personas)
    assert getattr(victim, column) != value
    with audit_guards_lifted():
        AuditEntry.objects.filter(pk=victim.pk).update(**{column: value})
        result = chain.verify()
    assert result.broken_sequence == VICTIM, (column, result)


def test_moving_an_entry_to_another_office_is_caught(entries, personas):
    with audit_guards_lifted():
        AuditEntry.objects.filter(sequence=3).update(office_id=personas.osaka.pk)
        result = chain.verify()
    assert (result.broken_sequence, result.reason) == (3, "its content was changed or forged")


def _append(version: int, personas, n: int = 1) -> None:
    for _ in range(n):
        chain.append(
            AuditEntry(user=personas.officer, username="officer", channel="page", action="x"),
            version=version,
        )


def test_version_1_entries_still_verify(personas):
    _append(1, personas, 5)
    assert chain.verify().ok
    _append(2, personas, 5)
    assert chain.verify() == chain.VerifyResult(10)


def test_version_1_entries_do_not_cover_the_office(personas):
    """Why version 2 exists: under version 1 the office could be changed unseen."""
    _append(1, personas, 3)
    with audit_guards_lifted():
        AuditEntry.objects.filter(sequence=2).update(office_id=personas.osaka.pk)
        assert chain.verify().ok


def test_a_version_1_entry_after_version_2_is_refused(personas):
    _append(1, personas, 3)
    _append(2, personas, 3)
    # A downgrade: hashed correctly under the old version (by someone holding the key),
    # after the chain had moved on.
    _append(1, personas)
    result = chain.verify()
    assert result.broken_sequence == 7
    assert result.reason == "hash version 1 after entries of version 2"


def test_an_unknown_version_is_refused(personas):
    _append(2, personas, 2)
    with audit_guards_lifted():
        AuditEntry.objects.filter(sequence=2).update(hash_version=9)
        result = chain.verify()
    assert (result.broken_sequence, result.reason) == (2, "its hash version 9 is unknown")


# --- the migration that records the change ----------------------------------------------------


def _run_record_migration():
    migration = importlib.import_module("nansen.audit.migrations.0007_record_hash_version_change")
    migration.record(global_apps, SimpleNamespace(connection=connection))


def test_the_change_is_recorded_on_a_log_with_entries(personas):
    _append(1, personas, 4)
    _run_record_migration()
    change = AuditEntry.objects.get(sequence=5)
    assert change.action == chain.VERSION_CHANGED
    assert change.hash_version == 2 and change.details == {"from": 1, "to": 2}
    audit_record(user=personas.officer, action="case_view")
    assert chain.verify() == chain.VerifyResult(6)


def test_nothing_is_recorded_on_an_empty_log(db):
    _run_record_migration()
    assert not AuditEntry.objects.exists()


BEFORE = ("audit", "0004_case_event_verb_free")


def test_migrating_a_log_of_version_1_entries(transactional_db):
    """The real migrations, on a log written before them: the old entries keep verifying,
    the change is an entry, and the triggers stand afterwards."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    try:
        executor.migrate([BEFORE])
        old = MigrationExecutor(connection).loader.project_state([BEFORE]).apps
        entry_model, head_model = (
            old.get_model("audit", "AuditEntry"),
            old.get_model("audit", "AuditHead"),
        )
        for i in range(3):
            with transaction.atomic():
                chain.append(
                    entry_model(channel="page", action="case_view", office_id=i),
                    head_model=head_model,
                    version=1,
                )
    finally:
        call_command("migrate", "audit", latest[0][1], verbosity=0)
    assert list(AuditEntry.objects.values_list("hash_version", "action")) == [
        (1, "case_view"),
        (1, "case_view"),
        (1, "case_view"),
        (2, chain.VERSION_CHANGED),
    ]
    assert chain.verify() == chain.VerifyResult(4)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=1).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=1).update(action="nothing")
