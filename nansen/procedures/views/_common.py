"""What the procedure pages share: a page of one form, where to go after it, the read of
the record a form page shows."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.forms import form_post


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
    """A page of one form (``core.forms.form_post``): the form on ``template`` until it is
    posted and done, then ``redirect_to``; refused, the form again with what was typed."""

    def page(status):
        audit_form_read(request, context)
        return render(request, template, {**context, "form": form}, status=status)

    return form_post(
        request,
        form,
        perform=perform,
        page=page,
        success=success,
        then=lambda _result: redirect(*redirect_to),
    )


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
