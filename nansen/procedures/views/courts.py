"""Court proceedings: lodging at a court level, the proceeding's page (court and case number,
hearings, stay of execution, judgment and its service) and one short view per change."""

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
    CourtDetailsForm,
    CourtHearingForm,
    CourtLodgeForm,
    JudgmentForm,
    JudgmentServiceForm,
    StayApplyForm,
    StayDecideForm,
)
from nansen.procedures.models import CourtLevel
from nansen.procedures.selectors import appeal_get, application_get
from nansen.procedures.services.courts import JUDGMENT_STEPS, court_lodging_terms
from nansen.procedures.views._common import form_step


@action_required(Action.LODGE_APPEAL)
@require_http_methods(["GET", "POST"])
def court_lodge(request, pk: int):
    """Record a proceeding at the court level asked for (``?level=``, the District Court by
    default): what it is against and its last day are shown before it is lodged."""
    application = application_get(
        user=request.user, pk=pk, read="court_lodge_form", request=request
    )
    level = request.GET.get("level", "")
    if level not in CourtLevel.values:
        level = CourtLevel.DISTRICT
    terms, problem = None, ""
    try:
        terms = court_lodging_terms(application, level)
    except NotAllowed as exc:
        problem = str(exc)
    form = CourtLodgeForm(request.POST or None)

    def perform(data):
        services.court_proceeding_lodge(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            level=level,
            lodged_on=data["lodged_on"],
            grounds=data["grounds"],
            court=data["court"],
            case_number=data["case_number"],
            late_justification=data["late_justification"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/court_lodge.html",
        context={
            "application": application,
            "case": application.case,
            "level": CourtLevel(level),
            "terms": terms,
            "problem": problem,
            "version": version_seen(request, application),
        },
        perform=perform,
        success=_("The court proceeding was recorded."),
        redirect_to=("procedures:application_detail", application.pk),
    )


def court_page(request, appeal, *, bound: dict | None = None, status: int = 200):
    """The page of a court proceeding (``appeals.appeal_page`` shows it for instance
    judicial, the read recorded as ``appeal_view``). ``bound`` holds a form posted from it
    and refused, shown with what the user typed; its reason is said among the page's
    messages, answered with ``status``."""
    bound = bound or {}
    for form in bound.values():
        refusal_shown(request, form)
    application = appeal.application
    user = request.user
    pending = not appeal.outcome
    recording = user.may(Action.LODGE_APPEAL)
    # An administrative appeal posted to the court page has no judgment step.
    step = application.procedure.steps.get(JUDGMENT_STEPS.get(appeal.court_level, ""))
    judging = (
        pending
        and user.may(Action.DECIDE_APPEAL)
        and step is not None
        and application.stage in step.sources
    )
    stay_open = not appeal.stay_applied_on or appeal.stay_outcome == "refused"
    return render(
        request,
        "procedures/court_detail.html",
        {
            "appeal": appeal,
            "application": application,
            "case": application.case,
            "hearings": list(appeal.court_hearings.all()),
            "sensitive": user.may(Action.VIEW_SENSITIVE),
            "details_form": bound.get("details_form")
            or (
                CourtDetailsForm(
                    initial={"court": appeal.court, "case_number": appeal.court_case_number}
                )
                if recording
                else None
            ),
            "court_hearing_form": bound.get("court_hearing_form")
            or (CourtHearingForm() if recording and pending else None),
            "stay_apply_form": bound.get("stay_apply_form")
            or (StayApplyForm() if recording and pending and stay_open else None),
            "stay_decide_form": bound.get("stay_decide_form")
            or (
                StayDecideForm()
                if recording and appeal.stay_applied_on and not appeal.stay_outcome
                else None
            ),
            "judgment_form": bound.get("judgment_form") or (JudgmentForm() if judging else None),
            "service_form": bound.get("service_form")
            or (
                JudgmentServiceForm()
                if recording and appeal.outcome and not appeal.served_on
                else None
            ),
        },
        status=status,
    )


def _court_post(request, pk: int, *, form_class, perform, success, bound_as: str):
    """A form posted from the proceeding's page (``core.forms.form_post``): back to the page
    when done; the page again, the form as typed under ``bound_as``, when refused. The page
    is the appeal's (``appeals.appeal_page``), which shows a court proceeding's by
    ``court_page``: posted about an appeal to the administration, the form is refused there
    with its reason."""
    # appeals imports this module for court_page: its page is imported when it is needed.
    from nansen.procedures.views.appeals import appeal_page

    appeal = appeal_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    return form_post(
        request,
        form,
        perform=lambda data: perform(appeal, data),
        success=success,
        then=lambda _result: redirect("procedures:appeal_detail", appeal.pk),
        page=lambda status: appeal_page(request, pk, bound={bound_as: form}, status=status),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def court_details(request, pk: int):
    def perform(appeal, data):
        services.court_proceeding_update(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            court=data["court"],
            case_number=data["case_number"],
        )

    return _court_post(
        request,
        pk,
        form_class=CourtDetailsForm,
        perform=perform,
        bound_as="details_form",
        success=_("The court and case number were recorded."),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def court_hearing(request, pk: int):
    def perform(appeal, data):
        services.court_hearing_record(
            actor=request.user, appeal=appeal, held_on=data["held_on"], note=data["note"]
        )

    return _court_post(
        request,
        pk,
        form_class=CourtHearingForm,
        perform=perform,
        bound_as="court_hearing_form",
        success=_("The hearing was recorded."),
    )


@action_required(Action.DECIDE_APPEAL)
@require_POST
def court_judgment(request, pk: int):
    def perform(appeal, data):
        services.court_judgment_record(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
            served_on=data["served_on"],
        )

    return _court_post(
        request,
        pk,
        form_class=JudgmentForm,
        perform=perform,
        bound_as="judgment_form",
        success=_("The judgment was recorded."),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def court_service(request, pk: int):
    def perform(appeal, data):
        services.court_judgment_service_record(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            served_on=data["served_on"],
        )

    return _court_post(
        request,
        pk,
        form_class=JudgmentServiceForm,
        perform=perform,
        bound_as="service_form",
        success=_("The service of the judgment was recorded."),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def court_stay(request, pk: int):
    def perform(appeal, data):
        services.court_stay_apply(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            applied_on=data["applied_on"],
        )

    return _court_post(
        request,
        pk,
        form_class=StayApplyForm,
        perform=perform,
        bound_as="stay_apply_form",
        success=_("The application for a stay of execution was recorded."),
    )


@action_required(Action.LODGE_APPEAL)
@require_POST
def court_stay_decision(request, pk: int):
    def perform(appeal, data):
        services.court_stay_decide(
            actor=request.user,
            appeal=appeal,
            expected_version=version_from(request),
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            court=data["court"],
        )

    return _court_post(
        request,
        pk,
        form_class=StayDecideForm,
        perform=perform,
        bound_as="stay_decide_form",
        success=_("The court's decision on the stay was recorded."),
    )
