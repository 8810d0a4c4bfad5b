"""Tamper evidence: any change, deletion, insertion or reordering of entries is found, at
the right entry."""

import hashlib
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.db.models import F

from nansen.audit import chain
from nansen.audit.models import AuditEntry
from nansen.audit.services import audit_record
from nansen.audit.testing import audit_guards_lifted

TRIALS = 60  # per kind of tampering; four kinds
SHIFT = 10_000_000  # moves sequence numbers out of the way while tampering


@pytest.fixture
def entries(personas):
    for i in range(40):
        audit_record(
            user=personas.officer,
            action="case_view",
            object_type="case",
            object_id=i + 1,
            case_id=i + 1,
            details={"n": i},
        )
    return list(AuditEntry.objects.order_by("sequence"))


def test_an_untouched_chain_verifies(entries):
    result = chain.verify()
    assert result.ok and result.checked == len(entries)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"intact: {len(entries)} entries" in out.getvalue()


def test_the_database_refuses_to_change_an_entry(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[3].pk).update(action="nothing")


def _tamper_and_verify(kind: str, rng: random.Random) -> tuple[int, int]:
    """Tamper once inside a rolled-back savepoint; return (expected, reported) sequence."""
    rows = list(AuditEntry.objects.order_by("sequence"))
    n = len(rows)
    sid = transaction.savepoint()
    try:
        if kind == "change":
            victim = rows[rng.randrange(n)]
            field = rng.choice(["action", "object_id", "details", "at", "user_id"])
            values = {
                "action": "case_edit",
                "object_id": 999_999,
                "details": {"n": -1},
                "user_id": None,
            }
            if field == "at":
                AuditEntry.objects.filter(pk=victim.pk).update(at=victim.at.replace(year=2001))
            else:
                AuditEntry.objects.filter(pk=victim.pk).update(**{field: values[field]})
            expected = victim.sequence
        elif kind == "delete":
            victim = rows[rng.randrange(n)]
            AuditEntry.objects.filter(pk=victim.pk).delete()
            expected = victim.sequence
        elif kind == "insert":
            position = rng.randrange(1, n + 1)  # the forged entry takes this number
            later = AuditEntry.objects.filter(sequence__gte=position)
            later.update(sequence=F("sequence") + SHIFT + 1)
            AuditEntry.objects.filter(sequence__gt=SHIFT).update(sequence=F("sequence") - SHIFT)
            forged = AuditEntry(
                sequence=position,
                hash_version=chain.HASH_VERSION,
                action="case_view",
                object_type="case",
                channel="page",
                at=rows[position - 1].at,
                prev_hash=rows[position - 2].hash if position > 1 else chain.GENESIS,
            )
            # Without the audit key a forger can only guess at the entry's hash.
            forged.hash = hashlib.sha256(str(position).encode()).hexdigest()
            forged.save(force_insert=True)
            expected = position
        else:  # reorder: swap two neighbours' sequence numbers
            i = rng.randrange(n - 1)
            a, b = rows[i], rows[i + 1]
            AuditEntry.objects.filter(pk=a.pk).update(sequence=SHIFT)
            AuditEntry.objects.filter(pk=b.pk).update(sequence=a.sequence)
            AuditEntry.objects.filter(pk=a.pk).update(sequence=b.sequence)
            expected = a.sequence
        result = chain.verify()
        return expected, result.broken_sequence
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize("kind", ["change", "delete", "insert", "reorder"])
def test_tampering_is_found_at_the_right_entry(entries, kind):
    rng = random.Random(f"audit-{kind}")
    found = 0
    with audit_guards_lifted():
        for _ in range(TRIALS):
            expected, reported = _tamper_and_verify(kind, rng)
            assert reported == expected, (kind, expected, reported)
            found += 1
    print(f"audit chain: {found} of {TRIALS} {kind} trials found at the right entry")
    assert chain.verify().ok  # every trial was rolled back


def test_verify_command_names_the_first_broken_entry(entries):
    with audit_guards_lifted():
        AuditEntry.objects.filter(sequence=17).update(action="forged")
        with pytest.raises(
            CommandError, match="broken at entry 17: its content was changed or forged"
        ):
            call_command("audit", "verify")


def test_a_deleted_tail_is_found(entries):
    with audit_guards_lifted():
        AuditEntry.objects.filter(sequence__gte=38).delete()
        result = chain.verify()
    assert result.broken_sequence == 38
