"""Carrying out the demo plan in the database, through the same services the pages call.

Every case is registered, every application lodged, every interview and decision recorded by
the service that does it for real, as the user whose job it is, so every record passes the
same checks and every state change is in the case history. Only afterwards are the
timestamps moved back to the dates the plan gives (the services stamp "now"): that is
fixture realism, done with plain queryset updates.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts.models import Office, RoleGrant, User
from nansen.audit.models import CaseEvent
from nansen.demo.caseload import (
    DECIDE,
    INTERVIEW,
    LODGE,
    OFFICES,
    REPRESENT,
    REPRESENTATIVE,
    USERS,
    PlannedCase,
    office_spec,
)
from nansen.procedures.models import Application, ClosureReason, Decision, Outcome
from nansen.procedures.services import (
    application_lodge,
    application_mode_set,
    application_record_interview,
    decision_notify,
    decision_record,
)
from nansen.registration.models import Case, Person
from nansen.registration.services import MemberInput, case_register, case_representative_add

BATCH_SIZE = 50  # cases per transaction
NOTIFIED_WITHIN_DAYS = 45  # recent refusals are notified, so their appeal periods run


def create_installation(password: str) -> tuple[dict[str, Office], dict[str, User]]:
    """The demo's offices and one user for every role."""
    offices = {
        spec.code: Office.objects.create(
            code=spec.code, name=spec.name, kind=spec.kind, country=spec.country
        )
        for spec in OFFICES
    }
    users = {}
    for spec in USERS:
        user = User.objects.create_user(
            username=spec.username,
            password=password,
            office=offices[spec.office],
            first_name=spec.username.title(),
            last_name="Demo",
        )
        # The demo's fixture grants: a real installation grants roles through
        # nansen.accounts.administration, with a second administrator's approval.
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in spec.roles)
        # Every staff account needs a second factor; demo accounts get one ready, and the
        # sign-in page of a demo installation shows its current code (accounts.views.verify).
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=secrets.token_hex(20), confirmed=True
        )
        users[spec.username] = User.objects.select_related("office").get(pk=user.pk)
    return offices, users


@dataclass
class _Done:
    plan: PlannedCase
    case: Case
    persons: list[Person]
    applications: list[Application] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    moments: list = field(default_factory=list)  # when each case event happened, in order


def carry_out(plan: PlannedCase, users: dict[str, User]) -> _Done:
    """Register one planned case and take each of its steps, in order."""
    registrar = users[office_spec(plan.office).registrar]
    principal, *dependants = plan.members
    case = case_register(
        actor=registrar,
        principal=principal.person,
        dependants=[MemberInput(person=m.person, relationship=m.relationship) for m in dependants],
    )
    persons = [m.person for m in case.members.select_related("person").order_by("pk")]
    done = _Done(plan, case, persons)
    applications: dict[tuple[int, int], Application] = {}
    for step in plan.steps:
        actor = users[step.actor]
        if step.kind == LODGE:
            created = application_lodge(
                actor=actor,
                case=case,
                persons=[persons[i] for i in step.members],
                lodged_on=step.on,
                ordinals={persons[i].pk: n for i, n in step.ordinals} or None,
            )
            for member, application in zip(step.members, created, strict=True):
                application.created_at = step.at
                applications[(member, step.round)] = application
                done.applications.append(application)
        elif step.kind == INTERVIEW:
            application = applications[(step.members[0], step.round)]
            application_record_interview(
                actor=actor,
                application=application,
                expected_version=application.version,
                interview_on=step.on,
            )
        elif step.kind == DECIDE:
            application = applications[(step.members[0], step.round)]
            dependant = plan.members[step.members[0]].relationship != "principal"
            decision = _decide(actor, application, step, done, dependant=dependant)
            decision.recorded_at = step.at
            done.decisions.append(decision)
        elif step.kind == REPRESENT:
            case_representative_add(actor=actor, case=case, representative=users[REPRESENTATIVE])
        else:  # pragma: no cover - the planner makes only these
            raise ValueError(f"unknown step {step.kind}")
        done.moments += [step.at] * step.events
    return done


def _decide(
    actor: User, application: Application, step, done: _Done, *, dependant: bool
) -> Decision:
    """Record a planned decision as the procedure profile allows it.

    The plan decides some claims without an interview (young children, a few others): the
    reason is written down, and under UNHCR's mandate a principal applicant's recognition is
    then processed in the merged registration–RSD mode. UNHCR rejects no claim without an
    interview: such a planned rejection is preceded by the interview, on the day of the
    decision. UNHCR closes a file for abandonment only six weeks after a missed interview,
    which the plan does not schedule, so those closures are recorded as withdrawn. Recent
    refusals are notified, so their periods run.
    """
    application.refresh_from_db()
    profile = application.procedure
    closure_reason = step.closure_reason
    if closure_reason in profile.closures:
        closure_reason = ClosureReason.WITHDRAWN
    reason = ""
    if step.outcome != Outcome.CLOSED and application.interview_on is None:
        reason = (
            "A child's claim, decided with the parents' account."
            if dependant
            else "Decided on the written application and the registration interview."
        )
        mode = profile.modes[application.processing_mode]
        covered = dependant and step.outcome in profile.interview.dependants_without_interview
        merged = profile.modes.get("merged")
        if step.outcome in mode.decision_without_interview or covered:
            pass  # decided without an interview, the reason written down
        elif merged is not None and step.outcome in merged.decision_without_interview:
            application_mode_set(
                actor=actor,
                application=application,
                expected_version=application.version,
                mode="merged",
                reason="Merged registration and RSD interview.",
            )
            done.moments.append(step.at)
        else:  # a rejection under UNHCR's mandate: the interview first
            reason = ""
            application_record_interview(
                actor=actor,
                application=application,
                expected_version=application.version,
                interview_on=step.on,
            )
            application.refresh_from_db()
            done.moments.append(step.at)
    decision = decision_record(
        actor=actor,
        application=application,
        expected_version=application.version,
        outcome=step.outcome,
        decided_on=step.on,
        reasons=step.reasons,
        closure_reason=closure_reason,
        without_interview_reason=reason,
        # The demo's past caseload stands for files decided before the office used Nansen.
        historical=True,
    )
    if (
        step.outcome == Outcome.REJECTED
        and (timezone.localdate() - step.on).days <= NOTIFIED_WITHIN_DAYS
    ):
        decision_notify(actor=actor, decision=decision, notified_on=step.on)
        done.moments += [step.at]
    return decision


def backdate(done: Sequence[_Done]) -> None:
    """Give the records and their history the dates of the plan instead of today's."""
    cases, persons, applications, decisions = [], [], [], []
    expected: dict[int, list] = {}
    for item in done:
        plan = item.plan
        item.case.created_at, item.case.updated_at = plan.registered_at, plan.last_at
        cases.append(item.case)
        for person in item.persons:
            person.created_at = person.updated_at = plan.registered_at
            persons.append(person)
        applications += item.applications
        decisions += item.decisions
        expected[item.case.pk] = [plan.registered_at, *item.moments]
    events_by_case = defaultdict(list)
    for event in (
        CaseEvent.objects.filter(case_id__in=expected)
        .order_by("case_id", "pk")
        .only("pk", "case_id", "at")
    ):
        events_by_case[event.case_id].append(event)
    events = []
    for case_id, moments in expected.items():
        recorded = events_by_case[case_id]
        if len(recorded) != len(moments):
            raise RuntimeError(
                f"case {case_id}: {len(recorded)} history entries, the plan expects {len(moments)}"
            )
        for event, moment in zip(recorded, moments, strict=True):
            event.at = moment
            events.append(event)
    Case.objects.bulk_update(cases, ["created_at", "updated_at"], batch_size=500)
    Person.objects.bulk_update(persons, ["created_at", "updated_at"], batch_size=500)
    Application.objects.bulk_update(applications, ["created_at"], batch_size=500)
    Decision.objects.bulk_update(decisions, ["recorded_at"], batch_size=500)
    CaseEvent.objects.bulk_update(events, ["at"], batch_size=500)


def seed_caseload(
    plan: Sequence[PlannedCase],
    users: dict[str, User],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Carry out the whole plan, one transaction per batch of cases."""
    total = sum(len(case.members) for case in plan)
    seeded = 0
    for start in range(0, len(plan), BATCH_SIZE):
        batch = plan[start : start + BATCH_SIZE]
        with transaction.atomic():
            backdate([carry_out(case, users) for case in batch])
        seeded += sum(len(case.members) for case in batch)
        if progress is not None:
            progress(seeded, total)
