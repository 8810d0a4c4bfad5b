"""Optimistic concurrency: every editable record carries a version number; a save names
the version it was based on and is refused if someone else saved in between."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class ConcurrentEditError(Exception):
    """Someone saved the record after the editor loaded it; nothing was written."""

    def __init__(self, obj: models.Model):
        self.obj = obj
        super().__init__(
            _(
                "Someone else saved this %(thing)s while you were editing it. "
                "Nothing was changed; reload it to see their changes, then make yours again."
            )
            % {"thing": obj._meta.verbose_name}
        )


def claim_version(obj: models.Model, expected_version: int) -> None:
    """Move ``obj`` from ``expected_version`` to the next one, or raise if it has moved on.

    Must run inside the transaction that then saves the change.
    """
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if updated != 1:
        raise ConcurrentEditError(obj)
    obj.version = expected_version + 1
