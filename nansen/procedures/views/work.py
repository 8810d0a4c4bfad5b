from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.decorators import action_required
from nansen.procedures.forms import CalculatorForm
from nansen.procedures.selectors import DUE_SOON_DAYS, OVERDUE_WINDOW_DAYS, work_queue

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)


@action_required(*SEE_CASES)
def work(request):
    """My work: deadlines passed and coming, interviews to hold, appeals to decide, and the
    applications awaiting my decision in order of priority (``?past_target=1``: only those
    past their target)."""
    today = timezone.localdate()
    past_target_only = request.GET.get("past_target") == "1"
    queue = work_queue(user=request.user, today=today, past_target_only=past_target_only)
    applications = (
        {d.application for d in (*queue.overdue, *queue.due_soon)}
        | {i.application for i in queue.interviews}
        | {a.application for a in queue.appeals}
        | {a.application for a in queue.awaiting}
    )
    read_record(
        user=request.user,
        channel=Channel.PAGE,
        action="work_queue_view",
        object_type="application",
        object_ids=sorted(a.pk for a in applications),
        person_ids=sorted({a.person_id for a in applications}),
        request=request,
    )
    return render(
        request,
        "procedures/work.html",
        {
            "queue": queue,
            "days": DUE_SOON_DAYS,
            "overdue_days": OVERDUE_WINDOW_DAYS,
            "past_target_only": past_target_only,
        },
    )


def deadline_calculator(request):
    """The last day of a period, for anyone (no sign-in): the same engine as the cases."""
    form = CalculatorForm(request.GET or None)
    computation = profile = rule = None
    if request.GET and form.is_valid():
        profile, rule_id = form.profile_and_rule()
        rule = profile.deadlines[rule_id]
        computation = profile.last_day(rule_id, form.cleaned_data["date"])
    context = {"form": form, "computation": computation, "profile": profile, "rule": rule}
    template = (
        "procedures/_calculator_result.html"
        if getattr(request, "htmx", False)
        else "procedures/calculator.html"
    )
    return render(
        request, template, context, status=400 if request.GET and not form.is_valid() else 200
    )
