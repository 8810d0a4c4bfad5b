"""The start page: the cases the user worked on (or represents) and the latest events on
the cases the user may see. It lives with the procedure's work pages because it reads
registration and the case history, which the procedures app builds on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nansen.accounts.roles import Action
from nansen.audit.models import CaseEvent
from nansen.audit.services import read_record
from nansen.registration.models import Case
from nansen.registration.selectors import members_prefetch


@login_required
def dashboard(request):
    user = request.user
    visible = Case.objects.visible_to(user)
    if user.may(Action.VIEW_REPRESENTED) and not user.may(Action.VIEW_CASEWORK):
        my_cases = visible
    else:
        my_cases = visible.filter(events__actor=user).distinct()
    my_cases = my_cases.select_related("office").prefetch_related(members_prefetch())[:10]
    recent = (
        CaseEvent.objects.filter(case__in=visible)
        .select_related("case", "actor")
        .order_by("-at", "-pk")[:15]
    )
    my_cases, recent = list(my_cases), list(recent)
    # The start page names cases and their members: a read like any other.
    read_record(
        user=user,
        request=request,
        action="dashboard_view",
        object_type="case",
        object_ids=sorted({c.pk for c in my_cases} | {e.case_id for e in recent}),
    )
    return render(
        request,
        "procedures/dashboard.html",
        {"my_cases": my_cases, "recent_events": recent},
    )
