"""Writing many validated households at once: the rows registration would write, in bulk.

``case_register`` writes one family in about a dozen statements; a million persons that way
take hours. This writes the same rows (cases with their numbers, persons, memberships,
identity documents, the history event "case registered" of each case) with one multi-row
statement per table: ``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` on SQLite, inside
the caller's transaction. Primary keys are reserved first (a sequence range on PostgreSQL;
on SQLite the write lock is held, so the next ids are free), so rows can point at each other
without reading anything back.

Columns this module does not fill get the model field's default, so a field added to
Person later is written as the model would write it. Encrypted fields are empty here ("",
stored as ""), as in a new registration.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from nansen.audit.models import CaseEvent, Verb
from nansen.imports.validation import Household, ValidPerson
from nansen.registration.models import (
    Case,
    CaseMember,
    CaseNumberSequence,
    IdentityDocument,
    Person,
)

BATCH = 50_000
_JSON_LISTS = ("other_names", "nationalities", "feared_countries", "languages", "specific_needs")
_PERSON_ATTRS = (
    "given_name",
    "family_name",
    "given_name_original",
    "family_name_original",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_birth",
    "country_of_birth",
    "country_of_origin",
    "interpreter_needed",
    "phone",
    "email",
    "address",
    "search_text",
    *_JSON_LISTS,
)


@dataclass(frozen=True)
class Written:
    cases: int
    persons: int
    documents: int
    first_case_number: str
    last_case_number: str
    person_ids: list[int]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (values already in the database's form) into ``model``'s table."""
    table = _quote(model._meta.db_table)
    names = ", ".join(_quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys nobody else will use. Must run inside the transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: this transaction holds the write lock (BEGIN IMMEDIATE); AUTOINCREMENT
        # never reuses an id, so start above both the largest id and the recorded sequence.
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {_quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        recorded = cursor.fetchone()
        start = max(highest, recorded[0] if recorded else 0) + 1
        return list(range(start, start + count))


def _prepared_default(field: models.Field):
    return field.get_db_prep_save(field.get_default(), connection)


def _row_builder(
    model: type[models.Model], per_row: dict[str, Callable], constants: dict[str, object]
) -> tuple[list[str], Callable[[object], tuple]]:
    """The table's columns and a function making one row: a value per column, from
    ``per_row`` (a function of the item), ``constants`` or the field's default."""
    columns, getters = [], []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name == "id" and name not in per_row:
            continue
        columns.append(field.column)
        if name in per_row:
            getters.append(per_row[name])
        else:
            value = constants[name] if name in constants else _prepared_default(field)
            getters.append(lambda _item, value=value: value)
    return columns, lambda item: tuple(get(item) for get in getters)


# Values go to the database as text where both accept it: COPY and executemany then pass
# them through without a type conversion per value.
def _db_date(value):
    return None if value is None else value.isoformat()


def _has_exactly(model: type[models.Model], attnames: list[str]) -> bool:
    """The model has these columns besides its id, and no other (so no defaults to fill)."""
    names = {f.attname for f in model._meta.concrete_fields} - {"id"}
    return names == set(attnames)


def _db_datetime(value):
    if connection.vendor == "postgresql":
        return value.isoformat()
    return connection.ops.adapt_datetimefield_value(value)


def _json_list(values: list) -> str:
    return json.dumps(values, ensure_ascii=False) if values else "[]"


def _codes_json(codes: list[str]) -> str:
    # Validated codes are letters only: nothing to escape.
    return "[" + ",".join(f'"{c}"' for c in codes) + "]" if codes else "[]"


def _person_rows(*, office, actor, stamp) -> tuple[list[str], Callable[[ValidPerson], tuple]]:
    """Person's columns and a row maker, for speed: plain attributes taken in one C call,
    JSON written directly; every other column as in _row_builder."""
    plain = [name for name in _PERSON_ATTRS if name not in _JSON_LISTS and name != "birth_date"]
    computed = ["id", "uid", "birth_date", *_JSON_LISTS]
    constants = {
        "office_id": office.pk,
        "created_by_id": actor.pk,
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
        "anonymised_at": None,
    }
    fields = {f.attname: f for f in Person._meta.concrete_fields}
    rest = [name for name in fields if name not in plain and name not in computed]
    fixed = tuple(
        constants[name] if name in constants else _prepared_default(fields[name]) for name in rest
    )
    columns = [fields[name].column for name in (*plain, *computed, *rest)]
    take = attrgetter(*plain)

    def row(p: ValidPerson) -> tuple:
        birth = p.birth_date
        return (
            *take(p),
            p.pk,
            uuid.uuid4().hex,  # PostgreSQL reads a uuid from 32 hex digits too
            None if birth is None else birth.isoformat(),
            _json_list(p.other_names),
            _codes_json(p.nationalities),
            _codes_json(p.feared_countries),
            _codes_json(p.languages),
            _codes_json(p.specific_needs),
            *fixed,
        )

    return columns, row


def _case_numbers(office, count: int) -> list[str]:
    """``count`` consecutive case numbers of the office's current year, under the same row
    lock ``case_register`` takes, so numbers stay unique and without gaps."""
    year = timezone.localdate().year
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
        office=office, year=year
    )
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [f"{office.code}-{year}-{value:06d}" for value in range(first, first + count)]


def write_households(
    households: list[Household],
    *,
    actor,
    import_uid: str,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> Written:
    """Register every household as a new case of the actor's office. Runs in the caller's
    transaction; validation has already accepted every value."""
    now = timezone.now()
    report = progress or (lambda *_args: None)
    with _large_cache():
        return _write(households, actor=actor, import_uid=import_uid, report=report, now=now)


@contextmanager
def _large_cache():
    """On SQLite, a page cache large enough to hold the indexes being filled (256 MB) while
    the import writes; PostgreSQL manages its own buffers."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _skip_row_triggers() -> bool:
    """On PostgreSQL, foreign keys are checked by a trigger per inserted row, queued to the
    commit: millions of single-row lookups. This import makes every referenced row itself
    (cases, persons) in this transaction, except the office and the user, which it locks
    as the triggers would (FOR KEY SHARE). So it asks PostgreSQL to skip the per-row
    triggers for this transaction (session_replication_role = replica), which needs a
    superuser or, from PostgreSQL 15, `GRANT SET ON PARAMETER session_replication_role`.
    Without that right it keeps the triggers, and is slower."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _write(households: list[Household], *, actor, import_uid: str, report, now) -> Written:
    office = actor.office
    skipping = _skip_row_triggers()
    if skipping:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM accounts_office WHERE id = %s FOR KEY SHARE", [office.pk])
            cursor.execute("SELECT 1 FROM accounts_user WHERE id = %s FOR KEY SHARE", [actor.pk])
    try:
        return _write_rows(households, actor=actor, import_uid=import_uid, report=report, now=now)
    finally:
        if skipping:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")


def _write_rows(households: list[Household], *, actor, import_uid: str, report, now) -> Written:
    office = actor.office
    stamp = _db_datetime(now)
    total_persons = sum(len(h.members) for h in households)
    numbers = _case_numbers(office, len(households))
    case_ids = reserve_ids(Case, len(households))
    reserved = reserve_ids(Person, total_persons)
    person_ids = iter(reserved)

    case_columns, case_row = _row_builder(
        Case,
        {"id": lambda item: item[0], "number": lambda item: item[1]},
        {
            "office_id": office.pk,
            "created_by_id": actor.pk,
            "created_at": stamp,
            "updated_at": stamp,
            "version": 1,
        },
    )
    insert(Case, case_columns, (case_row(item) for item in zip(case_ids, numbers, strict=True)))
    report("writing", 0, total_persons)

    person_columns, person_row = _person_rows(office=office, actor=actor, stamp=stamp)
    members: list[tuple] = []
    documents: list[tuple] = []

    def persons() -> Iterator[tuple]:
        written = 0
        for case_id, household in zip(case_ids, households, strict=True):
            for person in household.ordered():
                person.pk = next(person_ids)
                members.append((case_id, person.pk, person.relationship))
                if person.document is not None:
                    documents.append((person.pk, person.document))
                written += 1
                if written % BATCH == 0:
                    report("writing", written, total_persons)
                yield person_row(person)

    insert(Person, person_columns, persons())

    direct = ["case_id", "person_id", "relationship"]
    if _has_exactly(CaseMember, direct):
        insert(CaseMember, direct, members)
    else:
        member_columns, member_row = _row_builder(
            CaseMember,
            {
                "case_id": lambda m: m[0],
                "person_id": lambda m: m[1],
                "relationship": lambda m: m[2],
            },
            {},
        )
        insert(CaseMember, member_columns, map(member_row, members))
    document_columns, document_row = _row_builder(
        IdentityDocument,
        {
            "person_id": lambda d: d[0],
            "document_type": lambda d: d[1].document_type,
            "number": lambda d: d[1].number,
            "issuing_country": lambda d: d[1].issuing_country,
            "expires_on": lambda d: _db_date(d[1].expires_on),
        },
        {},
    )
    insert(IdentityDocument, document_columns, map(document_row, documents))
    # The history of each case says it was registered, by whom, when, by which import.
    event_columns, event_row = _row_builder(
        CaseEvent,
        {
            "case_id": lambda e: e[0],
            "object_id": lambda e: e[0],
            # The same JSON as json.dumps({"members": n, "import": uid}), made faster.
            "details": lambda e: f'{{"members": {e[1]}, "import": "{import_uid}"}}',
        },
        {
            "at": stamp,
            "actor_id": actor.pk,
            "verb": Verb.CASE_REGISTERED.value,
            "object_type": "case",
            "state_before": "",
            "state_after": "registered",
        },
    )
    insert(
        CaseEvent,
        event_columns,
        (
            event_row((case_id, len(household.members)))
            for case_id, household in zip(case_ids, households, strict=True)
        ),
    )
    report("writing", total_persons, total_persons)
    return Written(
        cases=len(households),
        persons=total_persons,
        documents=len(documents),
        first_case_number=numbers[0] if numbers else "",
        last_case_number=numbers[-1] if numbers else "",
        person_ids=reserved,
    )
