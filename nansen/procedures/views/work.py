from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.core.decorators import action_required
from nansen.procedures import profiles
from nansen.procedures.forms import CalculatorForm, RulesOnForm
from nansen.procedures.selectors import DUE_SOON_DAYS, OVERDUE_WINDOW_DAYS, work_queue
from nansen.procedures.transitions import in_force_words

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


def profile_rules(request):
    """The rules of every procedure profile as they stood on a day, with the articles as
    numbered that day, for anyone (no sign-in): public law, no personal data."""
    form = RulesOnForm(request.GET or None)
    on = timezone.localdate()
    if request.GET and form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    shown = [_profile_rules(p.on(on)) for p in profiles.profiles().values()]
    return render(
        request,
        "procedures/profile_rules.html",
        {"form": form, "on": on, "profiles": shown},
        status=400 if request.GET and not form.is_valid() else 200,
    )


def _profile_rules(profile) -> dict:
    def stages(ids) -> str:
        return ", ".join(profile.stage_label(s) for s in sorted(ids))

    rows = []
    for step in profile.steps.values():
        what = _("from %(from)s to %(to)s") % {
            "from": stages(step.sources),
            "to": stages(set(step.targets.values())),
        }
        rows.append({"kind": _("Step"), "id": step.id, "what": what, "item": step})
    for form in profile.forms.values():
        rows.append(
            {"kind": _("Kind of decision"), "id": form.id, "what": form.label, "item": form}
        )
    for rule in profile.deadlines.values():
        rows.append({"kind": _("Period"), "id": rule.id, "what": rule.label, "item": rule})
    for mode in profile.modes.values():
        rows.append({"kind": _("Processing mode"), "id": mode.id, "what": mode.label, "item": mode})
    if profile.removal is not None:
        for exception in profile.removal.exceptions:
            rows.append(
                {
                    "kind": _("Suspension of removal"),
                    "id": exception.id,
                    "what": exception.label,
                    "item": exception,
                }
            )
    for row in rows:
        row["in_force"] = in_force_words(row["item"]) or _("always")
    return {"profile": profile, "rows": rows}
