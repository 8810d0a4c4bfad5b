"""What the procedure pages share: a page of one form, and where to go after it."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

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
        return render(request, template, {**context, "form": form}, status=status)

    return form_post(
        request,
        form,
        perform=perform,
        page=page,
        success=success,
        then=lambda _result: redirect(*redirect_to),
    )
