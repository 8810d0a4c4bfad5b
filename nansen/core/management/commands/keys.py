"""``nansen keys``: field encryption keys — generate one, see where values are, rotate.

Rotating to a new key::

    nansen keys generate                     # prints k<yyyymmdd>:<base64>
    # put the new line FIRST in NANSEN_FIELD_KEYS, keep the old ones after it, restart
    nansen keys rotate                       # re-encrypts every value under the new key
    nansen keys status                       # nothing left under the old ones
    # remove the old keys from NANSEN_FIELD_KEYS, restart

``rotate`` may run while the system is in use and may be interrupted: each batch is its own
transaction, values already under the active key are skipped, so running it again carries
on. It writes the stored token column only (no ``save()``): version numbers, modification
times and case history do not change, since the data did not.
"""

from __future__ import annotations

import argparse
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F
from django.db.models.lookups import Exact

from nansen.core import crypto
from nansen.core.fields import ROW_ID_FIELD, StoredToken, encrypted_fields
from nansen.env import ConfigurationError

EMPTY = "(empty)"
MALFORMED = "(not a token)"


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _label(model, field) -> str:
    return f"{model._meta.label}.{field.name}"


def count_by_key(model, field, using: str) -> Counter:
    """How many stored values of ``field`` are under each key id (plus empty, not a token)."""
    counts: Counter = Counter()
    tokens = model._base_manager.using(using).values_list(field.attname, flat=True)
    for token in tokens.iterator(chunk_size=2000):
        if token is None or token == "":
            counts[EMPTY] += 1
        else:
            counts[crypto.token_key_id(token) or MALFORMED] += 1
    return counts


def _rotate_batch(model, field, pks, using: str) -> tuple[int, list[str]]:
    """Re-encrypt under the active key the values of rows ``pks`` that are not under it.

    One transaction; rows are locked, and each update only applies if the token is still
    the one read (a value saved meanwhile is already under the active key). Returns the
    number re-encrypted and the errors for values that could not be decrypted.
    """
    ring = crypto.get_keyring()
    manager = model._base_manager.using(using)
    table, column = model._meta.db_table, field.column
    uid_attname = model._meta.get_field(ROW_ID_FIELD).attname
    done, errors = 0, []
    with transaction.atomic(using=using):
        rows = (
            manager.select_for_update()
            .filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", uid_attname, field.attname)
        )
        for pk, uid, token in rows:
            if not token or crypto.token_key_id(token) == ring.active_id:
                continue
            row = str(uid)
            try:
                plaintext = crypto.decrypt(token, table=table, column=column, row=row)
            except crypto.DecryptionError as exc:
                errors.append(str(exc))
                continue
            fresh = crypto.encrypt(plaintext, table=table, column=column, row=row)
            done += (
                manager.filter(pk=pk)
                .filter(Exact(F(field.attname), StoredToken(token)))
                .update(**{field.attname: StoredToken(fresh)})
            )
    return done, errors


class Command(BaseCommand):
    help = "Field encryption keys: generate a key, count values per key, rotate to the first."
    # `generate` must work while the key configuration is broken: that is when it is needed.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        generate = actions.add_parser(
            "generate", help="print a new key line k<yyyymmdd>:<base64 of 32 random bytes>"
        )
        generate.add_argument("--id", dest="key_id", help="key id (default k<yyyymmdd>)")
        status = actions.add_parser(
            "status", help="count the stored values of every encrypted field per key id"
        )
        status.add_argument("--database", default=DEFAULT_DB_ALIAS)
        rotate = actions.add_parser(
            "rotate", help="re-encrypt every value under the first (active) key"
        )
        rotate.add_argument("--database", default=DEFAULT_DB_ALIAS)
        rotate.add_argument(
            "--batch-size",
            type=_positive_int,
            default=500,
            help="rows per transaction (default 500)",
        )

    def handle(self, *args, action, **options):
        if action == "generate":
            self.generate(options.get("key_id"))
        elif action == "status":
            self.status(options["database"])
        else:
            self.rotate(options["database"], options["batch_size"])

    # generate ---------------------------------------------------------------------------

    def generate(self, key_id: str | None) -> None:
        try:
            line = crypto.generate_key_line(key_id)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(line)
        self.stderr.write(
            "Put this line first in NANSEN_FIELD_KEYS, keep the current keys after it, "
            "restart, then run `nansen keys rotate`. Keep it secret and backed up: values "
            "encrypted under a lost key are lost."
        )

    # status -----------------------------------------------------------------------------

    def status(self, using: str) -> None:
        try:
            ring = crypto.get_keyring()
        except ConfigurationError as exc:
            ring = None
            self.stderr.write(f"Warning: {exc}")
        if ring is not None:
            others = ", ".join(ring.ids[1:]) or "none"
            self.stdout.write(f"Active key: {ring.active_id}; other keys that decrypt: {others}")
        fields = list(encrypted_fields())
        if not fields:
            self.stdout.write("No model has an encrypted field.")
            return
        self.stdout.write(f"{'field':<48} {'key':<16} {'state':<8} {'values':>10}")
        for model, field in fields:
            counts = count_by_key(model, field, using)
            if not counts:
                self.stdout.write(f"{_label(model, field):<48} {'-':<16} {'':<8} {0:>10}")
            for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
                self.stdout.write(
                    f"{_label(model, field):<48} {key:<16} {self._state(key, ring):<8} {count:>10}"
                )

    @staticmethod
    def _state(key: str, ring) -> str:
        if key in (EMPTY, MALFORMED) or ring is None:
            return "" if key == EMPTY or ring is None else "error"
        if key == ring.active_id:
            return "active"
        return "retired" if key in ring.ids else "unknown"

    # rotate -----------------------------------------------------------------------------

    def rotate(self, using: str, batch_size: int) -> None:
        try:
            ring = crypto.get_keyring()
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Re-encrypting every value under key {ring.active_id}")
        total_done, all_errors = 0, []
        for model, field in encrypted_fields():
            done, errors = self._rotate_field(model, field, using, batch_size)
            total_done += done
            all_errors.extend(errors)
        for error in all_errors:
            self.stderr.write(f"Error: {error}")

        # Verify from the stored values themselves, not from what the loop believes.
        remaining = []
        for model, field in encrypted_fields():
            counts = count_by_key(model, field, using)
            remaining.extend(
                f"{_label(model, field)}: {count} under {key}"
                for key, count in sorted(counts.items())
                if key not in (EMPTY, ring.active_id)
            )
        if remaining:
            raise CommandError(
                f"Re-encrypted {total_done} values, but some are not under key "
                f"{ring.active_id}: " + "; ".join(remaining) + ". Keep the retired keys; "
                "see the errors above, then run `nansen keys rotate` again."
            )
        self.stdout.write(
            f"Re-encrypted {total_done} values; every value is under key {ring.active_id}. "
            "The other keys may now be removed from NANSEN_FIELD_KEYS."
        )

    def _rotate_field(self, model, field, using, batch_size) -> tuple[int, list[str]]:
        label = _label(model, field)
        active = crypto.get_keyring().active_id
        manager = model._base_manager.using(using)
        total = manager.count()
        scanned = done = 0
        errors: list[str] = []
        last_pk = None
        while True:
            page = manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            rows = list(page.values_list("pk", field.attname)[:batch_size])
            if not rows:
                break
            last_pk = rows[-1][0]
            scanned += len(rows)
            stale = [pk for pk, token in rows if token and crypto.token_key_id(token) != active]
            if stale:
                batch_done, batch_errors = _rotate_batch(model, field, stale, using)
                done += batch_done
                errors.extend(batch_errors)
            self.stderr.write(
                f"{label}: {scanned}/{total} rows scanned, {done} values re-encrypted"
            )
        return done, errors
