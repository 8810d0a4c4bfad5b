"""Reading the index: likely existing records for a person, earlier applications, the queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Abs

from nansen.accounts.models import Office
from nansen.audit.services import read_record
from nansen.identity.candidate_index import (
    HOUSEHOLDS,
    TOTAL,
    frequency_key,
    frequency_rows,
    index_keys,
)
from nansen.identity.match_records import MatchRecord, record_from_json
from nansen.identity.models import (
    Announcement,
    CandidatePair,
    MatchModel,
    MatchProfile,
    MergeRecord,
    NameFrequency,
    NameKey,
    PairStatus,
)
from nansen.identity.scoring import Score, ScoringModel, packaged_model
from nansen.registration.models import Person

POOL = 300  # candidates fetched from the index before scoring
YEAR_SLACK = 2  # years either side of the (range of the) date of birth
MIN_REGISTRY = 1000  # below this many persons, name frequencies say nothing yet
# The registration and lodging checks show candidates from this match probability on: a
# clerk checking a record on the screen should see a 1-in-20 chance, the review queue (the
# model's review threshold) only what is likelier.
SHOW_MINIMUM = 0.05


def active_model() -> ScoringModel:
    """The newest model trained on this registry, else the one shipped with Nansen."""
    trained = MatchModel.objects.first()
    if trained is None:
        return packaged_model()
    return ScoringModel.from_splink(
        trained.splink, threshold=trained.threshold, review_threshold=trained.review_threshold
    )


class Frequencies:
    """Term frequencies from the registry (names and households,
    ``candidate_index.frequency_rows``), read in one query per check for the records it
    meets."""

    def __init__(self, records: Iterable[MatchRecord], known: dict[str, int] | None = None):
        wanted = {row for record in records for row in frequency_rows(record)} | {HOUSEHOLDS}
        wanted -= set(known or ())
        counts = dict(
            NameFrequency.objects.filter(name_sig__in=wanted).values_list("name_sig", "count")
        )
        counts.update(known or {})
        self.total = max(counts.get(TOTAL, 0), 1)
        self.counts = counts

    def __call__(self, column: str, value: str) -> float:
        # As Splink: the share among the records that have a value (a name, a household).
        # Households not counted yet (an index older than their counts) adjust nothing.
        total = self.total if column == "name_sig" else self.counts.get(HOUSEHOLDS, 0)
        if not value or total < MIN_REGISTRY:
            return 0.0
        return max(self.counts.get(frequency_key(column, value), 0), 1) / total


@dataclass(frozen=True)
class Candidate:
    person_id: int
    office_id: int
    record: MatchRecord
    score: Score

    @property
    def probability(self) -> float:
        return self.score.probability


def candidate_ids(
    record: MatchRecord, *, pool: int = POOL, exclude: Iterable[int] = ()
) -> list[int]:
    """Persons sharing two names (or a document) with the record: those sharing the most
    names first, then those born closest."""
    keys = [k for k, _year in index_keys(record)]
    names = [k for k in keys if not k.startswith("doc:")]
    documents = [k for k in keys if k.startswith("doc:")]
    found: list[int] = []
    if documents:
        found += list(
            NameKey.objects.filter(key__in=documents)
            .exclude(person_id__in=list(exclude))
            .values_list("person_id", flat=True)[:pool]
        )
    if names:
        rows = NameKey.objects.filter(key__in=names)
        if record.birth is not None:
            rows = rows.filter(
                Q(
                    birth_year__gte=record.birth.low.year - YEAR_SLACK - 2,
                    birth_year__lte=record.birth.high.year + YEAR_SLACK + 2,
                )
                | Q(birth_year__isnull=True)
            )
        ranked = (
            rows.exclude(person_id__in=list(exclude)).values("person_id").annotate(hits=Count("id"))
        )
        if record.birth is not None:
            # Among persons sharing as many names, those born closest first.
            middle = (record.birth.low.year + record.birth.high.year) // 2
            ranked = ranked.annotate(gap=Min(Abs(F("birth_year") - middle))).order_by(
                "-hits", F("gap").asc(nulls_last=True), "-person_id"
            )
        else:
            ranked = ranked.order_by("-hits", "-person_id")
        ranked = ranked.values_list("person_id", flat=True)[:pool]
        found += [pk for pk in ranked if pk not in found]
    return found


def candidates_find(
    *,
    record: MatchRecord,
    exclude: Iterable[int] = (),
    limit: int = 20,
    model: ScoringModel | None = None,
    minimum: float = 0.0,
) -> list[Candidate]:
    """The persons most likely to be the one described by ``record``, best first, from every
    office. Callers show only what the user may see (``visible_candidates``)."""
    model = model or active_model()
    ids = candidate_ids(record, exclude=exclude)
    if not ids:
        return []
    counts = NameFrequency.objects.filter(name_sig=OuterRef("name_sig")).values("count")[:1]
    profiles = list(
        MatchProfile.objects.filter(person_id__in=ids)
        .annotate(frequency=Subquery(counts))
        .values_list("person_id", "office_id", "record", "name_sig", "frequency")
    )
    others = [record_from_json(pk, office, data) for pk, office, data, _s, _f in profiles]
    # The candidates' name frequencies come with their profiles; a household is weighed
    # only where it is the same as the record's, so the record's own count is enough.
    frequency = Frequencies(
        [record], known={sig: n for *_rest, sig, n in profiles if n is not None}
    )
    scored = [
        Candidate(o.key, o.office_id, o, model.score(record, o, frequency=frequency))  # type: ignore[arg-type]
        for o in others
    ]
    scored = [c for c in scored if c.probability >= minimum]
    scored.sort(key=lambda c: (-c.score.weight, c.person_id))
    return scored[:limit]


@dataclass(frozen=True)
class ShownCandidate:
    """A candidate the user may see: the record itself, with its score and evidence."""

    candidate: Candidate
    person: Person
    office: Office


@dataclass(frozen=True)
class CheckFindings:
    """What a check found, split by what the user may see. ``hidden`` holds, per office the
    user may not see, the likeliest of its records from the announcing threshold on: it
    never leaves the server (the services turn it into office announcements)."""

    shown: list[ShownCandidate]
    hidden: dict[int, Candidate]


def candidates_split(
    *, user, candidates: list[Candidate], shown: int, announce_from: float
) -> CheckFindings:
    """The user's own records, best first (at most ``shown``), apart from the other
    offices' records. Each part is chosen without looking at the other, so that what is
    shown of one says nothing about the scores of the other."""
    ids = [c.person_id for c in candidates]
    persons = {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=ids)}
    visible = [c for c in candidates if c.person_id in persons][:shown]
    offices = Office.objects.in_bulk({c.office_id for c in visible})
    hidden: dict[int, Candidate] = {}
    for c in candidates:  # best first: the first of an office is its likeliest
        if c.person_id not in persons and c.probability >= announce_from:
            hidden.setdefault(c.office_id, c)
    return CheckFindings(
        [ShownCandidate(c, persons[c.person_id], offices[c.office_id]) for c in visible], hidden
    )


def different_persons(person_id: int) -> set[int]:
    """Persons a reviewer said are not this one: never proposed again."""
    pairs = CandidatePair.objects.filter(
        Q(person_a_id=person_id) | Q(person_b_id=person_id), status=PairStatus.DIFFERENT
    ).values_list("person_a_id", "person_b_id")
    return {b if a == person_id else a for a, b in pairs}


def absorbed_ids() -> QuerySet:
    return MergeRecord.objects.filter(unmerged_at__isnull=True).values("absorbed_id")


def review_queue(*, user, status: str = PairStatus.OPEN) -> QuerySet[CandidatePair]:
    """Pairs whose two persons the user may both see."""
    visible = Person.objects.visible_to(user).values("pk")
    return (
        CandidatePair.objects.filter(status=status, person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b")
        .order_by("-score", "pk")
    )


def pair_get(*, user, pk: int, read: str = "", request=None) -> CandidatePair:
    """The pair, if the user may see both persons; 404 otherwise. ``read`` names the page
    or API operation that shows it: the read of both persons is then recorded."""
    from django.shortcuts import get_object_or_404

    visible = Person.objects.visible_to(user).values("pk")
    pair = get_object_or_404(
        CandidatePair.objects.filter(person_a__in=visible, person_b__in=visible).select_related(
            "person_a", "person_b"
        ),
        pk=pk,
    )
    if read:
        read_record(
            user=user,
            request=request,
            action=read,
            object_type="candidatepair",
            object_ids=[pair.pk],
            person_ids=[pair.person_a_id, pair.person_b_id],
        )
    return pair


def announcement_get(*, user, person: Person, uid) -> Announcement:
    """An announcement a check made to ``user`` about ``person``; anything else answers 404,
    as an announcement that does not exist."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Announcement.objects.select_related("other_person", "office"),
        uid=uid,
        user=user,
        person=person,
    )


def person_merged_into(person) -> Person | None:
    """The record a person's record was merged into, while that merge stands."""
    from nansen.identity.models import MergeRecord

    record = (
        MergeRecord.objects.filter(absorbed=person, unmerged_at__isnull=True)
        .select_related("survivor")
        .first()
    )
    return record.survivor if record else None


def decided_together_levels() -> list[tuple[str, bool]]:
    """(level of the second look, decided "same person") for each batch pair a person
    decided "same" (or merged) or "different" (to re-estimate ``together``'s weights)."""
    from nansen.identity.models import PairSource
    from nansen.identity.registered_together import KEY

    decided = CandidatePair.objects.filter(
        source=PairSource.BATCH,
        status__in=[PairStatus.SAME, PairStatus.MERGED, PairStatus.DIFFERENT],
    ).values_list("status", "evidence")
    return [
        ((evidence or {}).get(KEY, {}).get("level"), status != PairStatus.DIFFERENT)
        for status, evidence in decided.iterator()
    ]
