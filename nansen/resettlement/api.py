"""The resettlement API: pledges (seen by every role), referrals (seen through their case),
the same services and selectors as the pages. Mounted at /api/resettlement."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.permissions import NotAllowed, require
from nansen.registration.selectors import case_get
from nansen.resettlement import services
from nansen.resettlement.models import Pledge, ReferralStatus
from nansen.resettlement.schemas import (
    PledgeFulfilmentOut,
    PledgeIn,
    PledgeOut,
    PledgeReviseIn,
    ReferralIn,
    ReferralOut,
    ReferralPageOut,
    ReferralUpdateIn,
    RevisionOut,
    StepIn,
)
from nansen.resettlement.selectors import (
    fulfilment_by_pledge,
    fulfilment_over_time,
    pledge_get,
    pledge_revisions,
    referral_get,
    referral_list,
    unhcr_context,
)

router = Router(tags=["resettlement"])


def _read(request, action: str, referrals, case_id: int | None = None) -> None:
    read_record(
        user=request.user,
        request=request,
        channel=Channel.API,
        action=action,
        object_type="referral",
        object_ids=[r.pk for r in referrals],
        case_id=case_id,
    )


def _with_fulfilment(pledges: list[Pledge]) -> list[Pledge]:
    found = fulfilment_by_pledge(pledges)
    for pledge in pledges:
        pledge.fulfilment = found[pledge.pk]
    return pledges


@router.get("/pledges", response={200: list[PledgeOut], 404: ErrorOut})
def list_pledges(request):
    """Every pledge, with its fulfilment in persons (not personal data: every role sees it)."""
    require(request.user, Action.VIEW_PLEDGES)
    return _with_fulfilment(list(Pledge.objects.all()))


@router.post("/pledges", response={201: PledgeOut, **ERRORS})
def record_pledge(request, payload: PledgeIn):
    pledge = services.pledge_record(actor=request.user, data=payload.to_input())
    return Status(201, _with_fulfilment([pledge])[0])


@router.get("/pledges/{int:pledge_id}", response={200: PledgeOut, 404: ErrorOut})
def get_pledge(request, pledge_id: int):
    require(request.user, Action.VIEW_PLEDGES)
    return _with_fulfilment([pledge_get(pk=pledge_id)])[0]


@router.put("/pledges/{int:pledge_id}", response={200: PledgeOut, **ERRORS})
def revise_pledge(request, pledge_id: int, payload: PledgeReviseIn):
    """Revise a pledge; answers 409 when it changed since ``version``. Every revision is
    kept (see /revisions)."""
    require(request.user, Action.VIEW_PLEDGES)
    pledge = services.pledge_revise(
        actor=request.user,
        pledge=pledge_get(pk=pledge_id),
        expected_version=payload.version,
        data=payload.to_input(),
        reason=payload.reason,
    )
    return _with_fulfilment([pledge])[0]


@router.get("/pledges/{int:pledge_id}/revisions", response={200: list[RevisionOut], 404: ErrorOut})
def list_revisions(request, pledge_id: int):
    require(request.user, Action.VIEW_PLEDGES)
    return pledge_revisions(pledge=pledge_get(pk=pledge_id))


@router.get(
    "/pledges/{int:pledge_id}/fulfilment", response={200: PledgeFulfilmentOut, 404: ErrorOut}
)
def pledge_fulfilment(request, pledge_id: int):
    """Fulfilment in persons, cumulative by quarter (or year), and UNHCR's resettlement
    arrivals in the receiving country from the target nationalities, year by year."""
    require(request.user, Action.VIEW_PLEDGES)
    pledge = pledge_get(pk=pledge_id)
    context, rows = unhcr_context(pledge=pledge)
    return {
        "fulfilment": fulfilment_by_pledge([pledge])[pledge.pk],
        "periods": fulfilment_over_time(pledge=pledge),
        "unhcr_available": context.available,
        "unhcr": rows,
    }


def _require_cases(request) -> None:
    if not (request.user.may(Action.VIEW_CASEWORK) or request.user.may(Action.VIEW_REPRESENTED)):
        require(request.user, Action.VIEW_CASEWORK)


@router.get("/referrals", response={200: ReferralPageOut, 404: ErrorOut})
def list_referrals(
    request,
    status: ReferralStatus | None = None,
    pledge_id: int | None = None,
    case_id: int | None = None,
    limit: int = Query(25, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Referrals of the cases the user may see."""
    _require_cases(request)
    pledge = pledge_get(pk=pledge_id) if pledge_id else None
    case = case_get(user=request.user, pk=case_id) if case_id else None
    found = referral_list(user=request.user, pledge=pledge, status=status or "", case=case)
    items = list(found.prefetch_related("members")[offset : offset + limit])
    _read(request, "referral_list", items)
    return {"count": found.count(), "items": items}


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def identify_referral(request, payload: ReferralIn):
    """Refer chosen members of a case to a pledge (or to a programme and country)."""
    case = case_get(user=request.user, pk=payload.case_id)
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    persons = [members.get(pk) for pk in payload.person_ids]
    if None in persons:
        raise NotAllowed("Choose the members of this case who are referred.")
    pledge = get_object_or_404(Pledge, pk=payload.pledge_id) if payload.pledge_id else None
    referral = services.referral_identify(
        actor=request.user,
        case=case,
        persons=persons,
        identified_on=payload.identified_on,
        pledge=pledge,
        programme_type=str(payload.programme_type or ""),
        receiving_country=payload.receiving_country,
        categories=[str(c) for c in payload.categories],
        priority=str(payload.priority),
        profile=payload.profile,
        notes=payload.notes,
    )
    return Status(201, referral_get(user=request.user, pk=referral.pk))


@router.get("/referrals/{int:referral_id}", response={200: ReferralOut, 404: ErrorOut})
def get_referral(request, referral_id: int):
    _require_cases(request)
    return referral_get(user=request.user, pk=referral_id, read="referral_view", request=request)


@router.put("/referrals/{int:referral_id}", response={200: ReferralOut, **ERRORS})
def update_referral(request, referral_id: int, payload: ReferralUpdateIn):
    """Change categories, priority, profile or notes while the referral is identified."""
    referral = services.referral_update(
        actor=request.user,
        referral=referral_get(user=request.user, pk=referral_id),
        expected_version=payload.version,
        categories=[str(c) for c in payload.categories],
        priority=str(payload.priority),
        profile=payload.profile,
        notes=payload.notes,
    )
    return referral_get(user=request.user, pk=referral.pk)


@router.post("/referrals/{int:referral_id}/steps/{step}", response={200: ReferralOut, **ERRORS})
def take_step(request, referral_id: int, step: str, payload: StepIn):
    """Take a step: submit, accept, reject, depart, arrive or withdraw (reject and withdraw
    need a ``reason``)."""
    services.referral_move(
        actor=request.user,
        referral=referral_get(user=request.user, pk=referral_id),
        expected_version=payload.version,
        step=step,
        on=payload.on,
        reason=payload.reason,
        reason_details=payload.reason_details,
    )
    return referral_get(user=request.user, pk=referral_id)
