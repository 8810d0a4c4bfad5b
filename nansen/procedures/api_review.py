"""The request for review over the REST API (mounted at /api/procedures beside the engine's
own routes): the office's register of counsellors, their designation for a request, the
refusal of the oral hearing and the withdrawal, through the same services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.core.permissions import NotAllowed, require
from nansen.procedures import selectors, services
from nansen.procedures.api import designated_counsellor
from nansen.procedures.schemas import (
    AppealOut,
    CounsellorIn,
    CounsellorOut,
    CounsellorUpdateIn,
    DesignationCancelIn,
    DesignationIn,
    HearingRefusalIn,
    WithdrawalIn,
)

router = Router(tags=["procedures"])


def _account(request, username: str | None) -> User | None:
    """The counsellor's user account, of the actor's office (refused when there is none)."""
    if not username:
        return None
    user = User.objects.filter(username=username, office_id=request.user.office_id).first()
    if user is None:
        raise NotAllowed(_("The user account must be of this office."))
    return user


@router.get("/counsellors", response={200: list[CounsellorOut], 404: ErrorOut})
def list_counsellors(request):
    """The register of refugee examination counsellors of the user's office."""
    if not (request.user.may(Action.MANAGE_COUNSELLORS) or request.user.may(Action.ASSIGN_APPEAL)):
        raise Http404
    return list(selectors.counsellor_list(user=request.user))


@router.post("/counsellors", response={201: CounsellorOut, **ERRORS})
def register_counsellor(request, payload: CounsellorIn):
    require(request.user, Action.MANAGE_COUNSELLORS)
    counsellor = services.counsellor_register(
        actor=request.user, name=payload.name, user=_account(request, payload.user)
    )
    return Status(201, counsellor)


@router.put("/counsellors/{int:counsellor_id}", response={200: CounsellorOut, **ERRORS})
def update_counsellor(request, counsellor_id: int, payload: CounsellorUpdateIn):
    """Correct a counsellor's name or account, or take them off the register."""
    require(request.user, Action.MANAGE_COUNSELLORS)
    counsellor = selectors.counsellor_get(user=request.user, pk=counsellor_id)
    return services.counsellor_update(
        actor=request.user,
        counsellor=counsellor,
        expected_version=payload.version,
        name=payload.name,
        user=_account(request, payload.user),
        active=payload.active,
    )


@router.post("/appeals/{int:appeal_id}/designations", response={201: AppealOut, **ERRORS})
def designate_counsellor(request, appeal_id: int, payload: DesignationIn):
    """Designate a counsellor of the register to examine the request."""
    require(request.user, Action.ASSIGN_APPEAL)
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    services.counsellor_designate(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        counsellor=designated_counsellor(appeal, payload.counsellor_id),
        designated_on=payload.designated_on,
    )
    appeal.refresh_from_db()
    return Status(201, appeal)


@router.post("/appeals/{int:appeal_id}/designations/cancel", response={200: AppealOut, **ERRORS})
def cancel_designation(request, appeal_id: int, payload: DesignationCancelIn):
    """Cancel the designation of a counsellor who has not given an opinion."""
    require(request.user, Action.ASSIGN_APPEAL)
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    designation = appeal.designations.filter(counsellor_id=payload.counsellor_id).first()
    if designation is None:
        raise NotAllowed(_("This counsellor is not designated for this request."))
    services.counsellor_designation_cancel(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        designation=designation,
    )
    appeal.refresh_from_db()
    return appeal


@router.post("/appeals/{int:appeal_id}/hearing/refusal", response={200: AppealOut, **ERRORS})
def refuse_hearing(request, appeal_id: int, payload: HearingRefusalIn):
    """Record that the oral hearing was refused, with the reason."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.appeal_hearing_refuse(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        refused_on=payload.refused_on,
        reason=payload.reason,
    )


@router.post("/appeals/{int:appeal_id}/withdrawal", response={200: AppealOut, **ERRORS})
def withdraw_appeal(request, appeal_id: int, payload: WithdrawalIn):
    """Record the applicant's withdrawal of the request, with its date."""
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return services.appeal_withdraw(
        actor=request.user,
        appeal=appeal,
        expected_version=payload.version,
        withdrawn_on=payload.withdrawn_on,
        note=payload.note,
    )
