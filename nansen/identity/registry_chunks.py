"""The whole registry as match records, read in chunks (for the batch run, training and
rebuilding the index)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from nansen.identity.match_records import MatchRecord, record_from_person
from nansen.identity.models import MergeRecord
from nansen.registration.models import CaseMember, IdentityDocument, Person


def persons_to_match():
    """Every person but the records absorbed by a merge and the anonymised ones."""
    absorbed = MergeRecord.objects.filter(unmerged_at__isnull=True).values("absorbed_id")
    return Person.objects.exclude(pk__in=absorbed).filter(anonymised_at__isnull=True)


def chunk_records(persons: list[Person]) -> list[MatchRecord]:
    """Records of a chunk of persons, with their documents and family in three queries."""
    ids = [p.pk for p in persons]
    documents = defaultdict(list)
    for person_id, kind, number, country in IdentityDocument.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "document_type", "number", "issuing_country"):
        documents[person_id].append((kind, number, country))
    cases = defaultdict(set)
    for person_id, case_id in CaseMember.objects.filter(person_id__in=ids).values_list(
        "person_id", "case_id"
    ):
        cases[person_id].add(case_id)
    members = defaultdict(list)
    all_cases = {c for s in cases.values() for c in s}
    for case_id, person_id, given in CaseMember.objects.filter(case_id__in=all_cases).values_list(
        "case_id", "person_id", "person__given_name"
    ):
        members[case_id].append((person_id, given))
    records = []
    for person in persons:
        family = {
            given
            for case_id in cases[person.pk]
            for other, given in members[case_id]
            if other != person.pk and given
        }
        records.append(
            record_from_person(
                person,
                documents=documents[person.pk],
                family_given_names=sorted(family),
                cases=sorted(cases[person.pk]),
            )
        )
    return records


def registry_chunks(*, size: int = 5000, after: int = 0) -> Iterator[tuple[int, list[MatchRecord]]]:
    """(last person id, records) for each chunk of persons, in id order from ``after``."""
    queryset = persons_to_match().order_by("pk")
    while True:
        persons = list(queryset.filter(pk__gt=after)[:size])
        if not persons:
            return
        after = persons[-1].pk
        yield after, chunk_records(persons)
