"""The request for review's own pages: the office's register of counsellors, and on a request
the designation of counsellors, the refusal of the oral hearing and the withdrawal."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.core.concurrency import version_from
from nansen.core.decorators import action_required
from nansen.procedures import services
from nansen.procedures.forms import (
    CounsellorForm,
    DesignateForm,
    DesignationCancelForm,
    HearingRefuseForm,
    WithdrawForm,
)
from nansen.procedures.selectors import counsellor_get, counsellor_list
from nansen.procedures.views._common import form_step
from nansen.procedures.views.appeals import _appeal_post


def _register_page(request, *, form, counsellor, perform, success):
    return form_step(
        request,
        form=form,
        template="procedures/counsellors.html",
        context={"counsellors": counsellor_list(user=request.user), "counsellor": counsellor},
        perform=perform,
        success=success,
        redirect_to=("procedures:counsellors",),
    )


@action_required(Action.MANAGE_COUNSELLORS)
@require_http_methods(["GET", "POST"])
def counsellors(request):
    """The register of counsellors, and a form to add one."""
    form = CounsellorForm(request.POST or None, office_id=request.user.office_id)
    return _register_page(
        request,
        form=form,
        counsellor=None,
        perform=lambda data: services.counsellor_register(
            actor=request.user, name=data["name"], user=data["user"]
        ),
        success=_("The counsellor was added to the register."),
    )


@action_required(Action.MANAGE_COUNSELLORS)
@require_http_methods(["GET", "POST"])
def counsellor_edit(request, pk: int):
    counsellor = counsellor_get(user=request.user, pk=pk)
    initial = {"name": counsellor.name, "user": counsellor.user, "active": counsellor.active}
    form = CounsellorForm(request.POST or None, initial=initial, office_id=request.user.office_id)
    return _register_page(
        request,
        form=form,
        counsellor=counsellor,
        perform=lambda data: services.counsellor_update(
            actor=request.user,
            counsellor=counsellor,
            expected_version=version_from(request),
            name=data["name"],
            user=data["user"],
            active=data["active"],
        ),
        success=_("The register was updated."),
    )


@action_required(Action.ASSIGN_APPEAL)
@require_POST
def appeal_designate(request, pk: int):
    def perform(appeal, data):
        services.counsellor_designate(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            counsellor=data["counsellor"],
            designated_on=data["designated_on"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=DesignateForm,
        perform=perform,
        bound_as="designate_form",
        success=_("The counsellor was designated."),
    )


@action_required(Action.ASSIGN_APPEAL)
@require_POST
def appeal_designation_cancel(request, pk: int):
    def perform(appeal, data):
        services.counsellor_designation_cancel(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            designation=data["designation"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=DesignationCancelForm,
        perform=perform,
        bound_as="cancel_form",
        success=_("The designation was cancelled."),
    )


@action_required(Action.DECIDE_APPEAL)
@require_POST
def appeal_hearing_refuse(request, pk: int):
    def perform(appeal, data):
        services.appeal_hearing_refuse(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            refused_on=data["refused_on"],
            reason=data["reason"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=HearingRefuseForm,
        perform=perform,
        bound_as="hearing_refuse_form",
        success=_("The refusal of the oral hearing was recorded."),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def appeal_withdraw(request, pk: int):
    def perform(appeal, data):
        services.appeal_withdraw(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            withdrawn_on=data["withdrawn_on"],
            note=data["note"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=WithdrawForm,
        perform=perform,
        bound_as="withdraw_form",
        success=_("The withdrawal was recorded."),
    )
