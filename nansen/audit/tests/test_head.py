"""A signed head kept elsewhere catches what the chain alone cannot: its tail deleted with
the head row rewound to match, or an older copy of the database put back."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from nansen.audit import chain
from nansen.audit.models import AuditEntry, AuditHead
from nansen.audit.services import audit_record
from nansen.audit.testing import audit_guards_lifted


def _write(personas, count: int) -> None:
    for i in range(count):
        audit_record(user=personas.officer, action="case_view", object_type="case", object_id=i)


@pytest.fixture
def entries(personas):
    _write(personas, 40)


def _export(path) -> dict:
    call_command("audit", "head", "--output", str(path), stdout=StringIO())
    return json.loads(path.read_text())


def _verify(path) -> str:
    out = StringIO()
    call_command("audit", "verify", "--head", str(path), stdout=out)
    return out.getvalue()


def _cut_back_to(sequence: int) -> None:
    """What someone with the database's owner rights can do: delete the tail and rewind the
    head row so that the shortened chain is consistent."""
    with audit_guards_lifted():
        kept = AuditEntry.objects.get(sequence=sequence)
        AuditEntry.objects.filter(sequence__gt=sequence).delete()
        AuditHead.objects.filter(pk=1).update(sequence=kept.sequence, hash=kept.hash)


def test_the_head_file_is_signed_and_verifies(entries, tmp_path):
    head = _export(tmp_path / "head.json")
    assert head["sequence"] == 40
    assert head["hash"] == AuditHead.objects.get().hash
    assert head["algorithm"] == "HMAC-SHA256" and len(head["signature"]) == 64
    assert "holding the head" in _verify(tmp_path / "head.json")


def test_the_head_prints_to_standard_output(entries):
    out = StringIO()
    call_command("audit", "head", stdout=out)
    assert json.loads(out.getvalue())["sequence"] == 40


def test_a_deleted_tail_with_a_rewound_head_is_caught_by_the_head(entries, tmp_path):
    path = tmp_path / "head.json"
    _export(path)
    _cut_back_to(35)
    assert chain.verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match="ends at entry 35, before the head's entry 40"):
        _verify(path)


def test_a_rollback_to_an_older_copy_is_caught_by_the_head(entries, personas, tmp_path):
    path = tmp_path / "head.json"
    _export(path)
    # An older copy of the database (30 entries) put back, and used for a while since.
    _cut_back_to(30)
    _write(personas, 15)
    assert chain.verify().ok and AuditHead.objects.get().sequence == 45
    with pytest.raises(CommandError, match="entry 40 is not the one the head"):
        _verify(path)


def test_a_head_with_a_bad_signature_is_refused(entries, tmp_path):
    path = tmp_path / "head.json"
    head = _export(path)
    path.write_text(json.dumps({**head, "sequence": 12}))
    with pytest.raises(CommandError, match="signature is bad"):
        _verify(path)


def test_an_unsigned_head_is_refused(entries, tmp_path):
    path = tmp_path / "head.json"
    path.write_text(json.dumps({"sequence": 40, "hash": AuditHead.objects.get().hash}))
    with pytest.raises(CommandError, match="not a signed Nansen audit head"):
        _verify(path)


def test_an_unreadable_head_file_is_refused(entries, tmp_path):
    path = tmp_path / "head.json"
    path.write_text("not json")
    with pytest.raises(CommandError, match="cannot read the head file"):
        _verify(path)


def test_a_head_of_an_empty_chain_verifies(db, tmp_path):
    path = tmp_path / "head.json"
    assert _export(path)["sequence"] == 0
    assert "entry 0" in _verify(path)
