"""What every write of an assessment shares: the checks, claiming the version, voiding a
review, writing the case history."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.eligibility import rules
from nansen.eligibility.models import Assessment
from nansen.eligibility.selectors import decision_stands
from nansen.eligibility.transitions import REVIEWED, STEPS
from nansen.procedures.models import Application

MAX_TEXT = 50_000


def refuse_if_decided(application: Application) -> None:
    if decision_stands(application):
        raise NotAllowed(
            _(
                "A first-instance decision stands on this application: its assessment can no "
                "longer be changed."
            )
        )


def clean_text(value: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise NotAllowed(_("The %(what)s is too long.") % {"what": what})
    return value


def clean_choice(value: str, choices, what: str, *, blank: bool = True) -> str:
    value = value or ""
    if (value == "" and blank) or value in choices.values:
        return value
    raise NotAllowed(_("“%(value)s” is not a valid %(what)s.") % {"value": value, "what": what})


def record_event(actor: User, assessment: Assessment, verb: Verb, **details) -> None:
    case_event_record(
        case=assessment.application.case,
        actor=actor,
        verb=verb,
        obj=assessment,
        state_after=assessment.status,
        details={
            "person": assessment.application.person_id,
            "application": assessment.application_id,
            "version": assessment.version,
            **details,
        },
    )


def check_general(language: str, risk_profile: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise NotAllowed(_("Unknown language."))
    if risk_profile and risk_profile not in rules.RISK_PROFILE_IDS:
        raise NotAllowed(_("Unknown profile."))


def begin_change(actor: User, assessment: Assessment, expected_version: int) -> str:
    """Check, claim the next version, and void a pending or given review. Returns the status
    the assessment had."""
    step = STEPS["change"]
    require(actor, step.action)
    refuse_if_decided(assessment.application)
    claim_version(assessment, expected_version)
    before = assessment.status
    assessment.status = STEPS.check(step.name, before).target
    assessment.updated_at = timezone.now()
    assessment.updated_by = actor
    return before


def finish_change(actor: User, assessment: Assessment, before: str, part: str, fields) -> None:
    assessment.save(update_fields=["status", "updated_at", "updated_by", *fields])
    details = {"part": part}
    if before in REVIEWED:
        details["review_voided"] = before
    record_event(actor, assessment, Verb.ASSESSMENT_CHANGED, **details)
