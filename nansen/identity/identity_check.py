"""The identity check: likely existing records for a person, as a user may be told of them.

A record the user may see is shown with its score and evidence. A record of an office the
user may not see is announced, never described: an ``OfficeAnnouncement`` carries the
office and nothing else, one per office, in the order of the office codes, the same for
every input from the announcing threshold on. Every check is counted against the user's
hourly limit and audited with a keyed hash of its query; the records announced stay on the
server (``Announcement``), where an access request finds them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import audit_record, read_record
from nansen.core.permissions import NotAllowed, require
from nansen.identity.match_records import (
    MatchRecord,
    record_from_json,
    record_from_person,
    record_to_json,
)
from nansen.identity.models import Announcement, CheckLimit, IdentityCheck, MatchProfile
from nansen.identity.scoring import ScoringModel
from nansen.identity.selectors import (
    POOL,
    SHOW_MINIMUM,
    ShownCandidate,
    active_model,
    candidates_find,
    candidates_split,
    different_persons,
)
from nansen.registration.models import Case, Person

SHOWN = 5  # own records shown per check
WINDOW = timedelta(hours=1)
# Whoever may run a check: registration (a person being typed), lodging and review (the
# repeat check of a case's members).
CHECKERS = (Action.REGISTER, Action.LODGE_APPLICATION, Action.REVIEW_IDENTITY)


@dataclass(frozen=True)
class OfficeAnnouncement:
    """ "A possible earlier registration in office X": all a user learns of a record they may
    not see. ``uid`` is the opaque key of the server's record of the announcement, to ask
    that office for access; empty where no registered person was checked (registration,
    the API), where there is no one to ask about yet."""

    office_code: str
    office_name: str
    uid: str = ""


@dataclass(frozen=True)
class CheckResult:
    shown: list[ShownCandidate]
    announced: list[OfficeAnnouncement]


class CheckLimitReached(NotAllowed):
    def __init__(self, limit: int):
        super().__init__(
            ngettext(
                "You have reached the limit of %(limit)d identity check an hour. "
                "Try again later, or ask an administrator to raise your office's limit.",
                "You have reached the limit of %(limit)d identity checks an hour. "
                "Try again later, or ask an administrator to raise your office's limit.",
                limit,
            )
            % {"limit": limit}
        )
        self.limit = limit


def query_hash(record: MatchRecord) -> str:
    """HMAC-SHA256 of the normalised query, under a key derived from the audit key: equal
    queries can be told equal in the audit log, and no query can be read back from it."""
    key = hmac.new(
        settings.AUDIT_KEY.encode(), b"nansen.identity.check-query", hashlib.sha256
    ).digest()
    canonical = json.dumps(
        record_to_json(record), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def checks_per_hour(office_id: int | None) -> int:
    own = CheckLimit.objects.filter(office_id=office_id).values_list("per_hour", flat=True)
    return next(iter(own), settings.NANSEN_IDENTITY_CHECKS_PER_HOUR)


def _require_any(user, actions: Iterable[Action]) -> None:
    if not any(getattr(user, "is_authenticated", False) and user.may(a) for a in actions):
        raise Http404


def identity_check_run(
    *,
    actor: User,
    record: MatchRecord,
    request=None,
    channel: Channel = Channel.PAGE,
    person: Person | None = None,
    case: Case | None = None,
    exclude: Iterable[int] = (),
    model: ScoringModel | None = None,
) -> CheckResult:
    """Check ``record`` (a person being typed, or the registered ``person``) against the
    registry, within the user's hourly limit; raise ``CheckLimitReached`` over it. The
    check, or its refusal, is audited."""
    _require_any(actor, CHECKERS if person is not None else (Action.REGISTER,))
    query = query_hash(record)
    audit = {
        "user": actor,
        "channel": channel,
        "request": request,
        "object_type": "person",
        "object_id": person.pk if person else None,
        "case_id": case.pk if case else None,
    }
    with transaction.atomic():
        # One check at a time per user, so that processes running checks side by side
        # count each other's. FOR NO KEY UPDATE on PostgreSQL: a plain FOR UPDATE would
        # also block the key-share lock that another transaction's audit entry (a foreign
        # key to this user, checked at its commit) takes while it holds the audit head,
        # which this check waits for: a deadlock.
        User.objects.select_for_update(no_key=True).filter(pk=actor.pk).values_list("pk").first()
        limit = checks_per_hour(actor.office_id)
        recent = IdentityCheck.objects.filter(user=actor, at__gte=timezone.now() - WINDOW)
        # A query already answered within the hour tells nothing new: it is not counted again.
        counted = recent.filter(query=query).exists() or (
            recent.values("query").distinct().count() < limit
        )
        if not counted:
            audit_record(
                **audit,
                action="identity_check_refused",
                person_ids=[person.pk] if person else [],
                details={"query": query, "limit": limit},
            )
        else:
            result = _run(
                actor=actor,
                record=record,
                query=query,
                person=person,
                case=case,
                exclude=exclude,
                model=model,
            )
            shown_ids = [s.person.pk for s in result.shown]
            audit_record(
                **audit,
                action="identity_check",
                person_ids=[*([person.pk] if person else []), *shown_ids],
                details={
                    "query": query,
                    "announced": [a.office_code for a in result.announced],
                    "shown": len(shown_ids),
                },
            )
    if not counted:  # raised after the commit: the refusal stays in the audit log
        raise CheckLimitReached(limit)
    return result


def _run(*, actor, record, query, person, case, exclude, model) -> CheckResult:
    model = model or active_model()
    check = IdentityCheck.objects.create(user=actor, query=query)
    found = candidates_find(
        record=record, exclude=exclude, limit=POOL, model=model, minimum=SHOW_MINIMUM
    )
    findings = candidates_split(
        user=actor,
        candidates=found,
        shown=SHOWN,
        # Another office is asked to act on what it is told: only the likelier records.
        announce_from=max(SHOW_MINIMUM, model.review_threshold),
    )
    offices = Office.objects.in_bulk(list(findings.hidden))
    announced = []
    for office in sorted(offices.values(), key=lambda o: o.code):
        candidate = findings.hidden[office.pk]
        uid = ""
        if person is not None:
            announcement = Announcement.objects.create(
                identity_check=check,
                user=actor,
                person=person,
                case=case,
                office=office,
                other_person_id=candidate.person_id,
            )
            uid = str(announcement.uid)
        announced.append(OfficeAnnouncement(office.code, office.name, uid))
    return CheckResult(findings.shown, announced)


@dataclass(frozen=True)
class RepeatFinding:
    """What the repeat check found for one member of a case."""

    person: Person
    shown: list[tuple[ShownCandidate, list]]  # with the applications the user may see
    announced: list[OfficeAnnouncement]


@dataclass(frozen=True)
class RepeatCheck:
    findings: list[RepeatFinding]
    refused: str = ""  # the limit's message, when it stopped the check


def case_repeat_check(*, actor: User, case: Case, request=None) -> RepeatCheck:
    """The identity check of each member of a case, for the lodging page: earlier
    registrations and applications in this office, other offices announced. The page's
    reading of the members is audited, whatever it names."""
    from nansen.procedures.models import Application

    _require_any(actor, (Action.LODGE_APPLICATION, Action.REVIEW_IDENTITY))
    members = [m.person for m in case.members.select_related("person").order_by("pk")]
    profiles = {
        pk: (office, data)
        for pk, office, data in MatchProfile.objects.filter(
            person_id__in=[p.pk for p in members]
        ).values_list("person_id", "office_id", "record")
    }
    model = active_model()
    findings, refused = [], ""
    for person in members:
        if person.pk in profiles:
            record = record_from_json(person.pk, *profiles[person.pk])
        else:
            record = record_from_person(person)
        try:
            result = identity_check_run(
                actor=actor,
                record=record,
                request=request,
                person=person,
                case=case,
                exclude={person.pk, *different_persons(person.pk)},
                model=model,
            )
        except CheckLimitReached as exc:
            refused = str(exc)
            break
        if result.shown or result.announced:
            shown = [
                (s, list(Application.objects.visible_to(actor).filter(person=s.person)))
                for s in result.shown
            ]
            findings.append(RepeatFinding(person, shown, result.announced))
    named = [f.person.pk for f in findings] + [s.person.pk for f in findings for s, _a in f.shown]
    read_record(
        user=actor,
        request=request,
        action="identity_repeat_check",
        object_type="person",
        object_ids=named,
        case_id=case.pk,
        person_ids=named,
    )
    return RepeatCheck(findings, refused)


@transaction.atomic
def check_limit_set(*, actor: User, office: Office, per_hour: int | None) -> None:
    """Set an office's own limit on identity checks per user and hour; None: back to the
    default (``settings.NANSEN_IDENTITY_CHECKS_PER_HOUR``)."""
    require(actor, Action.ADMINISTER)
    if per_hour is not None and per_hour < 1:
        raise NotAllowed(_("The limit is at least one check an hour."))
    if per_hour is None:
        CheckLimit.objects.filter(office=office).delete()
    else:
        CheckLimit.objects.update_or_create(office=office, defaults={"per_hour": per_hour})
    audit_record(
        user=actor,
        action="identity_check_limit_set",
        object_type="office",
        object_id=office.pk,
        details={"office": office.code, "per_hour": per_hour},
    )
