"""Decision letters: issued as a PDF stored with its hash, then notified (which starts the
periods the profile attaches to the decision)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import case_event_record
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import is_country
from nansen.procedures.letters import render_letter_html, render_pdf, rights_after_notification
from nansen.procedures.models import AddresseeKind, Decision, Letter, LetterLanguage
from nansen.procedures.services._engine import refuse_future
from nansen.procedures.services.applications import notify
from nansen.registration.guard import NOBODY, Recipient, guard_check, outward_road


def _addressee(decision: Decision, kind: str, representative: User | None) -> str:
    person = decision.application.person
    if kind == AddresseeKind.REPRESENTATIVE:
        return _("%(representative)s, legal representative of %(applicant)s") % {
            "representative": representative.display_name,  # type: ignore[union-attr]
            "applicant": person.latin_name,
        }
    return person.latin_name


def _letter_recipient(addressee_kind: str, addressee_country: str) -> Recipient:
    if addressee_kind == AddresseeKind.AUTHORITY:
        return Recipient(kind="authority", country=addressee_country)
    return NOBODY  # the applicant or their representative: the person's own side


@outward_road("letter", description="A decision letter, to the applicant or a copy elsewhere")
def letter_issue(
    *,
    actor: User,
    decision: Decision,
    language: str,
    notification_on: date | None = None,
    addressee_kind: str = AddresseeKind.APPLICANT,
    addressee_country: str = "",
) -> Letter:
    """Write the letter of a decision, for notification on ``notification_on`` (today by
    default): the last days it states are computed for that day.

    A letter is addressed to the applicant (or their legal representative); a copy may go to
    a state authority, never to one of a country any member of the case comes from, was
    born in, is a national of, or fears (the country-of-origin guard, which records its
    refusals in the case history and the audit log).
    """
    require(actor, Action.ISSUE_LETTER)
    if addressee_kind == AddresseeKind.AUTHORITY:
        if not is_country(addressee_country):
            raise NotAllowed(_("Give the authority's country."))
    else:
        addressee_country = ""
    # UNHCR confidentiality (Policy on the Protection of Personal Data of Persons of Concern,
    # 2015, para. 6.1): a decision names the applicant and, through the case, their family.
    guard_check(
        road="letter",
        recipient=_letter_recipient(addressee_kind, addressee_country),
        cases=[decision.application.case],
        obj=decision,
    )
    return _letter_write(
        actor=actor,
        decision=decision,
        language=language,
        notification_on=notification_on,
        addressee_kind=addressee_kind,
        addressee_country=addressee_country,
    )


@transaction.atomic
def _letter_write(
    *,
    actor: User,
    decision: Decision,
    language: str,
    notification_on: date | None,
    addressee_kind: str,
    addressee_country: str,
) -> Letter:
    if language not in LetterLanguage.values:
        raise NotAllowed(_("Letters are written in English, Japanese or Arabic."))
    if addressee_kind not in AddresseeKind.values:
        raise NotAllowed(_("Unknown addressee."))
    application = decision.application
    person = application.person
    if decision.superseded_at is not None:
        raise NotAllowed(_("This decision was replaced by a later one."))
    if decision.notified_on is not None:
        raise NotAllowed(
            _("This decision was already notified on %(date)s.")
            % {"date": decision.notified_on.isoformat()}
        )
    notification_on = notification_on or timezone.localdate()
    if notification_on < decision.decided_on:
        raise NotAllowed(_("A decision cannot be notified before it was made."))
    representative = None
    if addressee_kind == AddresseeKind.REPRESENTATIVE:
        representative = application.case.representatives.order_by("pk").first()
        if representative is None:
            raise NotAllowed(_("The case has no legal representative."))
    html = render_letter_html(
        decision=decision,
        language=language,
        notification_on=notification_on,
        addressee=_addressee(decision, addressee_kind, representative),
    )
    pdf = render_pdf(html)
    rights = rights_after_notification(decision, notification_on)
    main = rights[0] if rights else None
    letter = Letter.objects.create(
        decision=decision,
        language=language,
        addressee_kind=addressee_kind,
        addressee_country=addressee_country,
        notification_on=notification_on,
        rule=main.rule.id if main else "",
        last_day=main.last_day if main else None,
        late_last_day=main.late_last_day if main else None,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=actor,
    )
    case_event_record(
        case=application.case,
        actor=actor,
        verb=Verb.LETTER_ISSUED,
        obj=letter,
        details={
            "person": person.pk,
            "decision": decision.pk,
            "language": language,
            "addressee": addressee_kind,
            "sha256": letter.sha256,
            "notification_on": notification_on.isoformat(),
            "last_day": letter.last_day.isoformat() if letter.last_day else None,
        },
    )
    return letter


@outward_road("letter_notification", description="A decision letter handed to its addressee")
def letter_notify(*, actor: User, letter: Letter, notified_on: date) -> Letter:
    """Record that the letter was handed or delivered to its addressee on ``notified_on``.

    The letter states last days computed for the day it was issued for; notified another
    day, those days would be wrong, so a new letter must be issued instead. Handing a copy
    over is when it leaves: the guard looks again, as the case may have changed since.
    """
    require(actor, Action.ISSUE_LETTER)
    guard_check(
        road="letter_notification",
        recipient=_letter_recipient(letter.addressee_kind, letter.addressee_country),
        cases=[letter.decision.application.case],
        obj=letter,
    )
    refuse_future(notified_on, _("date of notification"))
    if letter.notified_on is not None:
        raise NotAllowed(_("This letter was already notified."))
    if notified_on != letter.notification_on:
        raise NotAllowed(
            _(
                "This letter states the last days for notification on %(planned)s; for "
                "notification on %(actual)s, issue a new letter."
            )
            % {
                "planned": letter.notification_on.isoformat(),
                "actual": notified_on.isoformat(),
            }
        )
    letter.notified_on = notified_on
    letter.notified_by = actor
    letter.save(update_fields=["notified_on", "notified_by"])
    notify(actor=actor, decision=letter.decision, notified_on=notified_on, letter=letter)
    return letter
