"""The candidate index: comparison keys, match profiles and name frequencies of every person.

Kept up to date by ``identity_index_person``, inside the registering transaction whenever
registration saves a person (``receivers.persons_index``, connected to
``registration.signals.persons_saved``), by an import and by a merge; rebuilt in bulk by
``nansen identity reindex`` (``registry_runs.identity_registry_reindex``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from nansen.identity.match_records import (
    MatchRecord,
    record_from_json,
    record_from_person,
    record_to_json,
)
from nansen.identity.models import MatchProfile, NameFrequency, NameKey
from nansen.registration.models import CaseMember, Person

TOTAL = ""  # the NameFrequency row that counts persons
# Households (``match_records.household_key``) are counted in the same table under this prefix;
# the row of the bare prefix counts the persons who name a household.
HOUSEHOLDS = "hh:"


def frequency_key(column: str, value: str) -> str:
    """The NameFrequency row of a value the model adjusts by frequency (``scoring.TERMS``)."""
    return (value if column == "name_sig" else HOUSEHOLDS + value)[:400]


def frequency_rows(record: MatchRecord) -> list[str]:
    """The NameFrequency rows a person counts in: the persons, their name, their household
    and the persons naming one."""
    rows = [TOTAL]
    if record.names.signature:
        rows.append(frequency_key("name_sig", record.names.signature))
    if record.household:
        rows += [HOUSEHOLDS, frequency_key("household", record.household)]
    return rows


def index_keys(record: MatchRecord) -> list[tuple[str, int | None]]:
    """The rows of the index for a record: its name keys with the year of birth (the middle
    of an approximate range), each name alone with a real day of birth (a typing error in
    the other name: Maryam Hasanzai born 27 May 1968 meets Maryam Hanzai born that day),
    each document without a year, the household (``household_key``) with the year, and
    each name with each relative the record names ("mhmd^ftm"), with the year: the person
    registered again whose one name was respelled past recognition (Mostafa Orabi, Mustafa
    Alorabi) still shares a name and the family, and among a thousand namesakes of a
    common name, the one whose relatives match shares more keys and comes first. A record
    without a date of birth gives no relative keys: without a year they would list every
    Mohammed with a Fatima in the family."""
    year = None
    if record.birth is not None:
        year = (record.birth.low.year + record.birth.high.year) // 2
    keys: list[tuple[str, int | None]] = [(k[:80], year) for k in record.names.pairs]
    if record.birth is not None and record.birth.exact:
        day = record.birth.low.isoformat()
        keys += [(f"{name}|{day}"[:80], year) for name in sorted(record.names.skeletons)]
    keys += [(f"doc:{d}"[:80], None) for d in sorted(record.documents)]
    if household := record.household:
        keys.append((f"hh:{household}"[:80], year))
    if year is not None:
        keys += [
            (f"{name}^{relative}"[:80], year)
            for name in sorted(record.names.skeletons)
            for relative in sorted(record.family)
        ]
    return keys


def family_given_names(person: Person) -> list[str]:
    members = CaseMember.objects.filter(
        case__in=CaseMember.objects.filter(person=person).values("case")
    ).exclude(person=person)
    return [
        name for name in members.values_list("person__given_name", flat=True).distinct() if name
    ]


def _frequency_add(changes: Counter) -> None:
    for name_sig, delta in changes.items():
        if delta == 0:
            continue
        updated = NameFrequency.objects.filter(name_sig=name_sig).update(count=F("count") + delta)
        if not updated and delta > 0:
            NameFrequency.objects.bulk_create(
                [NameFrequency(name_sig=name_sig, count=delta)], ignore_conflicts=True
            )


@transaction.atomic
def identity_index_person(person: Person) -> MatchRecord:
    """Refresh one person's keys, profile and the name frequencies."""
    record = record_from_person(person, family_given_names=family_given_names(person))
    old = MatchProfile.objects.filter(person=person).values_list("record", flat=True).first()
    changes = Counter(frequency_rows(record))
    if old is not None:
        changes.subtract(frequency_rows(record_from_json(person.pk, None, old)))
    _frequency_add(changes)
    MatchProfile.objects.update_or_create(
        person=person,
        defaults={
            "office_id": person.office_id,
            "name_sig": record.names.signature[:400],
            "record": record_to_json(record),
        },
    )
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.bulk_create(
        NameKey(person=person, key=key, birth_year=year) for key, year in index_keys(record)
    )
    return record


def identity_unindex_person(person: Person) -> None:
    """Take a person out of the index (an absorbed record after a merge)."""
    old = MatchProfile.objects.filter(person=person).values_list("record", flat=True).first()
    if old is not None:
        record = record_from_json(person.pk, None, old)
        _frequency_add(Counter({row: -1 for row in frequency_rows(record)}))
    MatchProfile.objects.filter(person=person).delete()
    NameKey.objects.filter(person=person).delete()


def index_rebuild(records: Iterable[tuple[MatchRecord, int]], *, batch: int = 5000) -> int:
    """Replace the whole index with ``records`` (record, office id); returns the count."""
    NameKey.objects.all().delete()
    MatchProfile.objects.all().delete()
    NameFrequency.objects.all().delete()
    counts: Counter = Counter()
    keys: list[NameKey] = []
    profiles: list[MatchProfile] = []
    total = 0
    for record, office_id in records:
        total += 1
        counts.update(frequency_rows(record))
        profiles.append(
            MatchProfile(
                person_id=record.key,
                office_id=office_id,
                name_sig=record.names.signature[:400],
                record=record_to_json(record),
            )
        )
        keys += [NameKey(person_id=record.key, key=k, birth_year=y) for k, y in index_keys(record)]
        if len(profiles) >= batch:
            MatchProfile.objects.bulk_create(profiles)
            NameKey.objects.bulk_create(keys)
            profiles, keys = [], []
    MatchProfile.objects.bulk_create(profiles)
    NameKey.objects.bulk_create(keys)
    NameFrequency.objects.bulk_create(
        NameFrequency(name_sig=row, count=n) for row, n in counts.items()
    )
    return total
