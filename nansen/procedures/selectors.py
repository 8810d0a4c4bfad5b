"""Reading the procedure: always through the user's scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action, Role
from nansen.audit.models import CaseEvent, Channel
from nansen.audit.services import read_record
from nansen.core.permissions import NotAllowed
from nansen.core.reference import SpecificNeed
from nansen.procedures.models import (
    Appeal,
    Application,
    Counsellor,
    Deadline,
    DeadlineStatus,
    Decision,
    Instance,
    Interview,
    InterviewStatus,
    Letter,
)
from nansen.procedures.profiles import profiles
from nansen.procedures.targets import (
    TargetDate,
    event_annotations,
    events_from_values,
    pending_step,
    target_date,
)

DUE_SOON_DAYS = 14
# A period whose last day passed more than this long ago has lapsed: it leaves the queues
# (it stays on the application's page). Six weeks: UNHCR's grace for late appeals.
OVERDUE_WINDOW_DAYS = 42
QUEUE_LIMIT = 200

# Who is decided first: applicants with specific needs, by UNHCR's standardised codes
# (Guidance on the Use of Standardized Specific Needs Codes, 2009; core.reference). The
# Procedural Standards (§3.4.1, §4.6.3) name those whose claims are prioritised or
# accelerated without ranking them: unaccompanied and separated children, survivors of
# torture and trauma, women at risk, older persons and persons with disabilities without
# support, those needing urgent medical care, those manifestly in need of a protection
# intervention. The tiers are Nansen's ordering; a person with several needs takes the
# highest. Then comes the target date, the one past longest first.
NEED_PRIORITY = {
    SpecificNeed.SEPARATED_CHILD: 1,
    SpecificNeed.TORTURE: 1,
    SpecificNeed.SGBV: 1,
    SpecificNeed.SERIOUS_MEDICAL: 1,
    SpecificNeed.LEGAL_PHYSICAL_PROTECTION: 1,  # e.g. at immediate risk of refoulement
    SpecificNeed.CHILD_AT_RISK: 2,
    SpecificNeed.WOMAN_AT_RISK: 2,
    SpecificNeed.OLDER_PERSON_AT_RISK: 2,
    SpecificNeed.DISABILITY: 2,
    SpecificNeed.PREGNANT_OR_LACTATING: 3,
    SpecificNeed.SINGLE_PARENT: 3,
    SpecificNeed.FAMILY_UNITY: 3,
}
NO_NEED_PRIORITY = 4


def _read(
    user, request, action: str, obj, application: Application, channel: Channel = Channel.PAGE
) -> None:
    """Record that ``user`` read ``obj``, a record of ``application``, on the page or API
    operation ``action``: every ``*_get`` below does when asked to (``read=``)."""
    read_record(
        user=user,
        request=request,
        action=action,
        object_type=obj._meta.model_name,
        object_ids=[obj.pk],
        case_id=application.case_id,
        person_ids=[application.person_id],
        channel=channel,
    )


def application_get(*, user, pk: int, read: str = "", request=None) -> Application:
    """The application, if the user may see it; 404 otherwise.

    ``read`` names the page or API operation that shows it (``application_view``): the read
    is then recorded in the audit log, with its case and person, through ``request``. The
    other ``*_get`` of the procedure take ``read`` alike."""
    application = get_object_or_404(
        Application.objects.visible_to(user).select_related("case", "person", "office", "officer"),
        pk=pk,
    )
    if read:
        _read(user, request, read, application, application)
    return application


def interview_get(*, user, pk: int, read: str = "", request=None) -> Interview:
    interview = get_object_or_404(
        Interview.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "interviewer"
        ),
        pk=pk,
    )
    if read:
        _read(user, request, read, interview, interview.application)
    return interview


def appeal_get(*, user, pk: int, read: str = "", request=None) -> Appeal:
    appeal = get_object_or_404(
        Appeal.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "decision", "assigned_to"
        ),
        pk=pk,
    )
    if read:
        _read(user, request, read, appeal, appeal.application)
    return appeal


def counsellor_list(*, user) -> QuerySet[Counsellor]:
    """The register of refugee examination counsellors of the user's office."""
    return Counsellor.objects.filter(office_id=user.office_id).select_related("user")


def counsellor_get(*, user, pk: int) -> Counsellor:
    return get_object_or_404(counsellor_list(user=user), pk=pk)


def decision_get(*, user, pk: int, read: str = "", request=None) -> Decision:
    decision = get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "application", "application__case", "application__person", "decided_by"
        ),
        pk=pk,
    )
    if read:
        _read(user, request, read, decision, decision.application)
    return decision


def letter_get(
    *, user, pk: int, read: str = "", request=None, channel: Channel = Channel.PAGE
) -> Letter:
    """The letter; ``read`` with ``channel`` (``Channel.EXPORT`` for its file) records it."""
    letter = get_object_or_404(
        Letter.objects.visible_to(user).select_related(
            "decision", "decision__application", "decision__application__case"
        ),
        pk=pk,
    )
    if read:
        _read(user, request, read, letter, letter.decision.application, channel)
    return letter


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
        .prefetch_related("opinions", "court_hearings")
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


def need_priority(codes) -> int:
    """The tier of a person's specific needs (NEED_PRIORITY): 1 first."""
    return min(
        (NEED_PRIORITY.get(code, NO_NEED_PRIORITY) for code in codes or ()),
        default=NO_NEED_PRIORITY,
    )


@dataclass
class Awaiting:
    """An application awaiting a decision ("decide" at first instance, or "decide_appeal"),
    with its target date (None when its mode sets none yet) and the tier of the applicant's
    specific needs."""

    application: Application
    step: str
    target: TargetDate | None
    priority: int

    @property
    def needs(self) -> list[str]:
        return self.application.person.specific_need_labels


@dataclass
class WorkQueue:
    today: date
    overdue: list[Deadline] = field(default_factory=list)
    due_soon: list[Deadline] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0
    interviews: list[Interview] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    awaiting: list[Awaiting] = field(default_factory=list)
    awaiting_count: int = 0
    past_target_count: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.overdue or self.due_soon or self.interviews or self.appeals or self.awaiting
        )


def _awaiting_mine(user: User) -> QuerySet[Application]:
    """The applications awaiting a decision that ``user`` answers for (as ``_mine``): at
    first instance, those in their charge; on appeal, those whose appeal they decide."""
    deciding = Q(pk__in=[])
    for profile in profiles().values():
        if "decide" in profile.steps:
            deciding |= Q(profile=profile.id, stage__in=profile.steps["decide"].sources)
    appeal = Appeal.objects.filter(application=OuterRef("pk"), instance=Instance.APPEAL, outcome="")
    pending = Application.objects.visible_to(user).in_progress()
    if (user.may(Action.VIEW_REPRESENTED) and not user.may(Action.VIEW_CASEWORK)) or user.has_role(
        Role.SUPERVISOR
    ):
        return pending.filter(deciding | Q(Exists(appeal)))
    return pending.filter((deciding & Q(officer=user)) | Q(Exists(appeal.filter(assigned_to=user))))


def awaiting_decision(
    *, user: User, today: date, past_target_only: bool = False
) -> tuple[list[Awaiting], int, int]:
    """The applications awaiting a decision that ``user`` answers for, the applicant with
    specific needs first (NEED_PRIORITY), then by target date, the one past longest first
    (those without a target yet last, oldest first); at most QUEUE_LIMIT of them, with the
    full count and the count past their target. Two queries: one light row per application
    to order them all, then the objects of the rows shown."""
    rows = (
        _awaiting_mine(user)  # type: ignore[misc]  # the annotated names are not seen
        .annotate(**event_annotations())
        .values(
            "pk",
            "profile",
            "stage",
            "processing_mode",
            "lodged_on",
            "person__specific_needs",
            "target_interviewed_on",
            "target_restarted_at",
            "target_appeal_lodged_on",
        )
    )
    ranked = []
    for row in rows:
        stub = Application(
            pk=row["pk"],
            profile=row["profile"],
            stage=row["stage"],
            processing_mode=row["processing_mode"],
            lodged_on=row["lodged_on"],
        )
        events = events_from_values(row)
        target = target_date(stub, events, today=today)
        if past_target_only and not (target and target.past):
            continue
        priority = need_priority(row["person__specific_needs"])
        key = (priority, target.target_on if target else date.max, row["lodged_on"], row["pk"])
        ranked.append((key, row["pk"], pending_step(stub, events), target, priority))
    ranked.sort(key=lambda item: item[0])
    past = sum(1 for item in ranked if item[3] and item[3].past)
    shown = ranked[:QUEUE_LIMIT]
    objects = Application.objects.select_related("case", "person").in_bulk(
        [item[1] for item in shown]
    )
    awaiting = [
        Awaiting(application=objects[pk], step=step, target=target, priority=priority)
        for _key, pk, step, target, priority in shown
        if pk in objects
    ]
    return awaiting, len(ranked), past


def work_queue(
    *, user: User, today: date, days: int = DUE_SOON_DAYS, past_target_only: bool = False
) -> WorkQueue:
    """What is due for ``user``: deadlines whose last day passed in the last six weeks or
    comes within ``days``, interviews they hold, appeals assigned to them and not yet
    decided, and the applications awaiting their decision in order of priority (only those
    past their target, with ``past_target_only``). Each list shows at most QUEUE_LIMIT
    rows, with its full count."""
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
    queue.awaiting, queue.awaiting_count, queue.past_target_count = awaiting_decision(
        user=user, today=today, past_target_only=past_target_only
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
    if (
        decision is None
        and instance == Instance.JUDICIAL
        and application.appeals.filter(instance=Instance.APPEAL, outcome="withdrawn").exists()
    ):
        # A request for review withdrawn leaves the first-instance decision before the court.
        decision = application.decisions.standing().filter(instance=Instance.FIRST).first()
    if decision is None:
        raise NotAllowed(_("There is no standing decision to appeal."))
    return decision
