from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import Form
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.forms import (
    InterviewRecordForm,
    ReasonForm,
    ScheduleForm,
    interpreter_label,
)
from nansen.procedures.models import Interpreter
from nansen.procedures.selectors import application_get, interview_get
from nansen.procedures.views._common import form_step
from nansen.procedures.views.applications import application_form_post


def _interviewers(application):
    step = application.procedure.steps.get("record_interview")
    roles = step.roles if step else ()
    return (
        User.objects.filter(
            office_id=application.office_id, is_active=True, role_grants__role__in=roles
        )
        .distinct()
        .order_by("username")
    )


@action_required(Action.SCHEDULE_INTERVIEW)
@require_http_methods(["GET", "POST"])
def interview_schedule(request, pk: int):
    application = application_get(
        user=request.user, pk=pk, read="interview_schedule_form", request=request
    )
    form = ScheduleForm(
        request.POST or None, application=application, interviewers=_interviewers(application)
    )

    def perform(data):
        starts_at, ends_at = form.slot()
        services.interview_schedule(
            actor=request.user,
            application=application,
            starts_at=starts_at,
            ends_at=ends_at,
            interviewer=data["interviewer"],
            language=data["language"],
            interpreter=data["interpreter"],
            room=data["room"],
            remote=data["remote"],
            same_sex_requested=data["same_sex_requested"],
            same_sex_unmet_reason=data["same_sex_unmet_reason"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/interview_schedule.html",
        context={"application": application, "case": application.case},
        perform=perform,
        success=_("The interview was scheduled."),
        redirect_to=("procedures:application_detail", application.pk),
    )


@action_required(Action.RECORD_INTERVIEW)
@require_http_methods(["GET", "POST"])
def interview_record(request, pk: int):
    interview = interview_get(
        user=request.user, pk=pk, read="interview_record_form", request=request
    )
    application = interview.application
    initial = {
        "started_at": interview.starts_at,
        "ended_at": interview.ends_at,
        "present": ["applicant", "interviewer"]
        + (["interpreter"] if interview.interpreter_id else []),
        "read_back": True,
        "confirmed": "yes",
    }
    form = InterviewRecordForm(request.POST or None, initial=initial)

    def perform(data):
        services.interview_record(
            actor=request.user,
            interview=interview,
            expected_version=version_from(request),
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            present=data["present"],
            account=data["account"],
            read_back=data["read_back"],
            confirmed=data["confirmed"],
            corrections=data["corrections"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/interview_record.html",
        context={
            "interview": interview,
            "application": application,
            "case": application.case,
            "version": version_seen(request, interview),
        },
        perform=perform,
        success=_("The interview was recorded."),
        redirect_to=("procedures:application_detail", application.pk),
    )


@action_required(Action.SCHEDULE_INTERVIEW)
def interview_interpreters(request, pk: int):
    """The interpreter choices for a language (an HTMX fragment of the scheduling form)."""
    application = application_get(user=request.user, pk=pk)
    language = request.GET.get("language", "")
    interpreters = [
        (i.pk, interpreter_label(i))
        for i in Interpreter.objects.filter(office_id=application.office_id, active=True)
        if not language or i.speaks(language)
    ]
    return render(
        request,
        "procedures/_interpreter_options.html",
        {"interpreters": interpreters, "language": language},
    )


def _interview_post(request, pk, perform, success, *, bound_as: str):
    """A button on the application's page about one of its interviews: ``perform`` checks
    what was sent itself, as these forms are written out in the page."""
    interview = interview_get(user=request.user, pk=pk)
    posted = Form(request.POST)
    posted.interview_pk = interview.pk
    return application_form_post(
        request,
        interview.application,
        posted,
        perform=lambda _data: perform(interview),
        success=success,
        bound_as=bound_as,
    )


@action_required(Action.RECORD_INTERVIEW)
@require_POST
def interview_missed(request, pk: int):
    def perform(interview):
        services.interview_record_missed(
            actor=request.user,
            interview=interview,
            expected_version=version_from(request),
        )

    return _interview_post(
        request, pk, perform, _("The missed interview was recorded."), bound_as="missed_form"
    )


@action_required(Action.SCHEDULE_INTERVIEW)
@require_POST
def interview_cancel(request, pk: int):
    form = ReasonForm(request.POST)

    def perform(interview):
        if not form.is_valid():
            raise NotAllowed(_("Say why the interview is cancelled."))
        services.interview_cancel(
            actor=request.user,
            interview=interview,
            expected_version=version_from(request),
            reason=form.cleaned_data["reason"],
        )

    return _interview_post(
        request, pk, perform, _("The interview was cancelled."), bound_as="cancel_form"
    )
