"""Who in an import file may already be registered, or be in the file twice; and putting
imported persons into the identity app's candidate index.

The import refuses rows by one exact key: the name in Latin letters, folded as search
folds it (case, accents, hyphens), and the date of birth as recorded. Persons without a
date of birth are not matched: a name alone does not identify anyone. Spelling variants
and other scripts are the identity app's work, after the import: the imported persons are
put in its candidate index (below), and its batch search (`nansen identity dedupe`) puts
the likely pairs in the duplicates queue for a person to decide.

Only the importing office's registry is searched: the clerk may see it, and a match
elsewhere would tell them about a person they may not see.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from nansen.identity.candidate_index import identity_index_person
from nansen.registration.models import CaseMember, Person
from nansen.registration.names import fold

# Imported persons are put in the identity app's candidate index inside the import's
# transaction, as case_register does, up to this many; a larger import is indexed by
# `nansen identity reindex` afterwards (per person it would take hours for a million).
INDEX_INLINE_MAX = 10_000


@functools.lru_cache(maxsize=200_000)
def _fold(name: str) -> str:
    return fold(name)


def identity_key(given_name: str, family_name: str, birth_date: date | None) -> tuple | None:
    if birth_date is None:
        return None
    return (_fold(given_name), _fold(family_name), birth_date)


def registered_matches(*, office, keys: Iterable[tuple]) -> dict[tuple, str]:
    """The keys that match a person already registered in ``office``, each with the number
    of a case that person belongs to."""
    wanted = set(keys)
    if not wanted:
        return {}
    births = {key[2] for key in wanted}
    found: dict[tuple, int] = {}
    registered = Person.objects.filter(office=office, birth_date__isnull=False).values_list(
        "pk", "given_name", "family_name", "birth_date"
    )
    if len(births) < 500:
        registered = registered.filter(birth_date__in=births)
    for pk, given, family, birth in registered.iterator(chunk_size=5000):
        key = identity_key(given, family, birth)
        if key in wanted and key not in found:
            found[key] = pk
    person_ids = list(found.values())
    numbers: dict[int, str] = {}
    for start in range(0, len(person_ids), 5000):
        numbers.update(
            CaseMember.objects.filter(person_id__in=person_ids[start : start + 5000]).values_list(
                "person_id", "case__number"
            )
        )
    return {key: numbers.get(pk, "—") for key, pk in found.items()}


def index_imported(person_ids: list[int]) -> bool:
    """Index the imported persons for identity matching; False when there are too many to
    do it here (then `nansen identity reindex` must run)."""
    if len(person_ids) > INDEX_INLINE_MAX:
        return False
    for start in range(0, len(person_ids), 1000):
        for person in Person.objects.filter(pk__in=person_ids[start : start + 1000]):
            identity_index_person(person)
    return True
