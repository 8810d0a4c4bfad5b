"""The one place the services ask whether a step is allowed: the application's profile.

A step the profile does not allow at the application's stage, or by none of the actor's
roles, is refused with a message naming the rule (profile and step) and its legal source.
Which *action* a step needs (``accounts.roles``) is fixed by the engine: it decides who may
see the step at all (404 otherwise); the profile then narrows it per jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.roles import Action, Role
from nansen.core.permissions import NotAllowed
from nansen.procedures.profiles import Citation, Profile, Step, cited

STEP_ACTIONS: dict[str, Action] = {
    "record_interview": Action.RECORD_INTERVIEW,
    "decide": Action.DECIDE_FIRST_INSTANCE,
    "reopen": Action.DECIDE_FIRST_INSTANCE,
    "lodge_appeal": Action.LODGE_APPEAL,
    "lodge_court_action": Action.LODGE_APPEAL,
    "hear_counsellors": Action.DECIDE_APPEAL,
    "decide_appeal": Action.DECIDE_APPEAL,
    "record_judgment": Action.DECIDE_APPEAL,
    "lodge_court_appeal": Action.LODGE_APPEAL,
    "record_court_appeal_judgment": Action.DECIDE_APPEAL,
    "lodge_final_appeal": Action.LODGE_APPEAL,
    "record_final_judgment": Action.DECIDE_APPEAL,
    # The applicant withdraws; staff who record appeals record the withdrawal.
    "withdraw_appeal": Action.LODGE_APPEAL,
}


def rule_name(profile: Profile, rule: str) -> str:
    """How a refusal and the case history name one of the profile's rules."""
    return f"{profile.id} › {rule}"


def refuse(
    profile: Profile,
    rule: str,
    message: str,
    *,
    citations: Iterable[Citation] = (),
    on: date | None = None,
) -> NotAllowed:
    """The refusal of one of the profile's rules, in the reader's language: it names the rule
    (``profile › rule``), its legal sources (those in force on ``on``; all of them without a
    day) and then says why (``message``, already translated). Every refusal by a rule of a
    profile is worded here."""
    sources = cited(citations, on)
    return NotAllowed(
        _("Refused by the rule %(rule)s%(cited)s: %(message)s")
        % {
            "rule": rule_name(profile, rule),
            "cited": f" ({sources})" if sources else "",
            "message": message,
        }
    )


def refusal(profile: Profile, step: Step | None, step_id: str, message: str) -> NotAllowed:
    """The refusal of a step, citing its articles as numbered today (a renumbered article is
    cited by its current number)."""
    return refuse(
        profile,
        step_id,
        message,
        citations=step.citations if step is not None else (),
        on=timezone.localdate(),
    )


def in_force_words(item) -> str:
    """When a dated item of a profile is in force, in the reader's language."""
    parts = []
    if item.in_force_from is not None:
        parts.append(_("from %(day)s") % {"day": item.in_force_from.isoformat()})
    if item.in_force_until is not None:
        parts.append(_("until %(day)s") % {"day": item.in_force_until.isoformat()})
    return " ".join(parts)


def step_check(application, step_id: str, *, actor=None, key: str = "", on=None) -> Step:
    """The profile's step if it may be taken now (by ``actor``), else NotAllowed. A step
    the profile dates (``in_force_from``/``in_force_until``) is refused outside its days,
    judged on ``on`` (the day the step is taken; today by default)."""
    profile = application.procedure
    step = profile.steps.get(step_id)
    if step is None:
        raise refusal(profile, None, step_id, _("this procedure has no such step."))
    day = on or timezone.localdate()
    if not step.in_force(day):
        raise refusal(
            profile,
            step,
            step_id,
            _("this step is not in force on %(date)s (%(period)s).")
            % {"date": day.isoformat(), "period": in_force_words(step)},
        )
    if application.stage not in step.sources:
        raise refusal(
            profile,
            step,
            step_id,
            _("this step is not possible at the stage “%(stage)s”.")
            % {"stage": profile.stage_label(application.stage)},
        )
    if actor is not None and not (set(actor.roles) & step.roles):
        roles = ", ".join(str(Role(r).label) for r in sorted(step.roles))
        raise refusal(
            profile, step, step_id, _("only these roles may take it: %(roles)s.") % {"roles": roles}
        )
    if key and step.keys and step.target(key) is None:
        raise refusal(
            profile,
            step,
            step_id,
            _("the outcome “%(outcome)s” is not one this procedure has.") % {"outcome": key},
        )
    return step


def steps_available(application, actor) -> list[str]:
    """The steps ``actor`` may take on the application now (for pages and the API)."""
    profile = application.procedure
    roles = set(actor.roles)
    today = timezone.localdate()
    return [
        step.id
        for step in profile.steps.values()
        if step.in_force(today)
        and application.stage in step.sources
        and roles & step.roles
        and actor.may(STEP_ACTIONS[step.id])
    ]
