"""What the procedure pages share: running a service from a form, answering HTMX."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed


def back_to(request, *default):
    """Where to go after a step: the page given in ``?next=`` (on this site), else
    ``default`` (a URL name and its arguments)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return (target,)
    return default


def form_step(request, *, form, template, context, perform, success, redirect_to):
    """Validate ``form`` on POST and run ``perform(cleaned_data)``; a refusal is shown on the
    form (400, or 409 when someone else saved first), keeping what the user typed."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                perform(form.cleaned_data)
            except ConcurrentEditError as exc:
                form.add_error(None, str(exc))
                status = 409
            except NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, success)
                return redirect(*redirect_to)
    audit_form_read(request, context)
    return render(request, template, {**context, "form": form}, status=status)


def appeal_form_post(request, appeal, form, *, perform, success):
    """A form posted on an appeal's or court proceeding's page: the service called with the
    cleaned data, its refusal or the form's errors shown as a message, back to the page."""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("appeal_detail", appeal.pk)
    try:
        perform(appeal, form.cleaned_data)
    except (NotAllowed, ConcurrentEditError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("appeal_detail", appeal.pk)


def audit_form_read(request, context: dict) -> None:
    """A form page shows the application's or the case's data: a read, recorded under the
    page's name (``decision_record_form``, ``interview_schedule_form``…)."""
    match = request.resolver_match
    action = f"{match.url_name if match else 'procedure'}_form"
    if context.get("application") is not None:
        audit_application_read(request, context["application"], action)
    elif context.get("case") is not None:
        case = context["case"]
        read_record(
            user=request.user,
            channel=Channel.PAGE,
            action=action,
            object_type="case",
            object_ids=[case.pk],
            case_id=case.pk,
            request=request,
        )


def audit_application_read(request, application, action: str) -> None:
    read_record(
        user=request.user,
        channel=Channel.PAGE,
        action=action,
        object_type="application",
        object_ids=[application.pk],
        case_id=application.case_id,
        person_ids=[application.person_id],
        request=request,
    )
