from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nansen.accounts.roles import Action
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.decorators import action_required
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.forms import DecisionForm, InterviewForm, LodgeForm
from nansen.procedures.models import Application
from nansen.registration.selectors import case_get


def _application_get(user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("case", "person"), pk=pk
    )


def _version(request, fallback: int) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else fallback


@action_required(Action.LODGE_APPLICATION)
@require_http_methods(["GET", "POST"])
def application_lodge(request, pk: int):
    case = case_get(user=request.user, pk=pk)
    members = list(case.members.select_related("person").order_by("pk"))
    form = LodgeForm(request.POST or None, members=members)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            persons, ordinals = form.chosen()
            try:
                services.application_lodge(
                    actor=request.user,
                    case=case,
                    persons=persons,
                    lodged_on=form.cleaned_data["lodged_on"],
                    ordinals=ordinals,
                )
            except NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The applications were lodged."))
                return redirect("case_detail", pk=case.pk)
    return render(
        request, "procedures/application_lodge.html", {"case": case, "form": form}, status=status
    )


def _application_step(request, pk, *, form_class, template, perform, success):
    application = _application_get(request.user, pk)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                perform(application, _version(request, application.version), form.cleaned_data)
            except ConcurrentEditError as exc:
                form.add_error(None, str(exc))
                status = 409
            except NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, success)
                return redirect("case_detail", pk=application.case_id)
    return render(
        request,
        template,
        {
            "application": application,
            "case": application.case,
            "form": form,
            "version": _version(request, application.version),
        },
        status=status,
    )


@action_required(Action.RECORD_INTERVIEW)
@require_http_methods(["GET", "POST"])
def application_interview(request, pk: int):
    def perform(application, version, data):
        services.application_record_interview(
            actor=request.user,
            application=application,
            expected_version=version,
            interview_on=data["interview_on"],
        )

    return _application_step(
        request,
        pk,
        form_class=InterviewForm,
        template="procedures/application_interview.html",
        perform=perform,
        success=_("The interview was recorded."),
    )


@action_required(Action.DECIDE_FIRST_INSTANCE)
@require_http_methods(["GET", "POST"])
def decision_record(request, pk: int):
    def perform(application, version, data):
        services.decision_record(
            actor=request.user,
            application=application,
            expected_version=version,
            outcome=data["outcome"],
            closure_reason=data["closure_reason"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
        )

    return _application_step(
        request,
        pk,
        form_class=DecisionForm,
        template="procedures/decision_form.html",
        perform=perform,
        success=_("The decision was recorded."),
    )
