"""Writing the case history and the record of reads. Called inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from nansen.audit.models import AccessRecord, CaseEvent, Verb


def case_event_record(
    *,
    case,
    actor,
    verb: Verb,
    obj: models.Model,
    state_before: str = "",
    state_after: str = "",
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        verb=verb,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        state_before=state_before,
        state_after=state_after,
        details=details or {},
    )


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def access_record(
    *,
    user,
    channel: AccessRecord.Channel,
    action: str,
    object_type: str,
    object_ids: list[int] | None = None,
    request=None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record that ``user`` read personal data: one row per object read, or one row for a
    listing with the ids it showed."""
    address = client_address(request)
    ids = object_ids or [None]
    if len(ids) > 1:
        AccessRecord.objects.create(
            user=user,
            channel=channel,
            action=action,
            object_type=object_type,
            object_id=None,
            remote_addr=address,
            details={**(details or {}), "ids": ids},
        )
        return
    AccessRecord.objects.create(
        user=user,
        channel=channel,
        action=action,
        object_type=object_type,
        object_id=ids[0],
        remote_addr=address,
        details=details or {},
    )
