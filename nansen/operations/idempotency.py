"""Idempotency keys for API writes: a retried request never creates a second record.

A client that does not know whether its write arrived (the connection broke, the server
restarted) sends the same request again with the same ``Idempotency-Key`` header. The first
request that commits records the key with the object it created, in the same transaction
as the write; every later request with that key gets the same object back, without writing.

An endpoint opts in by handing its write and its response to :func:`idempotent`::

    @cases.post("", response={201: CaseOut, **ERRORS})
    def register_case(request, payload: CaseIn):
        return idempotent(
            request,
            write=lambda: registration_services.case_register(actor=request.user, ...),
            respond=lambda case: Status(201, _case_with_details(request, case.pk)),
        )

``write`` returns the model instance the request created or changed; ``respond`` turns it
into the endpoint's answer and is called again, on a fresh copy read from the database, when
a retry replays the key (so a replay shows the record as it is now, and the key table holds
no personal data). Any router can do the same: the two calls are all there is.

Rules, as in the IETF draft "The Idempotency-Key HTTP Header Field":

* a key is 1 to 255 visible ASCII characters, chosen by the client (a UUID is best);
* keys belong to the user who sent them, and are kept for :data:`KEY_LIFETIME`;
* the same key with a different request (method, path or body) is refused with 400;
* two requests with the same key at the same moment: one writes, the other waits for its
  commit and replays it (a unique constraint on the key decides, inside the transaction);
* a write that failed (400, 404, 409) records nothing, so the retry runs it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.core.permissions import NotAllowed
from nansen.operations.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_LIFETIME = timedelta(hours=24)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


class IdempotencyKeyReused(NotAllowed):
    """The key was already used for a different request."""


def request_fingerprint(request) -> str:
    """SHA-256 of the method, path and body (JSON bodies in canonical form)."""
    body = request.body
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        body = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _valid_key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise NotAllowed(_("The Idempotency-Key header must be 1 to 255 visible ASCII characters."))
    return key


def _replay(record: IdempotencyRecord, fingerprint: str) -> models.Model:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used for a different request.")
        )
    model = apps.get_model(record.object_type)
    found = model._default_manager.filter(pk=record.object_id).first()
    if found is None:
        raise Http404
    return found


def idempotent(
    request,
    *,
    write: Callable[[], models.Model],
    respond: Callable[[models.Model], Any],
) -> Any:
    """Run ``write`` once per Idempotency-Key (if the request has one) and answer with
    ``respond(obj)``; a repeated key answers with the object the first request wrote."""
    key = _valid_key(request)
    if key is None:
        return respond(write())
    user = request.user
    fingerprint = request_fingerprint(request)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                cutoff = timezone.now() - KEY_LIFETIME
                record = IdempotencyRecord.objects.filter(
                    user=user, key=key, created_at__gte=cutoff
                ).first()
                if record is not None:
                    obj = _replay(record, fingerprint)
                else:
                    IdempotencyRecord.objects.filter(user=user, created_at__lt=cutoff).delete()
                    obj = write()
                    IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        fingerprint=fingerprint,
                        object_type=obj._meta.label,
                        object_id=obj.pk,
                    )
        except IntegrityError:
            # Another request with this key may have committed first: replay it if so.
            if not IdempotencyRecord.objects.filter(user=user, key=key).exists():
                raise
            continue
        return respond(obj)
    raise NotAllowed(_("This Idempotency-Key is being used by another request; try again."))
