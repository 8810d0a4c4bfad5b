"""The audit chain: hashing an entry, appending under a lock, verifying the whole sequence,
and the signed head that proves later that the chain was not cut back or rolled back."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nansen.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64

# What each hash version covers. A version's list never changes once entries were written
# under it: a new stored column means a new version (and a test fails until there is one).
# Version 1 left out the office, so an entry could be moved out of an office's view unseen.
HASHED_FIELDS: dict[int, tuple[str, ...]] = {
    1: (
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
    ),
    # Every stored column but the primary key and the hash itself.
    2: (
        "sequence",
        "hash_version",
        "at",
        "user_id",
        "username",
        "office_id",
        "remote_addr",
        "channel",
        "action",
        "object_type",
        "object_id",
        "case_id",
        "person_ids",
        "details",
        "prev_hash",
    ),
}
HASH_VERSION = max(HASHED_FIELDS)
VERSION_CHANGED = "audit.hash_version_changed"

HEAD_FORMAT = "nansen-audit-head/1"
HEAD_ALGORITHM = "HMAC-SHA256"


def entry_hash(entry) -> str:
    """HMAC-SHA256, under the audit key, of the entry's content in a canonical JSON form,
    which includes the previous entry's hash. What the content is depends on the entry's
    hash version."""
    content = {name: getattr(entry, name) for name in HASHED_FIELDS[entry.hash_version]}
    content["at"] = entry.at.isoformat(timespec="microseconds")
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hmac.new(settings.AUDIT_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def append(entry, *, head_model=AuditHead, version: int = HASH_VERSION):
    """Give the entry the next sequence number and hash, and save it. Must run in a
    transaction: the head row stays locked until it commits, so appends form one chain.

    Migrations pass their historical models (and the version they were written for)."""
    head, _ = head_model.objects.select_for_update().get_or_create(pk=1)
    entry.sequence = head.sequence + 1
    entry.prev_hash = head.hash
    entry.hash_version = version
    # Store the address as the database will return it, so the hash survives a round trip.
    remote_addr = type(entry)._meta.get_field("remote_addr")
    entry.remote_addr = remote_addr.get_prep_value(entry.remote_addr)
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


def _broken(entry: AuditEntry, expected_sequence: int, previous_hash: str, version: int):
    """Why the entry does not fit where it stands, or None."""
    if entry.sequence != expected_sequence:
        return expected_sequence, f"entry {expected_sequence} is missing"
    if entry.hash_version not in HASHED_FIELDS:
        return entry.sequence, f"its hash version {entry.hash_version} is unknown"
    if entry.hash_version < version:
        # Older versions cover less; once the chain has moved on, an entry claiming an
        # older one is a downgrade, whatever its hash says.
        return entry.sequence, (
            f"hash version {entry.hash_version} after entries of version {version}"
        )
    if entry_hash(entry) != entry.hash:
        return entry.sequence, "its content was changed or forged"
    if entry.prev_hash != previous_hash:
        return entry.sequence, "does not follow the entry before it (inserted or reordered)"
    return None


def verify() -> VerifyResult:
    """Walk the chain from the first entry; stop at the first one that does not fit.

    A changed or forged entry fails its own keyed hash; a deleted entry leaves a gap in the
    sequence; a reordered entry breaks the link to its predecessor's hash; a deleted tail
    leaves the head pointing past the last entry (unless the head was rewound too: only a
    head kept elsewhere, see ``check_head``, catches that).
    """
    expected_sequence, previous_hash, checked, version = 1, GENESIS, 0, 1
    for entry in _entries():
        broken = _broken(entry, expected_sequence, previous_hash, version)
        if broken is not None:
            return VerifyResult(checked, *broken)
        previous_hash, expected_sequence = entry.hash, expected_sequence + 1
        version = entry.hash_version
        checked += 1
    current = AuditHead.objects.filter(pk=1).first()
    if current is not None and (current.sequence, current.hash) != (
        expected_sequence - 1,
        previous_hash,
    ):
        return VerifyResult(
            checked,
            expected_sequence,
            f"the chain ends before its recorded head (entry {current.sequence})",
        )
    return VerifyResult(checked)


# --- the signed head ----------------------------------------------------------------------------


def _head_key() -> bytes:
    """A key of its own for signing heads, derived from the audit key, so that a head's
    signature can never be mistaken for an entry's hash."""
    return hmac.new(settings.AUDIT_KEY.encode(), b"nansen audit head", hashlib.sha256).digest()


def _head_signature(head: dict) -> str:
    signed = {k: head[k] for k in ("format", "sequence", "hash", "at")}
    canonical = json.dumps(signed, sort_keys=True, separators=(",", ":"))
    return hmac.new(_head_key(), canonical.encode(), hashlib.sha256).hexdigest()


def head() -> dict:
    """The chain's end now, signed: sequence, hash, when it was read, and an HMAC-SHA256
    signature under a key derived from the audit key."""
    current = AuditHead.objects.filter(pk=1).first()
    signed = {
        "format": HEAD_FORMAT,
        "sequence": current.sequence if current else 0,
        "hash": current.hash if current else GENESIS,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    return {**signed, "algorithm": HEAD_ALGORITHM, "signature": _head_signature(signed)}


def check_head(exported: dict) -> str:
    """Why the chain does not hold a head exported earlier, or "" when it does.

    The head must carry a good signature; the chain must reach its sequence (a shorter chain
    lost its tail, or is an older copy of the database) and hold the very same entry there
    (a different one means the chain was rolled back and grew again)."""
    try:
        signature = exported["signature"]
        sequence = int(exported["sequence"])
        expected = _head_signature(exported)
    except (KeyError, TypeError, ValueError):
        return "the head file is not a signed Nansen audit head"
    if exported.get("format") != HEAD_FORMAT or not hmac.compare_digest(str(signature), expected):
        return "the head file's signature is bad: it was not written by this Nansen"
    if sequence == 0:
        return ""
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    if last is None or last < sequence:
        return (
            f"the chain ends at entry {last or 0}, before the head's entry {sequence} "
            f"(exported {exported['at']}): entries were deleted or an older copy of the "
            "database was restored"
        )
    entry = AuditEntry.objects.filter(sequence=sequence).first()
    if entry is None or not hmac.compare_digest(entry.hash, str(exported["hash"])):
        return (
            f"entry {sequence} is not the one the head exported {exported['at']} names: "
            "the chain was rolled back and written again"
        )
    return ""
