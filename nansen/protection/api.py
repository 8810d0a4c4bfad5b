"""The protection API: disclosures and exceptions to the country-of-origin guard, through
the same services as the pages. Mounted at /api/protection.

A disclosure the guard refuses answers 400 with the reason, and is recorded as refused.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.permissions import NotAllowed, require
from nansen.protection import services
from nansen.protection.models import GuardException
from nansen.protection.schemas import (
    DisclosureIn,
    DisclosureOut,
    GuardExceptionIn,
    GuardExceptionOut,
)
from nansen.protection.selectors import guard_exception_list
from nansen.registration.selectors import case_get

router = Router(tags=["protection"])


def _members(case, person_ids: list[int]):
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    persons = [members.get(pk) for pk in person_ids]
    if None in persons:
        raise NotAllowed("Choose members of this case.")
    return persons


@router.post("/disclosures", response={201: DisclosureOut, **ERRORS})
def record_disclosure(request, payload: DisclosureIn):
    """Record information shared with a third party; the country-of-origin guard refuses
    (400) any recipient that is, acts for, or is in a country a member of the case comes
    from, was born in, is a national of, or fears, whatever its kind."""
    require(request.user, Action.DISCLOSE)
    case = case_get(user=request.user, pk=payload.case_id)
    disclosure = services.disclosure_record(
        actor=request.user,
        case=case,
        persons=_members(case, payload.person_ids),
        recipient=payload.recipient,
        recipient_kind=str(payload.recipient_kind),
        recipient_country=payload.recipient_country,
        acts_for_country=payload.acts_for_country,
        legal_basis=str(payload.legal_basis),
        shared=payload.shared,
    )
    return Status(201, disclosure)


def _require_guard_reader(user) -> None:
    if not any(user.may(a) for a in (*services.SENDING_ACTIONS, Action.APPROVE_GUARD_EXCEPTION)):
        raise Http404


def _require_sender(user) -> None:
    """404 before anything else is read, as the services' require() (see core.permissions)."""
    if not any(user.may(a) for a in services.SENDING_ACTIONS):
        raise Http404


@router.get(
    "/cases/{int:case_id}/guard-exceptions",
    response={200: list[GuardExceptionOut], 404: ErrorOut},
)
def list_guard_exceptions(request, case_id: int):
    _require_guard_reader(request.user)
    case = case_get(user=request.user, pk=case_id)
    found = guard_exception_list(case=case)
    read_record(
        user=request.user,
        request=request,
        channel=Channel.API,
        action="guard_exception_list",
        object_type="guardexception",
        object_ids=[x.pk for x in found],
        case_id=case.pk,
    )
    return found


@router.post("/guard-exceptions", response={201: GuardExceptionOut, **ERRORS})
def request_guard_exception(request, payload: GuardExceptionIn):
    """Record the informed consent of the members concerned to one sending the guard would
    refuse. It lets nothing through until another supervisor approves it."""
    _require_sender(request.user)
    case = case_get(user=request.user, pk=payload.case_id)
    exception = services.guard_exception_request(
        actor=request.user,
        case=case,
        country=payload.country,
        road=payload.road,
        recipient=payload.recipient,
        purpose=payload.purpose,
        consenting_persons=_members(case, payload.consenting_person_ids),
        consent_wording=payload.consent_wording,
        consent_reference=payload.consent_reference,
        consent_given_on=payload.consent_given_on,
    )
    return Status(201, exception)


@router.post(
    "/guard-exceptions/{int:exception_id}/approve", response={200: GuardExceptionOut, **ERRORS}
)
def approve_guard_exception(request, exception_id: int):
    """A supervisor other than who recorded the consent approves: one sending, 30 days."""
    require(request.user, Action.APPROVE_GUARD_EXCEPTION)
    exception = get_object_or_404(GuardException, pk=exception_id)
    case_get(user=request.user, pk=exception.case_id)  # 404 outside what the user sees
    return services.guard_exception_approve(actor=request.user, exception=exception)
