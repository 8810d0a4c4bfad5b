"""Target times: how soon the office aims to decide an application, by its processing mode.

Each mode of a profile may declare, for the first-instance decision and for the decision on
an appeal, a period counted from an event (``[modes.<id>] targets`` in the profile). This
module finds the event's day for one application and the target date that follows. A
target binds the office, not the applicant: passing it refuses nothing, it puts the case
first in the queues.

The clock starts again when a first-instance decision is set aside (the file reopened, or
sent back on appeal): the decision is then due anew, counted from that day at the earliest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nansen.procedures.deadlines import last_day
from nansen.procedures.models import (
    Appeal,
    Application,
    Decision,
    Instance,
    Interview,
    InterviewStatus,
)
from nansen.procedures.profiles import Mode, Target


@dataclass(frozen=True)
class TargetEvents:
    """The days a target may be counted from, besides the day the application was lodged."""

    interviewed_on: date | None = None  # the last interview held
    restarted_on: date | None = None  # the last first-instance decision set aside
    appeal_lodged_on: date | None = None  # the appeal awaiting a decision


@dataclass(frozen=True)
class TargetDate:
    """The day by which the office aims to take ``rule.step`` for one application."""

    rule: Target
    mode: Mode
    event_on: date
    target_on: date
    today: date

    @property
    def step(self) -> str:
        return self.rule.step

    @property
    def past(self) -> bool:
        return self.today > self.target_on

    @property
    def days_past(self) -> int:
        return max((self.today - self.target_on).days, 0)

    @property
    def days_left(self) -> int:
        return max((self.target_on - self.today).days, 0)

    @property
    def step_label(self) -> str:
        if self.rule.step == "decide_appeal":
            return _("Target for the decision on the appeal or review")
        return _("Target for the first-instance decision")

    @property
    def basis(self) -> str:
        """How the date was reached, e.g. "1 month from the interview (2025-03-10)"."""
        events = {
            "lodged": _("the day the application was lodged"),
            "record_interview": _("the interview"),
            "lodge_appeal": _("the day the appeal was lodged"),
        }
        return _("%(period)s from %(event)s (%(day)s)") % {
            "period": period_text(self.rule.period),
            "event": events.get(self.rule.starts, self.rule.starts),
            "day": self.event_on.isoformat(),
        }


def period_text(period) -> str:
    parts = [
        text % {"n": n}
        for n, text in (
            (period.years, ngettext("%(n)s year", "%(n)s years", period.years)),
            (period.months, ngettext("%(n)s month", "%(n)s months", period.months)),
            (period.weeks, ngettext("%(n)s week", "%(n)s weeks", period.weeks)),
            (period.days, ngettext("%(n)s day", "%(n)s days", period.days)),
        )
        if n
    ]
    return " ".join(parts)


def _local_day(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


def event_annotations() -> dict:
    """Annotations giving each application the days of TargetEvents, in the same query."""
    held = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.HELD, held_on__isnull=False
    ).order_by("-held_on")
    set_aside = Decision.objects.filter(
        application=OuterRef("pk"), instance=Instance.FIRST, superseded_at__isnull=False
    ).order_by("-superseded_at")
    pending_appeal = Appeal.objects.filter(
        application=OuterRef("pk"), instance=Instance.APPEAL, outcome=""
    ).order_by("-lodged_on")
    return {
        "target_interviewed_on": Subquery(held.values("held_on")[:1]),
        "target_restarted_at": Subquery(set_aside.values("superseded_at")[:1]),
        "target_appeal_lodged_on": Subquery(pending_appeal.values("lodged_on")[:1]),
    }


def events_from_values(values: dict) -> TargetEvents:
    """TargetEvents from a row (or an object's ``__dict__``) annotated by event_annotations."""
    return TargetEvents(
        interviewed_on=values.get("target_interviewed_on"),
        restarted_on=_local_day(values.get("target_restarted_at")),
        appeal_lodged_on=values.get("target_appeal_lodged_on"),
    )


def events_from_record(record: dict) -> TargetEvents:
    """TargetEvents from the lists of selectors.application_record (no further query)."""
    held = [
        i.held_on for i in record["interviews"] if i.status == InterviewStatus.HELD and i.held_on
    ]
    set_aside = [
        d.superseded_at
        for d in record["decisions"]
        if d.instance == Instance.FIRST and d.superseded_at is not None
    ]
    pending = [
        a.lodged_on for a in record["appeals"] if a.instance == Instance.APPEAL and not a.outcome
    ]
    return TargetEvents(
        interviewed_on=max(held, default=None),
        restarted_on=_local_day(max(set_aside, default=None)),
        appeal_lodged_on=max(pending, default=None),
    )


def pending_step(application: Application, events: TargetEvents) -> str:
    """The decision the application awaits: "decide", "decide_appeal", or "" for none."""
    steps = application.procedure.steps
    if "decide" in steps and application.stage in steps["decide"].sources:
        return "decide"
    stage = application.procedure.stages.get(application.stage)
    if events.appeal_lodged_on is not None and stage is not None and stage.pending:
        return "decide_appeal"
    return ""


def target_date(
    application: Application, events: TargetEvents, *, today: date
) -> TargetDate | None:
    """The target for the decision ``application`` awaits, in its processing mode; None
    when it awaits none, its mode sets none, or the event has not happened yet."""
    step = pending_step(application, events)
    chosen = application.procedure.modes.get(application.processing_mode)
    rule = chosen.target(step) if chosen is not None and step else None
    if rule is None:
        return None
    if rule.starts == "lodge_appeal":
        event_on = events.appeal_lodged_on
    else:
        event_on = application.lodged_on if rule.starts == "lodged" else events.interviewed_on
        if event_on is not None and events.restarted_on and events.restarted_on > event_on:
            event_on = events.restarted_on
    if event_on is None:
        return None
    return TargetDate(
        rule=rule,
        mode=chosen,
        event_on=event_on,
        target_on=last_day(event_on, rule.period, rule.counting).last_day,
        today=today,
    )
