from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import form_post, refusal_shown
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.forms import (
    AppealDecideForm,
    AppealLodgeForm,
    AssignForm,
    DesignateForm,
    DesignationCancelForm,
    HearingForm,
    HearingRefuseForm,
    OpinionForm,
    WithdrawForm,
)
from nansen.procedures.models import Instance
from nansen.procedures.selectors import (
    appeal_get,
    appealed_decision,
    application_get,
    last_day_for,
)
from nansen.procedures.services.appeals import DECIDE_STEPS, LODGE_STEPS
from nansen.procedures.views._common import form_step
from nansen.procedures.views.courts import court_page

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)


@action_required(Action.LODGE_APPEAL)
@require_http_methods(["GET", "POST"])
def appeal_lodge(request, pk: int):
    application = application_get(
        user=request.user, pk=pk, read="appeal_lodge_form", request=request
    )
    instance = Instance.JUDICIAL if request.GET.get("instance") == "judicial" else Instance.APPEAL
    profile = application.procedure
    step = profile.steps.get(LODGE_STEPS[instance])
    due = late_until = None
    try:
        decision = appealed_decision(application, instance)
    except NotAllowed:
        decision = None
    if step is not None and step.timeliness is not None and decision is not None:
        due = last_day_for(application, step.timeliness.deadline, decision)
        if step.timeliness.late_deadline:
            late_until = last_day_for(application, step.timeliness.late_deadline, decision)
    form = AppealLodgeForm(request.POST or None)

    def perform(data):
        services.appeal_lodge(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            lodged_on=data["lodged_on"],
            grounds=data["grounds"],
            late_justification=data["late_justification"],
            instance=instance,
            lodging_method=data["lodging_method"],
            posted_on=data["posted_on"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/appeal_lodge.html",
        context={
            "application": application,
            "case": application.case,
            "instance": instance,
            "decision": decision,
            "due": due,
            "late_until": late_until,
            "version": version_seen(request, application),
        },
        perform=perform,
        success=_("The appeal was lodged.")
        if instance == Instance.APPEAL
        else _("The court action was recorded."),
        redirect_to=("procedures:application_detail", application.pk),
    )


@action_required(*SEE_CASES)
def appeal_detail(request, pk: int):
    return appeal_page(request, pk)


def appeal_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    """The page of an appeal or request for review (of a court proceeding, ``court_page``).
    ``bound`` holds a form posted from it and refused, shown with what the user typed; its
    reason is said among the page's messages, and the page answers with ``status``."""
    bound = bound or {}
    appeal = appeal_get(user=request.user, pk=pk, read="appeal_view", request=request)
    if appeal.instance == Instance.JUDICIAL:
        return court_page(request, appeal, bound=bound, status=status)
    for form in bound.values():
        refusal_shown(request, form)
    application = appeal.application
    profile = application.procedure
    user = request.user
    deciding = not appeal.outcome and user.may(Action.DECIDE_APPEAL)
    review = (
        _review_forms(appeal, profile, user, bound) if appeal.instance == Instance.APPEAL else {}
    )
    decide_step = profile.steps.get(DECIDE_STEPS[appeal.instance])
    return render(
        request,
        "procedures/appeal_detail.html",
        {
            "appeal": appeal,
            "application": application,
            "case": application.case,
            "profile": profile,
            "opinions": list(appeal.opinions.select_related("counsellor")),
            **review,
            "sensitive": user.may(Action.VIEW_SENSITIVE),
            "assign_form": bound.get("assign_form")
            or (
                AssignForm(office_id=application.office_id)
                if not appeal.outcome
                and appeal.instance == Instance.APPEAL
                and user.may(Action.ASSIGN_APPEAL)
                else None
            ),
            "opinion_form": bound.get("opinion_form")
            or (
                OpinionForm(appeal=appeal)
                if deciding
                and profile.appeal.counsellors
                and appeal.opinions.count() < profile.appeal.counsellors
                else None
            ),
            "hearing_form": bound.get("hearing_form")
            or (
                HearingForm()
                if deciding
                and profile.appeal.oral_hearing != "none"
                and not (appeal.hearing_on or appeal.hearing_waived or appeal.hearing_refused_on)
                else None
            ),
            "decide_form": bound.get("decide_form")
            or (
                AppealDecideForm(keys=decide_step.keys if decide_step else None)
                if deciding
                else None
            ),
        },
        status=status,
    )


def _review_forms(appeal, profile, user, bound: dict) -> dict:
    """The forms of a request for review: designating counsellors, refusing the oral hearing
    and recording the applicant's withdrawal, for those who may use them while it is open."""
    if appeal.outcome:
        return {"designations": list(appeal.designations.select_related("counsellor"))}
    designations = list(appeal.designations.select_related("counsellor"))
    undecided = not (appeal.hearing_on or appeal.hearing_waived or appeal.hearing_refused_on)
    designating = bool(profile.appeal.counsellors) and user.may(Action.ASSIGN_APPEAL)
    withdraw = profile.steps.get("withdraw_appeal")
    return {
        "designations": designations,
        "designate_form": bound.get("designate_form")
        or (
            DesignateForm(appeal=appeal)
            if designating and len(designations) < profile.appeal.counsellors
            else None
        ),
        "cancel_form": bound.get("cancel_form")
        or (DesignationCancelForm(appeal=appeal) if designating and designations else None),
        "hearing_refuse_form": bound.get("hearing_refuse_form")
        or (
            HearingRefuseForm()
            if profile.appeal.hearing_refusal and undecided and user.may(Action.DECIDE_APPEAL)
            else None
        ),
        "withdraw_form": bound.get("withdraw_form")
        or (
            WithdrawForm()
            if withdraw is not None
            and appeal.application.stage in withdraw.sources
            and user.may(Action.LODGE_APPEAL)
            else None
        ),
    }


# Forms whose choices come from the appeal (its designated counsellors, its office's register).
FORMS_OF_AN_APPEAL = (OpinionForm, DesignateForm, DesignationCancelForm)


def _appeal_post(request, pk, *, form_class, perform, success, bound_as, **form_kwargs):
    """A form posted from the appeal's page (``core.forms.form_post``): back to the page
    when done; the page again, the form as typed under ``bound_as``, when refused."""
    appeal = appeal_get(user=request.user, pk=pk)
    if form_class is AssignForm:
        form_kwargs["office_id"] = appeal.application.office_id
    if form_class in FORMS_OF_AN_APPEAL:
        form_kwargs["appeal"] = appeal
    form = form_class(request.POST, **form_kwargs)
    return form_post(
        request,
        form,
        perform=lambda data: perform(appeal, data),
        success=success,
        then=lambda _result: redirect("procedures:appeal_detail", appeal.pk),
        page=lambda status: appeal_page(request, appeal.pk, bound={bound_as: form}, status=status),
    )


@action_required(Action.ASSIGN_APPEAL)
@require_POST
def appeal_assign(request, pk: int):
    def perform(appeal, data):
        services.appeal_assign(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            officer=data["officer"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=AssignForm,
        perform=perform,
        bound_as="assign_form",
        success=_("The appeal was assigned."),
    )


@action_required(Action.DECIDE_APPEAL)
@require_POST
def appeal_opinion(request, pk: int):
    def perform(appeal, data):
        services.counsellor_opinion_record(actor=request.user, appeal=appeal, **data)

    return _appeal_post(
        request,
        pk,
        form_class=OpinionForm,
        perform=perform,
        bound_as="opinion_form",
        success=_("The opinion was recorded."),
    )


@action_required(Action.DECIDE_APPEAL)
@require_POST
def appeal_hearing(request, pk: int):
    def perform(appeal, data):
        services.appeal_hearing_record(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            held_on=data["held_on"],
            waived=data["waived"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=HearingForm,
        perform=perform,
        bound_as="hearing_form",
        success=_("The oral hearing was recorded."),
    )


@action_required(Action.DECIDE_APPEAL)
@require_POST
def appeal_decide(request, pk: int):
    def perform(appeal, data):
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            outcome=data["outcome"],
            new_outcome=data["new_outcome"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
        )

    return _appeal_post(
        request,
        pk,
        form_class=AppealDecideForm,
        perform=perform,
        bound_as="decide_form",
        success=_("The appeal was decided."),
    )
