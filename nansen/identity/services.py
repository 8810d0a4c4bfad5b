"""Identity: every decision about who is whom, each one transaction that records who made it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Verb
from nansen.audit.services import audit_record, case_event_record
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.identity.candidate_index import identity_index_person, identity_unindex_person
from nansen.identity.models import (
    AccessRequest,
    AccessStatus,
    Announcement,
    CandidatePair,
    MergeRecord,
    PairDecision,
    PairSource,
    PairStatus,
)
from nansen.procedures.models import Application
from nansen.registration.models import Case, CaseMember, IdentityDocument, Person

__all__ = ["identity_index_person"]

DECISIONS = (PairStatus.SAME, PairStatus.DIFFERENT, PairStatus.MORE_INFO)


@dataclass(frozen=True)
class Proposal:
    """A pair for the review queue, as the batch run scored it."""

    person_ids: tuple[int, int]
    score: float
    evidence: dict
    source: str = PairSource.BATCH
    cluster: str = ""


@transaction.atomic
def pairs_propose(proposals: Iterable[Proposal]) -> list[CandidatePair]:
    """Put pairs in the review queue, unless already there or decided: a pair decided
    "different persons" is never proposed again; an open pair takes the new score and
    evidence. Not a user action (the batch run calls it). In three statements whatever the
    number of pairs (the existing ones read, the changed ones updated, the new ones
    inserted); returns the new pairs."""
    wanted: dict[tuple[int, int], Proposal] = {}
    for proposal in proposals:
        a, b = sorted(proposal.person_ids)
        if a != b:
            wanted[(a, b)] = proposal
    if not wanted:
        return []
    existing = {
        (pair.person_a_id, pair.person_b_id): pair
        for pair in CandidatePair.objects.filter(
            person_a_id__in={a for a, _b in wanted}, person_b_id__in={b for _a, b in wanted}
        )
    }
    changed = []
    for key, pair in existing.items():
        proposal = wanted.get(key)
        if proposal and pair.status == PairStatus.OPEN and pair.score != proposal.score:
            pair.score, pair.evidence = proposal.score, proposal.evidence
            pair.cluster = proposal.cluster
            changed.append(pair)
    CandidatePair.objects.bulk_update(changed, ["score", "evidence", "cluster"])
    return CandidatePair.objects.bulk_create(
        [
            CandidatePair(
                person_a_id=a,
                person_b_id=b,
                score=proposal.score,
                evidence=proposal.evidence,
                source=proposal.source,
                cluster=proposal.cluster,
            )
            for (a, b), proposal in wanted.items()
            if (a, b) not in existing
        ]
    )


def pair_propose(
    *,
    person_ids: tuple[int, int],
    score: float,
    evidence: dict,
    source: str = PairSource.BATCH,
    cluster: str = "",
) -> CandidatePair | None:
    """One pair of ``pairs_propose``: the pair when it is new, else None."""
    created = pairs_propose([Proposal(person_ids, score, evidence, source, cluster)])
    return created[0] if created else None


@transaction.atomic
def pair_decide(
    *, actor: User, pair: CandidatePair, expected_version: int, status: str, note: str = ""
) -> CandidatePair:
    """Record a reviewer's decision on a pair: same person, different persons, or needs
    more information."""
    require(actor, Action.REVIEW_IDENTITY)
    if status not in DECISIONS:
        raise NotAllowed(_("Unknown decision."))
    if pair.status == PairStatus.MERGED:
        raise NotAllowed(_("These records are merged; undo the merge first."))
    claim_version(pair, expected_version)
    before = pair.status
    pair.status = status
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    PairDecision.objects.create(pair=pair, status=status, note=note.strip(), actor=actor)
    audit_record(
        user=actor,
        action="identity_pair_decided",
        object_type="candidatepair",
        object_id=pair.pk,
        person_ids=[pair.person_a_id, pair.person_b_id],
        details={"state_before": before, "state_after": status},
    )
    return pair


def _cases_of(*persons: Person) -> list[Case]:
    return list(Case.objects.filter(members__person__in=persons).distinct().order_by("pk"))


def _renumber(person: Person) -> dict[str, list[int]]:
    """Number a person's applications 1, 2, 3... by the date they were lodged; returns the
    numbers that changed ({application id: [old, new]})."""
    applications = list(Application.objects.filter(person=person).order_by("lodged_on", "pk"))
    changed = {str(a.pk): [a.ordinal, n] for n, a in enumerate(applications, 1) if a.ordinal != n}
    _set_ordinals({int(pk): new for pk, (_old, new) in changed.items()})
    return changed


def _set_ordinals(ordinals: dict[int, int]) -> None:
    """Two passes, so that no moment has two applications of a person with one number."""
    for pk, ordinal in ordinals.items():
        Application.objects.filter(pk=pk).update(ordinal=ordinal + 10_000)
    for pk, ordinal in ordinals.items():
        Application.objects.filter(pk=pk).update(ordinal=ordinal)


def _history(*, actor, cases, verb, person, details) -> None:
    for case in cases:
        case_event_record(case=case, actor=actor, verb=verb, obj=person, details=details)


@transaction.atomic
def persons_merge(
    *, actor: User, pair: CandidatePair, survivor: Person, expected_version: int
) -> MergeRecord:
    """Merge the two records of a pair decided "same person" into ``survivor``.

    The absorbed record is kept (marked by the MergeRecord and taken out of the index); its
    case memberships, applications (renumbered with the survivor's as 1st, 2nd... by date
    lodged) and identity documents move to the survivor; ``moved`` keeps each reference's
    former place so that ``merge_undo`` puts everything back.
    """
    require(actor, Action.MERGE_PERSONS)
    if pair.status != PairStatus.SAME:
        raise NotAllowed(_("Only records decided to be the same person can be merged."))
    if survivor.pk not in (pair.person_a_id, pair.person_b_id):
        raise NotAllowed(_("Keep one of the two records of the pair."))
    absorbed = pair.person_b if survivor.pk == pair.person_a_id else pair.person_a
    if survivor.office_id != absorbed.office_id:
        raise NotAllowed(_("Records of two offices cannot be merged."))
    claim_version(pair, expected_version)
    cases = _cases_of(survivor, absorbed)
    survivor_cases = set(
        CaseMember.objects.filter(person=survivor).values_list("case_id", flat=True)
    )
    moved: dict = {"memberships": [], "removed_memberships": [], "applications": {}}
    for member in CaseMember.objects.filter(person=absorbed).order_by("pk"):
        if member.case_id in survivor_cases:
            moved["removed_memberships"].append(
                {"case": member.case_id, "relationship": member.relationship}
            )
            member.delete()
        else:
            moved["memberships"].append(member.pk)
    CaseMember.objects.filter(pk__in=moved["memberships"]).update(person=survivor)
    applications = list(Application.objects.filter(person=absorbed).values_list("pk", "ordinal"))
    moved["applications"] = {str(pk): ordinal for pk, ordinal in applications}
    # Parked above any real number first, then all of them numbered by date lodged.
    Application.objects.filter(person=absorbed).update(
        ordinal=F("ordinal") + 20_000, person=survivor
    )
    moved["renumbered"] = _renumber(survivor)
    moved["documents"] = list(
        IdentityDocument.objects.filter(person=absorbed).values_list("pk", flat=True)
    )
    IdentityDocument.objects.filter(pk__in=moved["documents"]).update(person=survivor)
    merge = MergeRecord.objects.create(
        survivor=survivor, absorbed=absorbed, pair=pair, moved=moved, merged_by=actor
    )
    pair.status = PairStatus.MERGED
    pair.save(update_fields=["status"])
    PairDecision.objects.create(pair=pair, status=PairStatus.MERGED, actor=actor)
    identity_unindex_person(absorbed)
    identity_index_person(survivor)
    _history(
        actor=actor,
        cases=cases,
        verb=Verb.PERSONS_MERGED,
        person=survivor,
        details={"survivor": survivor.pk, "absorbed": absorbed.pk, "merge": merge.pk},
    )
    return merge


@transaction.atomic
def merge_undo(*, actor: User, merge: MergeRecord) -> MergeRecord:
    """Put every reference a merge moved back where it was; the pair goes back to review."""
    require(actor, Action.MERGE_PERSONS)
    if merge.unmerged_at is not None:
        raise NotAllowed(_("This merge was already undone."))
    survivor, absorbed, moved = merge.survivor, merge.absorbed, merge.moved
    CaseMember.objects.filter(pk__in=moved["memberships"]).update(person=absorbed)
    for removed in moved["removed_memberships"]:
        CaseMember.objects.create(
            case_id=removed["case"], person=absorbed, relationship=removed["relationship"]
        )
    absorbed_apps = {int(pk): ordinal for pk, ordinal in moved["applications"].items()}
    restored = {int(pk): old for pk, (old, _new) in moved["renumbered"].items()}
    Application.objects.filter(pk__in=list(absorbed_apps)).update(person=absorbed)
    _set_ordinals(
        {**{pk: o for pk, o in restored.items() if pk not in absorbed_apps}, **absorbed_apps}
    )
    IdentityDocument.objects.filter(pk__in=moved["documents"]).update(person=absorbed)
    merge.unmerged_by = actor
    merge.unmerged_at = timezone.now()
    merge.save(update_fields=["unmerged_by", "unmerged_at"])
    if merge.pair is not None:
        pair = merge.pair
        pair.status = PairStatus.OPEN
        pair.save(update_fields=["status"])
        PairDecision.objects.create(
            pair=pair, status=PairStatus.OPEN, actor=actor, note=_("Merge undone.")
        )
    identity_index_person(survivor)
    identity_index_person(absorbed)
    _history(
        actor=actor,
        cases=_cases_of(survivor, absorbed),
        verb=Verb.PERSONS_UNMERGED,
        person=absorbed,
        details={"survivor": survivor.pk, "absorbed": absorbed.pk, "merge": merge.pk},
    )
    return merge


@transaction.atomic
def record_access_request(*, actor: User, announcement: Announcement, reason: str) -> AccessRequest:
    """Ask the office of a possible earlier registration for access. The request names the
    announcement a check made to this user about this person (``selectors.announcement_get``),
    never a record: no one asks about a record no check announced to them. Only the
    request is recorded here; the other office answers it (and shares through its own
    procedure)."""
    require(actor, Action.REQUEST_RECORD_ACCESS)
    if announcement.user_id != actor.pk or announcement.person_id is None:
        raise NotAllowed(_("This request cannot be made here."))
    if not reason.strip():
        raise NotAllowed(_("Say why access is needed."))
    if announcement.office_id == actor.office_id:
        raise NotAllowed(_("This record is in your own office."))
    request = AccessRequest.objects.create(
        requested_by=actor,
        from_office_id=actor.office_id,  # type: ignore[misc]
        to_office_id=announcement.office_id,
        person_id=announcement.person_id,
        other_person_id=announcement.other_person_id,
        reason=reason.strip(),
    )
    # The other office's record is named on the request it answers, not in the asking
    # office's log: the announcement leads to it.
    audit_record(
        user=actor,
        action="identity_access_requested",
        object_type="accessrequest",
        object_id=request.pk,
        person_ids=[announcement.person_id],
        details={"to_office": announcement.office_id, "announcement": str(announcement.uid)},
    )
    return request


@transaction.atomic
def record_access_answer(*, actor: User, request: AccessRequest, grant: bool) -> AccessRequest:
    require(actor, Action.REQUEST_RECORD_ACCESS)
    if request.to_office_id != actor.office_id or request.status != AccessStatus.OPEN:
        raise NotAllowed(_("This request cannot be answered here."))
    request.status = AccessStatus.GRANTED if grant else AccessStatus.REFUSED
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        user=actor,
        action="identity_access_answered",
        object_type="accessrequest",
        object_id=request.pk,
        person_ids=[request.other_person_id],
        details={"status": request.status},
    )
    return request


def open_pairs_of(person: Person):
    return CandidatePair.objects.filter(
        Q(person_a=person) | Q(person_b=person), status=PairStatus.OPEN
    )
