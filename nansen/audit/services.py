"""Writing the case history and the audit log. Called inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from nansen.audit import chain
from nansen.audit.models import AuditEntry, CaseEvent, Channel, Verb
from nansen.core.client_ip import client_address


def _channel(request, default: Channel) -> Channel:
    if request is not None and request.path.startswith("/api/"):
        return Channel.API
    return default


def audit_record(
    *,
    user,
    action: str,
    channel: Channel = Channel.SERVICE,
    request=None,
    object_type: str = "",
    object_id: int | None = None,
    case_id: int | None = None,
    person_ids: list[int] | None = None,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the audit log (in its own transaction if the caller has none)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    entry = AuditEntry(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else username[:150],
        office_id=getattr(user, "office_id", None) if authenticated else None,
        remote_addr=client_address(request),
        channel=_channel(request, channel),
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        person_ids=person_ids or [],
        details=details or {},
    )
    with transaction.atomic():
        return chain.append(entry)


def read_record(
    *,
    user,
    request,
    action: str,
    object_type: str,
    object_ids: list[int],
    case_id: int | None = None,
    person_ids: list[int] | None = None,
    channel: Channel = Channel.PAGE,
) -> None:
    """Record that ``user`` read personal data: one object, or a listing with the ids shown."""
    if not object_ids:
        return
    single = len(object_ids) == 1
    audit_record(
        user=user,
        action=action,
        channel=channel,
        request=request,
        object_type=object_type,
        object_id=object_ids[0] if single else None,
        case_id=case_id,
        person_ids=person_ids,
        details={} if single else {"ids": object_ids},
    )


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
    """Write one state change to the case history and to the audit log."""
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        verb=verb,
        object_type=obj._meta.model_name,  # type: ignore[misc]
        object_id=obj.pk,
        state_before=state_before,
        state_after=state_after,
        details=details or {},
    )
    audit_record(
        user=actor,
        action=str(verb),
        object_type=obj._meta.model_name,  # type: ignore[arg-type]
        object_id=obj.pk,
        case_id=case.pk,
        details={"state_before": state_before, "state_after": state_after, **(details or {})},
    )
    return event
