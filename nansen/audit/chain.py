"""The audit chain: hashing an entry, appending under a lock, verifying the whole sequence."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from nansen.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "at",
    "user_id",
    "username",
    "remote_addr",
    "channel",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_ids",
    "details",
    "prev_hash",
)


def entry_hash(entry: AuditEntry) -> str:
    """HMAC-SHA256, under the audit key, of the entry's content in a canonical JSON form,
    which includes the previous entry's hash."""
    content = {name: getattr(entry, name) for name in HASHED_FIELDS}
    content["at"] = entry.at.isoformat(timespec="microseconds")
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hmac.new(settings.AUDIT_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def append(entry: AuditEntry) -> AuditEntry:
    """Give the entry the next sequence number and hash, and save it. Must run in a
    transaction: the head row stays locked until it commits, so appends form one chain."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    entry.sequence = head.sequence + 1
    entry.prev_hash = head.hash
    # Store the address as the database will return it, so the hash survives a round trip.
    entry.remote_addr = AuditEntry._meta.get_field("remote_addr").get_prep_value(entry.remote_addr)
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    head.sequence, head.hash = entry.sequence, entry.hash
    head.save(update_fields=["sequence", "hash"])
    return entry


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_sequence: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_sequence is None


def _entries(batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].sequence


def verify() -> VerifyResult:
    """Walk the chain from the first entry; stop at the first one that does not fit.

    A changed or forged entry fails its own keyed hash; a deleted entry leaves a gap in the
    sequence; a reordered entry breaks the link to its predecessor's hash; a deleted tail
    leaves the head pointing past the last entry.
    """
    expected_sequence, previous_hash, checked = 1, GENESIS, 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            return VerifyResult(checked, expected_sequence, f"entry {expected_sequence} is missing")
        if entry_hash(entry) != entry.hash:
            return VerifyResult(checked, entry.sequence, "its content was changed or forged")
        if entry.prev_hash != previous_hash:
            return VerifyResult(
                checked,
                entry.sequence,
                "does not follow the entry before it (inserted or reordered)",
            )
        previous_hash, expected_sequence = entry.hash, expected_sequence + 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.hash) != (expected_sequence - 1, previous_hash):
        return VerifyResult(
            checked,
            expected_sequence,
            f"the chain ends before its recorded head (entry {head.sequence})",
        )
    return VerifyResult(checked)


def head() -> dict:
    current = AuditHead.objects.filter(pk=1).first()
    if current is None:
        return {"sequence": 0, "hash": GENESIS}
    return {"sequence": current.sequence, "hash": current.hash}


def matches_exported_head(exported: dict) -> bool:
    """True when the entry at an exported head's sequence still carries that hash."""
    if exported.get("sequence", 0) == 0:
        return True
    entry = AuditEntry.objects.filter(sequence=exported["sequence"]).first()
    return entry is not None and entry.hash == exported.get("hash")
