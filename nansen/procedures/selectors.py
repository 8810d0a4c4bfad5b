"""Reading the procedure: always through the user's scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action, Role
from nansen.audit.models import CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import (
    Appeal,
    Application,
    Deadline,
    DeadlineStatus,
    Decision,
    Instance,
    Interview,
    InterviewStatus,
    Letter,
)

DUE_SOON_DAYS = 14
# A period whose last day passed more than this long ago has lapsed: it leaves the queues
# (it stays on the application's page). Six weeks: UNHCR's grace for late appeals.
OVERDUE_WINDOW_DAYS = 42
QUEUE_LIMIT = 200


def application_get(*, user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("case", "person", "office", "officer"),
        pk=pk,
    )


def interview_get(*, user, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "interviewer"
        ),
        pk=pk,
    )


def appeal_get(*, user, pk: int) -> Appeal:
    return get_object_or_404(
        Appeal.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "decision", "assigned_to"
        ),
        pk=pk,
    )


def decision_get(*, user, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "decided_by"
        ),
        pk=pk,
    )


def letter_get(*, user, pk: int) -> Letter:
    return get_object_or_404(
        Letter.objects.visible_to(user).select_related(
            "decision", "decision__application", "decision__application__case"
        ),
        pk=pk,
    )


def application_record(application: Application) -> dict:
    """Everything the application page shows, in a fixed number of queries."""
    interviews = list(
        application.interviews.select_related("interviewer", "interpreter", "room").order_by(
            "starts_at", "held_on", "pk"
        )
    )
    decisions = list(
        application.decisions.select_related("decided_by")
        .prefetch_related(Prefetch("letters", queryset=Letter.objects.order_by("issued_at")))
        .order_by("decided_on", "pk")
    )
    appeals = list(
        application.appeals.select_related("assigned_to", "decision")
        .prefetch_related("opinions")
        .order_by("lodged_on", "pk")
    )
    deadlines = list(application.deadlines.order_by("due_on", "pk"))
    objects = Q(object_type="application", object_id=application.pk)
    for model_name, items in (
        ("interview", interviews),
        ("decision", decisions),
        ("appeal", appeals),
        ("letter", [letter for d in decisions for letter in d.letters.all()]),
    ):
        if items:
            objects |= Q(object_type=model_name, object_id__in=[i.pk for i in items])
    events = (
        CaseEvent.objects.filter(case_id=application.case_id)
        .filter(objects)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    return {
        "interviews": interviews,
        "decisions": decisions,
        "appeals": appeals,
        "deadlines": deadlines,
        "events": list(events),
    }


def next_deadline() -> dict:
    """Annotations giving each application its next open due date and rule, in the same
    query (for lists such as the case page)."""
    upcoming = Deadline.objects.open().filter(application=OuterRef("pk")).order_by("due_on", "pk")
    return {
        "next_due_on": Subquery(upcoming.values("due_on")[:1]),
        "next_due_rule": Subquery(upcoming.values("rule")[:1]),
    }


def open_deadlines(user) -> QuerySet[Deadline]:
    return (
        Deadline.objects.visible_to(user)
        .open()
        .select_related("application", "application__case", "application__person")
    )


def _mine(user: User, deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """The deadlines a user answers for: a legal representative, those of the cases they
    represent; a supervisor, the whole office's; an officer, those of the applications in
    their charge or of the appeals assigned to them."""
    if user.may(Action.VIEW_REPRESENTED) and not user.may(Action.VIEW_CASEWORK):
        return deadlines
    if user.has_role(Role.SUPERVISOR):
        return deadlines
    return deadlines.filter(
        Q(application__officer=user) | Q(application__appeals__assigned_to=user)
    ).distinct()


@dataclass
class WorkQueue:
    today: date
    overdue: list[Deadline] = field(default_factory=list)
    due_soon: list[Deadline] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0
    interviews: list[Interview] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.interviews or self.appeals)


def work_queue(*, user: User, today: date, days: int = DUE_SOON_DAYS) -> WorkQueue:
    """What is due for ``user``: deadlines whose last day passed in the last six weeks or
    comes within ``days``, interviews they hold, appeals assigned to them and not yet
    decided. Each list shows at most QUEUE_LIMIT rows, with its full count."""
    mine = _mine(user, open_deadlines(user))
    queue = WorkQueue(today=today)
    overdue = mine.filter(
        due_on__lt=today, due_on__gte=today - timedelta(days=OVERDUE_WINDOW_DAYS)
    ).order_by("due_on", "pk")
    due_soon = mine.filter(due_on__gte=today, due_on__lte=today + timedelta(days=days)).order_by(
        "due_on", "pk"
    )
    queue.overdue = list(overdue[:QUEUE_LIMIT])
    queue.due_soon = list(due_soon[:QUEUE_LIMIT])
    queue.overdue_count = (
        len(queue.overdue) if len(queue.overdue) < QUEUE_LIMIT else overdue.count()
    )
    queue.due_soon_count = (
        len(queue.due_soon) if len(queue.due_soon) < QUEUE_LIMIT else due_soon.count()
    )
    queue.interviews = list(
        Interview.objects.visible_to(user)
        .filter(interviewer=user, status=InterviewStatus.SCHEDULED)
        .select_related(
            "application", "application__case", "application__person", "room", "interpreter"
        )
        .order_by("starts_at")[:50]
    )
    queue.appeals = list(
        Appeal.objects.visible_to(user)
        .filter(assigned_to=user, outcome="")
        .select_related("application", "application__case", "application__person")
        .order_by("lodged_on")[:50]
    )
    return queue


def deadline_status(deadline: Deadline, today: date) -> str:
    if deadline.status != DeadlineStatus.OPEN:
        return deadline.status
    return "overdue" if deadline.due_on < today else "open"


def last_day_for(application: Application, rule_id: str, decision: Decision) -> date | None:
    """The last day of a rule for this decision: the engine's deadline if one was opened on
    notification, else computed from the notification; None when not yet notified."""
    stored = (
        Deadline.objects.filter(application=application, rule=rule_id, decision=decision)
        .order_by("-pk")
        .values_list("due_on", flat=True)
        .first()
    )
    if stored is not None:
        return stored
    if decision.notified_on is None:
        return None
    return application.procedure.last_day(rule_id, decision.notified_on).last_day


def appealed_decision(application: Application, instance: str) -> Decision:
    wanted = Instance.FIRST if instance == Instance.APPEAL else Instance.APPEAL
    decision = application.decisions.standing().filter(instance=wanted).first()
    if decision is None:
        raise NotAllowed(_("There is no standing decision to appeal."))
    return decision
