from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import form_post, refusal_shown
from nansen.procedures import services
from nansen.procedures.forms import (
    ContactForm,
    DecisionForm,
    GroundsForm,
    InterviewForm,
    LodgeForm,
    ModeForm,
    NotifyForm,
    RemovalExceptionForm,
    ReopenForm,
)
from nansen.procedures.hooks import decision_hooks
from nansen.procedures.removal import removal_state, running_rules
from nansen.procedures.selectors import application_get, application_record, deadline_status
from nansen.procedures.services.courts import next_court_level
from nansen.procedures.targets import events_from_record, target_date
from nansen.procedures.transitions import steps_available
from nansen.procedures.views._common import back_to, form_step
from nansen.registration.selectors import case_get

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)


@action_required(Action.LODGE_APPLICATION)
@require_http_methods(["GET", "POST"])
def application_lodge(request, pk: int):
    case = case_get(user=request.user, pk=pk, read="application_lodge_form", request=request)
    members = list(case.members.all())  # loaded by case_get, with their persons
    form = LodgeForm(request.POST or None, members=members)

    def perform(data):
        persons, ordinals = form.chosen()
        services.application_lodge(
            actor=request.user,
            case=case,
            persons=persons,
            lodged_on=data["lodged_on"],
            ordinals=ordinals,
            profile=data.get("profile") or None,
        )

    return form_step(
        request,
        form=form,
        template="procedures/application_lodge.html",
        context={"case": case},
        perform=perform,
        success=_("The applications were lodged."),
        redirect_to=("registration:case_detail", case.pk),
    )


@action_required(*SEE_CASES)
def application_detail(request, pk: int):
    """The procedure of one application: stage, due dates, next steps, interviews,
    decisions and letters, appeals and history."""
    return application_page(request, pk)


def application_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    """The application's page. ``bound`` holds a form posted from it and refused, shown in
    place of the empty one with what the user typed; its reason is said among the page's
    messages, and the page answers with the refusal's ``status``."""
    bound = bound or {}
    for form in bound.values():
        refusal_shown(request, form)
    user = request.user
    sensitive = user.may(Action.VIEW_SENSITIVE)
    application = application_get(
        user=user,
        pk=pk,
        read="application_view_sensitive" if sensitive else "application_view",
        request=request,
    )
    profile = application.procedure
    record = application_record(application)
    today = timezone.localdate()
    steps = steps_available(application, user)
    open_rules = {d.rule for d in record["deadlines"] if d.status == "open"}
    removal = removal_state(
        application, today, open_rules=running_rules(record["deadlines"], today)
    )
    recorded_grounds = profile.removal is not None and any(
        e.recorded and (e.lodged_from is None or application.lodged_on >= e.lodged_from)
        for e in profile.removal.exceptions
    )
    decide_sources = profile.steps["decide"].sources
    interview_step = profile.steps.get("record_interview")
    cancelling = bound.get("cancel_form")
    for interview in record["interviews"]:
        interview.cancel_reason_typed = (
            cancelling.data.get("reason", "")
            if cancelling is not None and cancelling.interview_pk == interview.pk
            else ""
        )
    return render(
        request,
        "procedures/application_detail.html",
        {
            "application": application,
            "case": application.case,
            "person": application.person,
            "profile": profile,
            "today": today,
            "target": target_date(application, events_from_record(record), today=today),
            "steps": steps,
            "court_level_next": next_court_level(application)
            if {"lodge_court_action", "lodge_court_appeal", "lodge_final_appeal"} & set(steps)
            else "",
            "can_schedule": user.may(Action.SCHEDULE_INTERVIEW)
            and interview_step is not None
            and application.stage in interview_step.sources,
            "sensitive": sensitive,
            "removal": removal,
            "deadlines": [(d, deadline_status(d, today)) for d in record["deadlines"]],
            "interviews": record["interviews"],
            "decisions": record["decisions"],
            "appeals": record["appeals"],
            "events": record["events"],
            "mode_form": bound.get("mode_form")
            or (
                ModeForm(application=application)
                if user.may(Action.DECIDE_FIRST_INSTANCE)
                and application.stage in decide_sources
                and len(profile.modes) > 1
                else None
            ),
            "contact_form": bound.get("contact_form")
            or (
                ContactForm()
                if user.may(Action.SCHEDULE_INTERVIEW) and "abandonment" in open_rules
                else None
            ),
            "grounds_form": bound.get("grounds_form")
            or (
                GroundsForm()
                if user.may(Action.DECIDE_FIRST_INSTANCE)
                and removal is not None
                and removal.exception is not None
                and removal.exception.lifted_by_reasonable_grounds
                else None
            ),
            "removal_exception_form": bound.get("removal_exception_form")
            or (
                RemovalExceptionForm(
                    application=application, initial={"exception": application.removal_exception}
                )
                if user.may(Action.DECIDE_FIRST_INSTANCE)
                and recorded_grounds
                and removal is not None
                else None
            ),
            "notify_form": NotifyForm() if user.may(Action.ISSUE_LETTER) else None,
        },
        status=status,
    )


def application_form_post(request, application, form, *, perform, success, bound_as: str):
    """A form posted from the application's page (``core.forms.form_post``): back to the
    page when done; the page again, the form as typed under ``bound_as``, when refused."""
    return form_post(
        request,
        form,
        perform=perform,
        success=success,
        then=lambda _result: redirect("procedures:application_detail", application.pk),
        page=lambda status: application_page(
            request, application.pk, bound={bound_as: form}, status=status
        ),
    )


def _application_post(
    request, pk, *, form_class, perform, success, bound_as, needs_application=False
):
    application = application_get(user=request.user, pk=pk)
    form = form_class(request.POST, **({"application": application} if needs_application else {}))
    return application_form_post(
        request,
        application,
        form,
        perform=lambda data: perform(application, data),
        success=success,
        bound_as=bound_as,
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_POST
def application_mode(request, pk: int):
    def perform(application, data):
        services.application_mode_set(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            mode=data["mode"],
            reason=data["reason"],
        )

    return _application_post(
        request,
        pk,
        form_class=ModeForm,
        perform=perform,
        bound_as="mode_form",
        success=_("The processing mode was changed."),
        needs_application=True,
    )


@action_required(Action.SCHEDULE_INTERVIEW)
@require_POST
def application_contact(request, pk: int):
    def perform(application, data):
        services.application_contact_record(
            actor=request.user,
            application=application,
            contacted_on=data["contacted_on"],
            note=data["note"],
        )

    return _application_post(
        request,
        pk,
        form_class=ContactForm,
        perform=perform,
        bound_as="contact_form",
        success=_("The contact was recorded."),
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_POST
def application_grounds(request, pk: int):
    def perform(application, data):
        services.application_reasonable_grounds_record(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            note=data["note"],
        )

    return _application_post(
        request,
        pk,
        form_class=GroundsForm,
        perform=perform,
        bound_as="grounds_form",
        success=_("The application now suspends removal."),
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_POST
def application_removal_exception(request, pk: int):
    def perform(application, data):
        services.application_removal_exception_record(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            exception=data["exception"],
            reasons=data["reasons"],
        )

    return _application_post(
        request,
        pk,
        form_class=RemovalExceptionForm,
        perform=perform,
        bound_as="removal_exception_form",
        success=_("The ground was recorded."),
        needs_application=True,
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_http_methods(["GET", "POST"])
def application_reopen(request, pk: int):
    application = application_get(
        user=request.user, pk=pk, read="application_reopen_form", request=request
    )
    form = ReopenForm(request.POST or None, application=application)

    def perform(data):
        services.application_reopen(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            ground=data["ground"],
            reopened_on=data["reopened_on"],
            note=data["note"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/form_page.html",
        context={
            "application": application,
            "case": application.case,
            "title": _("Reopen the file"),
            "submit": _("Reopen"),
            "version": version_seen(request, application),
        },
        perform=perform,
        success=_("The file was reopened."),
        redirect_to=("procedures:application_detail", application.pk),
    )


@action_required(Action.RECORD_INTERVIEW)
@require_http_methods(["GET", "POST"])
def application_interview(request, pk: int):
    """Record the date of an interview held without a scheduled slot."""
    application = application_get(
        user=request.user, pk=pk, read="application_interview_form", request=request
    )
    form = InterviewForm(request.POST or None)

    def perform(data):
        services.application_record_interview(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            interview_on=data["interview_on"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/application_interview.html",
        context={
            "application": application,
            "case": application.case,
            "version": version_seen(request, application),
        },
        perform=perform,
        success=_("The interview was recorded."),
        redirect_to=back_to(request, "registration:case_detail", application.case_id),
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_http_methods(["GET", "POST"])
def decision_record(request, pk: int):
    application = application_get(
        user=request.user, pk=pk, read="decision_record_form", request=request
    )
    form = DecisionForm(
        request.POST or None,
        application=application,
        # The reasons start as the findings of the eligibility assessment, to edit and sign.
        initial={"reasons": decision_hooks.reasons_draft(application=application)},
    )

    def perform(data):
        services.decision_record(
            actor=request.user,
            application=application,
            expected_version=version_from(request),
            outcome=data["outcome"],
            closure_reason=data["closure_reason"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
            form=data["form"],
            without_interview_reason=data["without_interview_reason"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/decision_form.html",
        context={
            "application": application,
            "case": application.case,
            "version": version_seen(request, application),
            "interviewed": application.interviews.filter(status="held").exists(),
        },
        perform=perform,
        success=_("The decision was recorded."),
        redirect_to=back_to(request, "registration:case_detail", application.case_id),
    )
