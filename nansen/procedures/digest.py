"""The daily digest: one e-mail to each officer and legal representative with something
due, through Django's mail framework.

Names stay out of the e-mail (it leaves Nansen's protection): each line gives the case
number, the application number, the period and its last day, and the link to the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.services import audit_record
from nansen.procedures.selectors import DUE_SOON_DAYS, work_queue


@dataclass
class DigestResult:
    sent: int = 0
    skipped: int = 0


def _recipients():
    return (
        User.objects.filter(is_active=True, office__isnull=False)
        .exclude(email="")
        .filter(Q(role_grants__isnull=False))
        .distinct()
        .order_by("pk")
    )


def digest_send(
    *, today: date, days: int = DUE_SOON_DAYS, base_url: str = "", dry_run: bool = False
) -> DigestResult:
    """Send each user what is overdue or due within ``days`` days; nothing to users with
    nothing due."""
    result = DigestResult()
    connection = get_connection()
    messages = []
    for user in _recipients():
        if not (user.may(Action.VIEW_CASEWORK) or user.may(Action.VIEW_REPRESENTED)):
            continue
        queue = work_queue(user=user, today=today, days=days)
        if not (queue.overdue or queue.due_soon):
            result.skipped += 1
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Nansen: %(overdue)s, %(soon)s") % {
                "overdue": ngettext(
                    "%(n)s period past its last day",
                    "%(n)s periods past their last day",
                    len(queue.overdue),
                )
                % {"n": len(queue.overdue)},
                "soon": ngettext(
                    "%(n)s due within %(days)s days",
                    "%(n)s due within %(days)s days",
                    len(queue.due_soon),
                )
                % {"n": len(queue.due_soon), "days": days},
            }
            body = render_to_string(
                "procedures/digest_email.txt",
                {
                    "user": user,
                    "queue": queue,
                    "days": days,
                    "base_url": base_url.rstrip("/"),
                    "work_url": reverse("procedures:work"),
                },
            )
        messages.append(EmailMessage(subject, body, to=[user.email], connection=connection))
        deadlines = [*queue.overdue, *queue.due_soon]
        if not dry_run:
            audit_record(
                user=user,
                action="deadline_digest_sent",
                object_type="application",
                details={
                    "deadlines": [d.pk for d in deadlines],
                    "applications": sorted({d.application_id for d in deadlines}),
                },
            )
        result.sent += 1
    if messages and not dry_run:
        connection.send_messages(messages)
    return result
