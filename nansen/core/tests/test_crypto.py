"""Encrypted fields: AES-256-GCM tokens bound to table, column and row; key rotation.

The test model lives in its own app registry, so the rest of the suite (and migration
checks) never sees it; while this module runs it is also registered in the global registry,
so `nansen keys` finds it like any installed model. Its table is created and dropped here.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
import uuid

import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.db.models import F, Value

from nansen.core import crypto
from nansen.core.fields import EncryptedFieldUsageError, EncryptedTextField, StoredToken
from nansen.core.management.commands import keys as keys_command
from nansen.env import ConfigurationError

KEY_A_MATERIAL = base64.b64encode(secrets.token_bytes(32)).decode()
KEY_B_MATERIAL = base64.b64encode(secrets.token_bytes(32)).decode()
KEYS_A = f"A:{KEY_A_MATERIAL}"
KEYS_B = f"B:{KEY_B_MATERIAL}"
KEYS_B_A = f"{KEYS_B},{KEYS_A}"

SECRET = "Survivor of torture in detention; PTSD treatment at the Tokyo clinic"

test_apps = Apps()


class _TestModel(models.Model):
    class Meta:
        abstract = True

    def __str__(self):
        return f"{type(self).__name__} {self.pk}"


class CryptoTestRecord(_TestModel):
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    label = models.CharField(max_length=40, blank=True)
    notes = EncryptedTextField("notes", blank=True)
    other_notes = EncryptedTextField("other notes", blank=True)

    class Meta:
        app_label = "core"
        apps = test_apps
        db_table = "core_crypto_test_record"


class CryptoTestNoUid(_TestModel):
    notes = EncryptedTextField(blank=True)

    class Meta:
        app_label = "core"
        apps = test_apps


class CryptoTestLooseUid(_TestModel):
    uid = models.UUIDField(default=uuid.uuid4, null=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        app_label = "core"
        apps = test_apps


class CryptoTestIndexed(_TestModel):
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    notes = EncryptedTextField(unique=True)

    class Meta:
        app_label = "core"
        apps = test_apps


TABLE = "core_crypto_test_record"
# Literal SQL (no formatting): the tests look at the column behind the field's back.
SELECT_SQL = {
    "notes": "SELECT notes FROM core_crypto_test_record WHERE id = %s",
    "other_notes": "SELECT other_notes FROM core_crypto_test_record WHERE id = %s",
}
UPDATE_SQL = {
    "notes": "UPDATE core_crypto_test_record SET notes = %s WHERE id = %s",
    "other_notes": "UPDATE core_crypto_test_record SET other_notes = %s WHERE id = %s",
}


def stored(record, column="notes") -> str:
    with connection.cursor() as cursor:
        cursor.execute(SELECT_SQL[column], [record.pk])
        return cursor.fetchone()[0]


def store(record, token, column="notes") -> None:
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_SQL[column], [token, record.pk])


def fresh(record):
    return CryptoTestRecord.objects.get(pk=record.pk)


def all_stored():
    return {pk: stored(record) for pk, record in ((r.pk, r) for r in _all())}


def _all():
    return list(CryptoTestRecord.objects.order_by("pk"))


@pytest.fixture(scope="module")
def crypto_table(django_db_setup, django_db_blocker):
    # Outside any transaction: SQLite's schema editor needs foreign key checks off.
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(CryptoTestRecord)
    global_apps.register_model("core", CryptoTestRecord)
    yield
    del global_apps.all_models["core"]["cryptotestrecord"]
    global_apps.clear_cache()
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(CryptoTestRecord)


@pytest.fixture(autouse=True)
def _keys_a(crypto_table, db, settings):
    settings.FIELD_ENCRYPTION_KEYS = KEYS_A


def run_keys(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("keys", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# Round trip and storage ---------------------------------------------------------------------


def test_round_trip_stores_a_token_and_no_plaintext():
    record = CryptoTestRecord.objects.create(label="x", notes=SECRET)

    token = stored(record)
    assert token.startswith("v1.A.")
    assert SECRET not in token
    assert "torture" not in token.lower()
    assert fresh(record).notes == SECRET
    assert record.notes == SECRET


def test_values_returns_the_stored_token_never_plaintext():
    record = CryptoTestRecord.objects.create(notes=SECRET)

    row = CryptoTestRecord.objects.values("notes").get(pk=record.pk)
    flat = CryptoTestRecord.objects.values_list("notes", flat=True).get(pk=record.pk)

    assert row["notes"] == flat == stored(record)
    assert isinstance(flat, StoredToken)


def test_the_same_text_encrypts_differently_each_time():
    first = CryptoTestRecord.objects.create(notes=SECRET)
    second = CryptoTestRecord.objects.create(notes=SECRET)
    before = stored(first)
    first.notes = SECRET
    first.save()

    assert len({stored(first), stored(second), before}) == 3
    place = {"table": TABLE, "column": "notes", "row": str(first.uid)}
    assert crypto.encrypt("x", **place) != crypto.encrypt("x", **place)


def test_the_empty_string_is_stored_as_the_empty_string():
    record = CryptoTestRecord.objects.create(notes="")

    assert stored(record) == ""
    assert fresh(record).notes == ""


def test_save_with_update_fields_encrypts_and_leaves_other_fields_alone():
    record = CryptoTestRecord.objects.create(notes="first", other_notes="other")
    other_before = stored(record, "other_notes")

    record.notes = "second"
    record.other_notes = "not saved"
    record.save(update_fields=["notes"])

    assert stored(record).startswith("v1.A.")
    assert stored(record, "other_notes") == other_before
    assert fresh(record).notes == "second"
    assert fresh(record).other_notes == "other"


def test_saving_an_unchanged_instance_keeps_its_tokens():
    record = CryptoTestRecord.objects.create(notes=SECRET)
    token = stored(record)
    loaded = fresh(record)
    assert loaded.notes == SECRET  # reading does not turn the token into plaintext

    loaded.label = "renamed"
    loaded.save()

    assert stored(record) == token


def test_refresh_from_db_only_and_defer_decrypt():
    record = CryptoTestRecord.objects.create(notes=SECRET, label="a")
    other = fresh(record)
    other.notes = "changed elsewhere"
    other.save()

    record.refresh_from_db()
    assert record.notes == "changed elsewhere"
    assert CryptoTestRecord.objects.only("label").get(pk=record.pk).notes == "changed elsewhere"
    assert CryptoTestRecord.objects.defer("notes").get(pk=record.pk).notes == "changed elsewhere"
    # Even the uid (the row identifier) may be deferred.
    assert CryptoTestRecord.objects.only("notes").get(pk=record.pk).notes == "changed elsewhere"
    record.refresh_from_db(fields=["notes"])
    assert record.notes == "changed elsewhere"


def test_bulk_create_and_full_clean_encrypt():
    records = CryptoTestRecord.objects.bulk_create(
        [CryptoTestRecord(notes=f"note {n}") for n in range(3)]
    )
    for n, record in enumerate(CryptoTestRecord.objects.order_by("pk")):
        assert stored(record).startswith("v1.A.")
        assert record.notes == f"note {n}"
    assert len(records) == 3

    record = fresh(records[0])
    record.full_clean()
    record.save()
    assert fresh(record).notes == "note 0"


def test_a_value_can_be_copied_between_instances_as_plaintext():
    source = CryptoTestRecord.objects.create(notes=SECRET)
    target = CryptoTestRecord.objects.create()

    target.notes = fresh(source).notes
    target.save()

    assert fresh(target).notes == SECRET
    assert stored(target) != stored(source)


# Tampering ---------------------------------------------------------------------------------


def test_a_token_copied_to_another_row_does_not_decrypt():
    source = CryptoTestRecord.objects.create(notes=SECRET)
    target = CryptoTestRecord.objects.create(notes="target's own")
    store(target, stored(source))

    with pytest.raises(crypto.DecryptionError) as caught:
        fresh(target).notes  # noqa: B018
    message = str(caught.value)
    assert TABLE in message
    assert "notes" in message
    assert str(target.uid) in message
    assert SECRET not in message
    assert stored(source) not in message


def test_a_token_copied_to_another_column_does_not_decrypt():
    record = CryptoTestRecord.objects.create(notes=SECRET)
    store(record, stored(record), column="other_notes")

    assert fresh(record).notes == SECRET
    with pytest.raises(crypto.DecryptionError, match="other_notes"):
        fresh(record).other_notes  # noqa: B018


@pytest.mark.parametrize(
    "position", [0, 11, 12, 20, -1], ids=["nonce", "nonce-end", "text", "text2", "tag"]
)
def test_a_flipped_byte_does_not_decrypt(position):
    record = CryptoTestRecord.objects.create(notes=SECRET)
    version, key_id, body = stored(record).split(".")
    blob = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    blob[position] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(blob)).rstrip(b"=").decode()
    store(record, f"{version}.{key_id}.{forged}")

    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        fresh(record).notes  # noqa: B018


def test_an_unknown_key_id_does_not_decrypt(settings):
    record = CryptoTestRecord.objects.create(notes=SECRET)
    token = stored(record)
    store(record, token.replace("v1.A.", "v1.Z.", 1))

    with pytest.raises(crypto.DecryptionError, match="'Z' is not in NANSEN_FIELD_KEYS"):
        fresh(record).notes  # noqa: B018

    store(record, token)
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B
    with pytest.raises(crypto.DecryptionError, match="'A' is not in NANSEN_FIELD_KEYS"):
        fresh(record).notes  # noqa: B018
    # A key with A's id but other material fails authentication.
    settings.FIELD_ENCRYPTION_KEYS = f"A:{KEY_B_MATERIAL}"
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        fresh(record).notes  # noqa: B018


@pytest.mark.parametrize(
    "token",
    [
        "plaintext someone wrote straight into the column",
        "v1.A.",
        "v1.A.c2hvcnQ",
        "v1.A.not*base64",
        "v2.A.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_malformed_token_raises_and_is_never_returned(token):
    record = CryptoTestRecord.objects.create(notes=SECRET)
    store(record, token)

    with pytest.raises(crypto.DecryptionError) as caught:
        fresh(record).notes  # noqa: B018
    assert token not in str(caught.value)


def test_inserting_a_token_taken_from_another_row_is_refused():
    source = CryptoTestRecord.objects.create(notes=SECRET)
    token = CryptoTestRecord.objects.values_list("notes", flat=True).get(pk=source.pk)

    # (Like any error inside save(), it spoils the enclosing transaction: hence atomic().)
    with pytest.raises(crypto.DecryptionError), transaction.atomic():
        CryptoTestRecord.objects.create(notes=token)

    copy = fresh(source)
    copy.pk, copy.uid = None, uuid.uuid4()
    with pytest.raises(crypto.DecryptionError), transaction.atomic():
        copy.save()


# Key configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        KEY_A_MATERIAL,  # no id
        f"A:{KEY_A_MATERIAL[:-8]}",  # too short
        f"A:{base64.b64encode(secrets.token_bytes(48)).decode()}",  # too long
        f"A:{KEY_A_MATERIAL[:-2]}!!",  # not base64
        f"A:{KEY_A_MATERIAL},a:{KEY_B_MATERIAL}",  # duplicate id
        f"bad id:{KEY_A_MATERIAL}",
        f"{'k' * 17}:{KEY_A_MATERIAL}",
        f"A:{KEY_A_MATERIAL},,",
        f"A:{KEY_A_MATERIAL},B:",
    ],
    ids=lambda value: str(len(value)),
)
def test_a_bad_key_configuration_fails_loudly_without_printing_keys(settings, value):
    settings.FIELD_ENCRYPTION_KEYS = value

    with pytest.raises(ConfigurationError) as caught:
        crypto.get_keyring()
    message = str(caught.value)
    assert "NANSEN_FIELD_KEYS" in message
    for material in (KEY_A_MATERIAL, KEY_B_MATERIAL, KEY_A_MATERIAL[:-8], KEY_A_MATERIAL[:12]):
        assert material not in message
    with pytest.raises(ConfigurationError):
        CryptoTestRecord.objects.create(notes=SECRET)
    [error] = crypto.check_field_keys()
    assert error.id == "nansen.E110"
    assert "NANSEN_FIELD_KEYS" in error.msg


def test_good_key_configurations_parse():
    raw = secrets.token_bytes(32)
    urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    ring = crypto.parse_keys(f"  k2:{urlsafe}\n k1:{KEY_A_MATERIAL} ,\n k0:{KEY_B_MATERIAL}\n")

    assert ring.active_id == "k2"
    assert ring.ids == ("k2", "k1", "k0")
    assert KEY_A_MATERIAL not in repr(ring)
    assert crypto.check_field_keys() == []


def test_the_keys_are_reloaded_when_the_setting_changes(settings):
    assert crypto.get_keyring().active_id == "A"
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B_A
    assert crypto.get_keyring().active_id == "B"
    crypto.reset_keys()
    assert crypto.get_keyring().ids == ("B", "A")


def test_the_public_demo_key_is_an_error_in_production(settings):
    settings.FIELD_ENCRYPTION_KEYS = "k1:ZGVtby1vbmx5IGtleSwgbmV2ZXIgcmVhbCBkYXRhISE="
    assert crypto.check_field_keys() == []  # the test installation may use it

    settings.NANSEN_ENV = "production"
    [error] = crypto.check_field_keys()
    assert error.id == "nansen.E111"


# The field's rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"notes": SECRET},
        {"notes__exact": SECRET},
        {"notes__iexact": SECRET},
        {"notes__icontains": "torture"},
        {"notes__startswith": "Survivor"},
        {"notes__in": [SECRET]},
        {"notes__gt": ""},
        {"notes__lower": SECRET},
        {"notes__lower__contains": "x"},
    ],
    ids=lambda lookup: next(iter(lookup)),
)
def test_filtering_on_an_encrypted_field_raises(lookup):
    CryptoTestRecord.objects.create(notes=SECRET)

    with pytest.raises(EncryptedFieldUsageError, match="encrypted field"):
        list(CryptoTestRecord.objects.filter(**lookup))
    with pytest.raises(FieldError):
        list(CryptoTestRecord.objects.exclude(**lookup))


def test_get_or_create_on_an_encrypted_field_raises():
    with pytest.raises(EncryptedFieldUsageError):
        CryptoTestRecord.objects.get_or_create(notes=SECRET)


def test_isnull_is_the_one_lookup_allowed():
    CryptoTestRecord.objects.create(notes=SECRET)

    assert CryptoTestRecord.objects.filter(notes__isnull=False).count() == 1


@pytest.mark.parametrize(
    "value",
    [SECRET, Value(SECRET), F("other_notes")],
    ids=["plaintext", "Value", "F"],
)
def test_update_cannot_write_without_a_row(value):
    record = CryptoTestRecord.objects.create(notes="kept", other_notes="other")

    with pytest.raises(EncryptedFieldUsageError), transaction.atomic():
        CryptoTestRecord.objects.filter(pk=record.pk).update(notes=value)
    assert fresh(record).notes == "kept"


def test_bulk_update_is_refused_and_update_to_empty_is_allowed():
    record = CryptoTestRecord.objects.create(notes="kept")
    record.notes = SECRET

    with pytest.raises(EncryptedFieldUsageError), transaction.atomic():
        CryptoTestRecord.objects.bulk_update([record], ["notes"])
    assert fresh(record).notes == "kept"

    CryptoTestRecord.objects.filter(pk=record.pk).update(notes="")
    assert stored(record) == ""


def test_the_model_must_have_a_unique_uid():
    [error] = CryptoTestNoUid._meta.get_field("notes").check()
    assert error.id == "nansen.E120"
    assert "uid = models.UUIDField(" in error.hint
    [error] = CryptoTestLooseUid._meta.get_field("notes").check()
    assert error.id == "nansen.E121"
    assert CryptoTestRecord._meta.get_field("notes").check() == []

    field = CryptoTestNoUid._meta.get_field("notes")
    with pytest.raises(ImproperlyConfigured, match="uid"):
        field.pre_save(CryptoTestNoUid(notes=SECRET), True)


def test_an_encrypted_field_cannot_be_unique_or_indexed():
    [error] = CryptoTestIndexed._meta.get_field("notes").check()
    assert error.id == "nansen.E122"


def test_the_field_deconstructs_for_migrations():
    _name, path, _args, kwargs = CryptoTestRecord._meta.get_field("notes").deconstruct()
    assert path == "nansen.core.fields.EncryptedTextField"
    assert kwargs == {"verbose_name": "notes", "blank": True}


# nansen keys ------------------------------------------------------------------------------


def test_keys_generate_prints_a_usable_key_line():
    out, err = run_keys("generate")

    line = out.strip()
    assert re.fullmatch(r"k\d{8}:[A-Za-z0-9+/]{43}=", line)
    assert crypto.parse_keys(line).ids == (line.split(":")[0],)
    assert "NANSEN_FIELD_KEYS" in err
    assert run_keys("generate")[0].strip() != line


def test_keys_status_counts_values_per_key(settings):
    for n in range(3):
        CryptoTestRecord.objects.create(notes=f"a{n}")
    CryptoTestRecord.objects.create(notes="")
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B_A
    for n in range(2):
        CryptoTestRecord.objects.create(notes=f"b{n}", other_notes="x")

    out, _ = run_keys("status")

    assert "Active key: B; other keys that decrypt: A" in out

    def count(field, key, state):
        line = rf"core\.CryptoTestRecord\.{field}\s+{re.escape(key)}\s+{state}\s+(\d+)"
        match = re.search(line, out)
        return int(match.group(1)) if match else 0

    assert count("notes", "B", "active") == 2
    assert count("notes", "A", "retired") == 3
    assert count("notes", "(empty)", "") == 1
    assert count("other_notes", "B", "active") == 2
    assert count("other_notes", "(empty)", "") == 4


def _write_under_a(count=5):
    records = [CryptoTestRecord.objects.create(notes=f"{SECRET} #{n}") for n in range(count)]
    CryptoTestRecord.objects.create(notes="")  # nothing to rotate
    return {record.pk: f"{SECRET} #{n}" for n, record in enumerate(records)}


def _key_ids():
    return sorted(crypto.token_key_id(token) or "" for token in all_stored().values())


def test_keys_rotate_moves_every_value_to_the_first_key(settings):
    plaintexts = _write_under_a()
    CryptoTestRecord.objects.filter(pk=next(iter(plaintexts))).update(other_notes="")
    before = {r.pk: (r.version, r.updated_at) for r in _all()}
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B_A

    out, err = run_keys("rotate")

    assert "Re-encrypted 5 values; every value is under key B" in out
    assert "6/6 rows scanned, 5 values re-encrypted" in err
    assert _key_ids() == ["", "B", "B", "B", "B", "B"]
    for pk, plaintext in plaintexts.items():
        assert CryptoTestRecord.objects.get(pk=pk).notes == plaintext
    # Rotation is not a change of the data.
    assert {r.pk: (r.version, r.updated_at) for r in _all()} == before

    settings.FIELD_ENCRYPTION_KEYS = KEYS_B
    for pk, plaintext in plaintexts.items():
        assert CryptoTestRecord.objects.get(pk=pk).notes == plaintext


def test_keys_rotate_interrupted_then_run_again_loses_nothing(settings, monkeypatch):
    plaintexts = _write_under_a()
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B_A
    real_batch = keys_command._rotate_batch
    batches = []

    def power_cut_after_one_batch(*args, **kwargs):
        if batches:
            raise RuntimeError("power cut")
        batches.append(args)
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(keys_command, "_rotate_batch", power_cut_after_one_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        run_keys("rotate", batch_size=2)

    assert _key_ids() == ["", "A", "A", "A", "B", "B"]
    moved = {pk: token for pk, token in all_stored().items() if token.startswith("v1.B.")}
    for pk, plaintext in plaintexts.items():
        assert CryptoTestRecord.objects.get(pk=pk).notes == plaintext

    monkeypatch.setattr(keys_command, "_rotate_batch", real_batch)
    out, _ = run_keys("rotate", "--batch-size", "2")

    assert "Re-encrypted 3 values" in out
    assert _key_ids() == ["", "B", "B", "B", "B", "B"]
    assert {pk: all_stored()[pk] for pk in moved} == moved  # done once, not redone
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B
    for pk, plaintext in plaintexts.items():
        assert CryptoTestRecord.objects.get(pk=pk).notes == plaintext


def test_keys_rotate_fails_when_a_value_cannot_be_moved(settings):
    plaintexts = _write_under_a(3)
    broken = CryptoTestRecord.objects.get(pk=next(iter(plaintexts)))
    store(broken, stored(broken).replace("v1.A.", "v1.Z.", 1))
    settings.FIELD_ENCRYPTION_KEYS = KEYS_B_A

    with pytest.raises(CommandError, match=r"CryptoTestRecord\.notes: 1 under Z"):
        run_keys("rotate")

    assert _key_ids() == ["", "B", "B", "Z"]


def test_keys_rotate_refuses_a_bad_configuration(settings):
    settings.FIELD_ENCRYPTION_KEYS = "A:short"

    with pytest.raises(CommandError, match="NANSEN_FIELD_KEYS"):
        run_keys("rotate")
