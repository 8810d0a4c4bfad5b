"""Whether removal is suspended for an application on a day, as its profile says.

The suspension is not a property an application has once and for all: it depends on where
the procedure stands and on the law in force that day. Under the ``jp-icrra`` profile
removal is suspended while the application, or the request for examination against its
refusal, is pending at the authority (including the period in which the request may still
be lodged); a court action does not suspend it, only a stay of execution ordered by the
court does (ACLA Art. 25); a recognised person has nothing to be suspended. From
10 June 2024 a third or later application, and an applicant for whom one of the listed
grounds is recorded, are excepted (ICRRA Art. 61-2-9(4)).

Every page, the API and the repeat-application check ask ``removal_state`` and nothing
else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.procedures.profiles import Citation, RemovalException, cited

SUSPENDED = "suspended"
NOT_SUSPENDED = "not_suspended"
STAYED = "stayed"  # a court action during which the court ordered a stay of execution


@dataclass(frozen=True)
class RemovalState:
    status: str  # SUSPENDED, NOT_SUSPENDED or STAYED
    explanation: str
    citations: tuple[Citation, ...]
    exception: RemovalException | None = None
    # A stay of execution applied for and not yet decided (during a court action).
    stay_pending: bool = False

    @property
    def suspended(self) -> bool:
        return self.status in (SUSPENDED, STAYED)

    @property
    def cited(self) -> str:
        return cited(self.citations)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "suspended": self.suspended,
            "explanation": self.explanation,
            "exception": self.exception.id if self.exception else "",
            "stay_pending": self.stay_pending,
            "cited": [str(c) for c in self.citations],
        }


def exception_applies(application, exception: RemovalException) -> bool:
    """Whether one of the profile's exceptions applies to the application (on the day it
    was lodged, which is what the transitional provisions look at)."""
    if exception.lodged_from is not None and application.lodged_on < exception.lodged_from:
        return False
    if exception.recorded:
        return application.removal_exception == exception.id
    if application.ordinal < exception.from_ordinal:
        return False
    return not (exception.lifted_by_reasonable_grounds and application.reasonable_grounds_shown)


def running_rules(deadlines, on: date) -> set[str]:
    """The rules of the deadlines whose period still runs on ``on``: open, and their last
    day not passed (the deadlines as a caller already read them)."""
    return {d.rule for d in deadlines if d.status == "open" and d.due_on >= on}


def removal_state(application, on: date | None = None, *, open_rules=None) -> RemovalState | None:
    """The state of removal for ``application`` on ``on`` (today by default), or None where
    the profile has no such rule or nothing is at stake (recognised, or protected).
    ``open_rules``: the deadline rules whose period still runs on ``on``, where the caller
    has them already."""
    on = on or timezone.localdate()
    full = application.procedure
    if full.removal is None:
        return None
    profile = full.on(on)
    rules = profile.removal
    stage = application.stage
    if stage in rules.protected_stages:
        return None
    if profile.stages.get(stage) is not None and profile.stages[stage].court:
        return _during_court(application, rules)
    pending = stage in rules.pending_stages
    if not pending and rules.pending_while_open:
        if open_rules is None:
            # A period still running on the day: open and its last day not yet passed.
            open_rules = running_rules(application.deadlines.open(), on)
        pending = bool(set(rules.pending_while_open) & set(open_rules))
    if not pending:
        return RemovalState(
            NOT_SUSPENDED,
            _("No application or request for examination is pending: removal is not suspended."),
            rules.citations,
        )
    for exception in rules.exceptions:
        if exception_applies(application, exception):
            return RemovalState(
                NOT_SUSPENDED, str(exception.label), exception.citations, exception=exception
            )
    return RemovalState(
        SUSPENDED,
        _("While it is pending, this application suspends removal."),
        rules.citations,
    )


def _during_court(application, rules) -> RemovalState:
    court = (
        application.appeals.filter(instance="judicial", outcome="")
        .order_by("-lodged_on", "-pk")
        .first()
    )
    outcome = getattr(court, "stay_outcome", "") if court else ""
    if outcome == "granted":
        return RemovalState(
            STAYED,
            _("The court ordered a stay of execution on %(date)s: removal is suspended.")
            % {"date": court.stay_decided_on.isoformat() if court.stay_decided_on else "—"},
            rules.stay_citations,
        )
    stay_pending = bool(court and getattr(court, "stay_applied_on", None) and not outcome)
    if stay_pending:
        explanation = _(
            "A court action does not suspend removal. A stay of execution was applied for on "
            "%(date)s and is not yet decided."
        ) % {"date": court.stay_applied_on.isoformat()}
    elif outcome == "refused":
        explanation = _(
            "A court action does not suspend removal, and the court refused a stay of execution."
        )
    else:
        explanation = _(
            "A court action does not suspend removal: only a stay of execution ordered by the "
            "court does."
        )
    return RemovalState(NOT_SUSPENDED, explanation, rules.stay_citations, stay_pending=stay_pending)
