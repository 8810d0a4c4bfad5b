"""Reading the audit log: the entries of one office. Who may read them is decided by the
caller (the audit log pages in nansen.accounts: the auditor's action)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from nansen.audit.models import AuditEntry
from nansen.registration.models import Case


def audit_entries_of_office(office_id: int | None) -> QuerySet[AuditEntry]:
    """Entries by users of the office or about its cases, and sign-in attempts with unknown
    user names (which belong to no office). A user of no office gets none."""
    if office_id is None:
        return AuditEntry.objects.none()
    office_cases = Case.objects.filter(office_id=office_id).values("pk")
    return AuditEntry.objects.filter(
        Q(office_id=office_id)
        | Q(case_id__in=office_cases)
        | Q(office_id__isnull=True, user__isnull=True)
    )


def audit_entry_list(
    *,
    office_id: int | None,
    person_id: int | None = None,
    case_number: str = "",
    username: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    entries = audit_entries_of_office(office_id)
    if person_id is not None:
        # The list of person ids, as text, contains this id as a whole number (portable
        # between SQLite and PostgreSQL, which differ in JSON containment support).
        entries = entries.annotate(persons_text=Cast("person_ids", TextField())).filter(
            Q(persons_text__regex=rf"(^|[^0-9]){int(person_id)}([^0-9]|$)")
            | Q(object_type="person", object_id=person_id)
        )
    if case_number:
        case = Case.objects.filter(number__iexact=case_number.strip()).values("pk").first()
        entries = entries.filter(case_id=case["pk"] if case else -1)
    if username:
        entries = entries.filter(username__iexact=username.strip())
    if action:
        entries = entries.filter(action=action)
    tz = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until is not None:
        entries = entries.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return entries.order_by("-sequence")
