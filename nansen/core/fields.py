"""Model fields that keep the most sensitive text encrypted in the database.

Usage (the model must have the row identifier ``uid``)::

    from nansen.core.fields import EncryptedTextField

    class Person(models.Model):
        uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
        medical_notes = EncryptedTextField(_("medical notes"), blank=True)

What the field does, and what it refuses:

* The database column holds only the token of :mod:`nansen.core.crypto`, bound to the
  table, the column and the row's ``uid``. ``save()``, ``save(update_fields=[…])``,
  ``objects.create()`` and ``bulk_create()`` encrypt; reading the attribute decrypts (each
  time: a loaded instance keeps the token, not the plaintext). A value assigned in Python
  stays plaintext on the instance until saved, as with any field.
* ``refresh_from_db()``, ``only()`` and ``defer()`` work; a deferred encrypted field is
  loaded as its token and decrypted when read.
* ``values()``/``values_list()`` return the stored token (a :class:`StoredToken`, a ``str``),
  never the plaintext. ``model_to_dict``, model forms and ``dumpdata`` see the plaintext.
* The empty string is stored as the empty string (there is nothing to protect); so is NULL
  for ``null=True``. Whether a value is empty is therefore visible in the database.
* Lookups are refused (``filter(notes=…)``, ``__icontains``…: a random nonce makes every
  token different) with :class:`EncryptedFieldUsageError`; only ``__isnull`` is allowed.
* Writes that have no row to bind the value to are refused: ``queryset.update(notes="…")``
  with plaintext or any expression, and ``bulk_update()`` (load and ``save()`` instead). So
  is a raw save (``loaddata``) of a non-empty value, and inserting a token taken from
  another row.
* ``uid`` must never change, nor the table or column name: the value would no longer
  decrypt. Renaming needs a data migration using :func:`nansen.core.crypto.decrypt` with the
  old place and :func:`~nansen.core.crypto.encrypt` with the new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from nansen.core import crypto

ROW_ID_FIELD = "uid"
_UID_DECLARATION = "uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)"


class EncryptedFieldUsageError(FieldError):
    """An operation that cannot work on an encrypted field (a lookup, an unbound write)."""


class StoredToken(str):
    """A value as stored in an encrypted column: a token, never plaintext.

    Values loaded from the database have this type; an instance attribute holding one is
    decrypted when read. A plain ``str`` assigned in Python is plaintext, to be encrypted.
    """

    __slots__ = ()


class EncryptedAttribute(DeferredAttribute):
    """Instance attribute: keeps the stored token, hands out the plaintext."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = self.field.stored_value(instance)
        if isinstance(value, StoredToken):
            return self.field.decrypt_for(instance, value)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-256-GCM, bound to its table, column and the row's ``uid``."""

    description = "Text encrypted at rest (AES-256-GCM)"
    descriptor_class = EncryptedAttribute

    # Database side ----------------------------------------------------------------------

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return StoredToken(value)

    def pre_save(self, model_instance, add):
        value = self.stored_value(model_instance)
        if value is None or value == "":
            return value
        if hasattr(value, "resolve_expression"):
            raise self._usage_error("an expression cannot be saved into it")
        if isinstance(value, StoredToken):
            if add:
                # A token can only be inserted into the row it belongs to: one copied from
                # another row (copying an instance, Model(**values())) would never decrypt.
                self.decrypt_for(model_instance, value)
            return value  # unchanged since it was loaded
        token = crypto.encrypt(self.to_python(value), **self.place(model_instance))
        return StoredToken(token)

    def get_prep_value(self, value):
        if value is None or isinstance(value, StoredToken):
            return None if value is None else str(value)
        if value == "":
            return ""
        raise self._usage_error(
            "a value can only be encrypted when saved through its instance (Model.save(), "
            "objects.create()); queryset.update() with plaintext, bulk_update() and raw "
            "saves (loaddata) have no row to bind it to"
        )

    def get_placeholder(self, value, compiler, connection):
        # queryset.update(field=<expression>) and bulk_update() reach this with an expression;
        # it would write plaintext (Value("…")) or a token that can never decrypt (F()).
        if hasattr(value, "as_sql"):
            raise self._usage_error(
                "queryset.update() with an expression and bulk_update() cannot write it; "
                "load the instances and save() them"
            )
        return "%s"

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._usage_error(
            f"it cannot be filtered with {lookup_name!r} (each value is encrypted with a "
            "random nonce); only __isnull is allowed"
        )

    def get_transform(self, lookup_name):
        raise self._usage_error(f"it cannot be filtered through {lookup_name!r}")

    # Instance side ----------------------------------------------------------------------

    def stored_value(self, instance):
        """The attribute as held by the instance: a StoredToken, plaintext, "" or None.

        A deferred value is loaded as its token (not decrypted).
        """
        data = instance.__dict__
        if self.attname not in data:
            data[self.attname] = (
                type(instance)
                ._base_manager.db_manager(instance._state.db, hints={"instance": instance})
                .filter(pk=instance.pk)
                .values_list(self.attname, flat=True)
                .get()
            )
        return data[self.attname]

    def place(self, instance) -> dict[str, str]:
        """Where a value of this field on ``instance`` belongs: table, column, row uid."""
        try:
            row_field = instance._meta.get_field(ROW_ID_FIELD)
        except FieldDoesNotExist:
            raise ImproperlyConfigured(
                f"{self.model._meta.label} has an EncryptedTextField but no {ROW_ID_FIELD!r} "
                f"field; add {_UID_DECLARATION}"
            ) from None
        value = getattr(instance, row_field.attname)
        try:
            row = str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            raise self._usage_error(
                f"the row has no valid {ROW_ID_FIELD!r} to bind the value to"
            ) from None
        return {"table": self.model._meta.db_table, "column": self.column, "row": row}

    def decrypt_for(self, instance, token: str) -> str:
        return crypto.decrypt(token, **self.place(instance))

    def _usage_error(self, reason: str) -> EncryptedFieldUsageError:
        label = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
        return EncryptedFieldUsageError(f"{label} is an encrypted field: {reason}.")

    # System checks ----------------------------------------------------------------------

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_row_field(), *self._check_options()]

    def _check_row_field(self):
        try:
            row_field = self.model._meta.get_field(ROW_ID_FIELD)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"{self.model._meta.label} has an encrypted field but no "
                    f"{ROW_ID_FIELD!r} field to bind its values to their row.",
                    hint=f"Add {_UID_DECLARATION}",
                    obj=self,
                    id="nansen.E120",
                )
            ]
        if not isinstance(row_field, models.UUIDField) or not row_field.unique or row_field.null:
            return [
                checks.Error(
                    f"{self.model._meta.label}.{ROW_ID_FIELD} must be a unique, non-null "
                    "UUIDField: encrypted values are bound to it.",
                    hint=f"Declare {_UID_DECLARATION}",
                    obj=self,
                    id="nansen.E121",
                )
            ]
        return []

    def _check_options(self):
        if self.primary_key or self.unique or self.db_index or self.has_db_default():
            return [
                checks.Error(
                    "An encrypted field cannot be a key, unique, indexed or have a database "
                    "default: every stored value is a different random-looking token.",
                    obj=self,
                    id="nansen.E122",
                )
            ]
        return []


def encrypted_fields(app_registry=None) -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) whose table holds an encrypted column, each column once."""
    registry = app_registry or global_apps
    for model in registry.get_models():
        if model._meta.proxy:
            continue
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                yield model, model_field
