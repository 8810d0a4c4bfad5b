"""What every procedure service shares: taking a step of the profile (checked, claimed,
moved, recorded, with its deadlines), opening and closing deadlines."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Application, Deadline, DeadlineStatus, Decision
from nansen.procedures.profiles import STEPS, Profile, Step
from nansen.procedures.transitions import refusal, refuse, rule_name, step_check


def refuse_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise NotAllowed(_("The %(what)s cannot be in the future.") % {"what": what})


def deadlines_on_event(
    application: Application,
    event: str,
    on: date,
    *,
    decision: Decision | None = None,
    court_level: str = "",
) -> list[Deadline]:
    """Apply an event to the application's deadlines, as its profile says.

    Deadlines the event meets are closed as met; a step (as opposed to a notification, a
    missed interview or a contact) moves the procedure on, so the other open deadlines no
    longer apply. Then the rules this event starts open new deadlines, each computed by the
    rule's counting from the day of the event.
    """
    profile = application.procedure
    # The rules an event starts are those in force on the day of the event.
    in_force = profile.on(on)
    open_deadlines = Deadline.objects.filter(application=application, status=DeadlineStatus.OPEN)
    met = [rule.id for rule in profile.deadlines.values() if event in rule.met_by]
    open_deadlines.filter(rule__in=met).update(
        status=DeadlineStatus.MET, closed_on=on, closed_by=event
    )
    if event in STEPS:
        open_deadlines.exclude(rule__in=met).update(
            status=DeadlineStatus.CANCELLED, closed_on=on, closed_by=event
        )
    created = []
    for rule in in_force.deadlines.values():
        if not rule.applies_to(
            event,
            instance=decision.instance if decision else "",
            outcome=decision.outcome if decision else "",
            court_level=court_level,
        ):
            continue
        created.append(
            Deadline.objects.create(
                application=application,
                rule=rule.id,
                party=rule.party,
                event=event,
                event_on=on,
                due_on=profile.last_day(rule.id, on).last_day,
                decision=decision,
            )
        )
    return created


class StepTaking:
    """A step of the profile being taken on an application (see ``step_begin``).

    The service checks what is particular to it, then ``claim``s the versions the user's
    form was based on, writes its own records (the decision, the appeal…) and ``finish``es
    the step: the application moves to the stage the step leads to, the case history records
    it with the stages before and after, and the deadlines the step meets, ends and starts
    follow, counted from the day the step is taken.
    """

    def __init__(self, *, actor, application: Application, step: Step, key: str, on: date):
        self.actor = actor
        self.application = application
        self.step = step
        self.key = key
        self.on = on

    @property
    def rule(self) -> str:
        """The step's name in the case history (``profile › step``)."""
        return rule_name(self.application.procedure, self.step.id)

    def claim(self, expected_version: int, obj=None) -> None:
        """Claim the version of the application (or of ``obj``, e.g. the appeal) that the
        user's form was based on; ConcurrentEditError if someone saved it since."""
        claim_version(self.application if obj is None else obj, expected_version)

    def finish(self, *, verb: Verb, obj, details: dict) -> list[Deadline]:
        """Move the application on, record ``verb`` on ``obj`` in the case history (the
        person first, then ``details``) and apply the step to the deadlines; the deadlines
        it starts."""
        application = self.application
        before = application.stage
        application.stage = self.step.target(self.key)  # type: ignore[assignment]
        application.save(update_fields=["stage"])
        case_event_record(
            case=application.case,
            actor=self.actor,
            verb=verb,
            obj=obj,
            state_before=before,
            state_after=application.stage,
            details={"person": application.person_id, **details},
        )
        return deadlines_on_event(application, self.step.id, self.on)


def step_begin(
    *, actor, application: Application, step_id: str, on: date, key: str = ""
) -> StepTaking:
    """Begin taking the step ``step_id`` on the day ``on``: the profile must allow it at the
    application's stage, on that day, to one of the actor's roles, with the outcome ``key``
    where the step has several (transitions.step_check); NotAllowed otherwise."""
    step = step_check(application, step_id, actor=actor, key=key, on=on)
    return StepTaking(actor=actor, application=application, step=step, key=key, on=on)


def interview_held(taking: StepTaking, *, held_on: date, obj, details: dict) -> None:
    """What every way of recording an interview does last: the application carries the
    day, and the step ``record_interview`` is finished."""
    application = taking.application
    application.interview_on = held_on
    application.save(update_fields=["interview_on"])
    taking.finish(verb=Verb.INTERVIEW_RECORDED, obj=obj, details=details)


def is_dependant(application: Application) -> bool:
    return (
        application.case.members.filter(person_id=application.person_id)
        .exclude(relationship="principal")
        .exists()
    )


def decision_form_for(profile: Profile, outcome: str, form: str, decided_on: date) -> str:
    """The profile's kind of decision for ``outcome``: the one given, or the default."""
    if not profile.forms_for(outcome):
        if form:
            raise NotAllowed(_("This procedure has no kinds of decision to choose from."))
        return ""
    if not form:
        default = profile.default_form(outcome, decided_on)
        return default.id if default else ""
    chosen = profile.forms.get(form)
    if chosen is None or chosen.outcome != outcome:
        raise NotAllowed(
            _("“%(form)s” is not a kind of decision for this outcome.") % {"form": form}
        )
    if not chosen.in_force(decided_on):
        if chosen.in_force_from and decided_on < chosen.in_force_from:
            when = _("can only be decided from %(date)s") % {
                "date": chosen.in_force_from.isoformat()
            }
        else:
            when = _("could only be decided until %(date)s") % {
                "date": chosen.in_force_until.isoformat()  # type: ignore[union-attr]
            }
        raise refuse(
            profile,
            f"forms.{chosen.id}",
            _("“%(form)s” %(when)s.") % {"form": chosen.label, "when": when},
            citations=chosen.citations,
        )
    return chosen.id


def lateness_judge(
    profile: Profile,
    step,
    *,
    filed_on: date,
    due: date | None,
    late_until: date | None,
    late_justification: str,
) -> tuple[bool, str]:
    """Whether an appeal or court proceeding filed on ``filed_on`` is in time, and the late
    justification to keep (none when in time). Past the last day a late one is accepted it
    is refused naming that rule; a late one the step's timeliness wants justified without a
    justification is refused naming the step."""
    if due is None or filed_on <= due:
        return True, ""
    if late_until is not None and filed_on > late_until:
        late_rule = profile.deadlines[step.timeliness.late_deadline]
        raise refuse(
            profile,
            late_rule.id,
            _(
                "the appeal was lodged on %(lodged)s, after %(last)s, the last day a late "
                "appeal is accepted."
            )
            % {"lodged": filed_on.isoformat(), "last": late_until.isoformat()},
            citations=late_rule.citations,
        )
    justification = late_justification.strip()
    if step.timeliness.late_requires_justification and not justification:
        raise refusal(
            profile,
            step,
            step.id,
            _("it is late (the last day was %(due)s): record why it is late.")
            % {"due": due.isoformat()},
        )
    return False, justification
