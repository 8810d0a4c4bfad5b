"""What Nansen holds on a person (their own copy), and whose data is due for anonymisation."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.procedures.models import Application, Decision
from nansen.protection.models import GuardException, LegalHold, RetentionRule
from nansen.registration.models import SENSITIVE_FIELDS, Person
from nansen.registration.services import PersonInput


def person_dossier(*, person: Person) -> dict:
    """Everything held on one person, in plain data (the person must already have been
    fetched through ``Person.objects.visible_to``)."""
    details = {name: getattr(person, name) for name in PersonInput.field_names()}
    for name in SENSITIVE_FIELDS:
        details[name] = getattr(person, name)
    cases = list(person.memberships.select_related("case", "case__office"))
    case_ids = [m.case_id for m in cases]
    applications = Application.objects.filter(person=person).prefetch_related("decisions")
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {"id": person.pk, "uid": str(person.uid), **details},
        "documents": [
            {
                "type": d.document_type,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expires_on": d.expires_on,
            }
            for d in person.documents.all()
        ],
        "cases": [
            {
                "number": m.case.number,
                "office": m.case.office.name,
                "relationship": m.relationship,
                "registered_at": m.case.created_at,
            }
            for m in cases
        ],
        "applications": [
            {
                "number": a.ordinal,
                "lodged_on": a.lodged_on,
                "interview_on": a.interview_on,
                "stage": a.stage,
                "decisions": [
                    {
                        "instance": d.instance,
                        "outcome": d.outcome,
                        "closure_reason": d.closure_reason,
                        "decided_on": d.decided_on,
                        "reasons": d.reasons,
                    }
                    for d in a.decisions.all()
                ],
            }
            for a in applications
        ],
        "history": [
            {"at": e.at, "what": e.verb, "case": e.case_id}
            for e in CaseEvent.objects.filter(case_id__in=case_ids).order_by("at", "pk")
        ],
        "disclosures": [
            {
                "recipient": d.recipient,
                "kind": d.recipient_kind,
                "country": d.recipient_country,
                "legal_basis": d.legal_basis,
                "shared": d.shared,
                "refused": d.refused,
                "at": d.recorded_at,
            }
            for d in person.disclosures.all()
        ],
        "accesses": AuditEntry.objects.filter(case_id__in=case_ids).count(),
    }


def retention_due(*, office_id: int, today: date | None = None) -> list[Person]:
    """Persons of the office whose last decision is older than its outcome's retention
    period, with no application pending, not yet anonymised and under no legal hold."""
    today = today or timezone.localdate()
    rules = dict(RetentionRule.objects.filter(office_id=office_id).values_list("outcome", "years"))
    if not rules:
        return []
    pending = Application.objects.in_progress().values("person_id")
    held = LegalHold.objects.active().values("case__members__person_id")
    candidates = (
        Person.objects.filter(
            office_id=office_id, anonymised_at__isnull=True, applications__isnull=False
        )
        .exclude(pk__in=pending)
        .exclude(pk__in=held)
        .distinct()
    )
    last_decision: dict[int, tuple[str, date]] = {}
    decisions = (
        Decision.objects.filter(application__person__in=candidates)
        .order_by("application__person_id", "decided_on", "pk")
        .values_list("application__person_id", "outcome", "decided_on")
    )
    for person_id, outcome, decided_on in decisions:
        last_decision[person_id] = (outcome, decided_on)  # the latest one wins
    due_ids = [
        person_id
        for person_id, (outcome, decided_on) in last_decision.items()
        if outcome in rules and _add_years(decided_on, rules[outcome]) <= today
    ]
    return list(Person.objects.filter(pk__in=due_ids).order_by("pk"))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def guard_exception_list(*, case) -> list[GuardException]:
    """The case's exceptions to the guard (the case fetched through ``visible_to``)."""
    return list(
        GuardException.objects.filter(case=case)
        .select_related("requested_by", "approved_by")
        .prefetch_related("consenting_persons")
        .order_by("-requested_at", "-pk")
    )
