"""Optimistic concurrency: every editable record carries a version number; a save names
the version it was based on and is refused if someone else saved in between.

A page's form that changes a record carries the version the page showed, in a hidden
``version`` field; ``version_from`` is the one place that reads it."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from nansen.core.permissions import NotAllowed

# Versions start at 1 and grow by one a save; nine digits stay within a database integer.
_VERSION = re.compile(r"[0-9]{1,9}")


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


class VersionMissing(NotAllowed):
    """A form that changes a record came without the version the page showed (or with one
    that is not a number); nothing was written."""


def version_from(request) -> int:
    """The version of the record the posted form was loaded with (its hidden ``version``
    field). Required: a form without it is refused with ``VersionMissing`` rather than saved
    over whatever the record holds now, which would undo a change made in between unseen."""
    raw = request.POST.get("version", "")
    if not _VERSION.fullmatch(raw):
        raise VersionMissing(
            _(
                "This form came without the version of the record it changes, so it cannot be "
                "checked against changes made meanwhile. Nothing was changed; reload the page "
                "and make the change again."
            )
        )
    return int(raw)


def version_seen(request, obj: models.Model) -> int:
    """The version a form page carries: the record's own when the page is first shown;
    after a refused post, the one posted, since the user has still seen only that one (a
    post refused because someone else saved stays refused until the page is reloaded)."""
    if request.method == "POST":
        try:
            return version_from(request)
        except VersionMissing:
            pass
    return obj.version
