"""What the matcher knows about a person: comparison keys and ranges, never the raw record.

The same ``MatchRecord`` is built from a saved person, from the fields a clerk is typing,
from a row of ``score-pairs`` input, or from a benchmark file; the scoring model and the
batch (Splink) compare nothing else.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from nansen.identity.normalise import (
    NameKeys,
    document_key,
    latin_tokens,
    name_keys,
    name_tokens,
    skeleton,
    spelling_key,
)

ESTIMATE_YEARS = 2  # an estimated year of birth allows two years either side


@dataclass(frozen=True, slots=True)
class BirthRange:
    low: date
    high: date
    exact: bool  # a real day of birth, not a convention

    @classmethod
    def of(cls, value: date | None, precision: str) -> BirthRange | None:
        """The dates a recorded date of birth allows. 1 January recorded as an exact date is
        the usual convention for "only the year is known", so it counts as the year only."""
        if value is None:
            return None
        if precision == "exact" and (value.month, value.day) != (1, 1):
            return cls(value, value, True)
        if precision == "month":
            last = calendar.monthrange(value.year, value.month)[1]
            return cls(date(value.year, value.month, 1), date(value.year, value.month, last), False)
        if precision == "estimated":
            return cls(
                date(value.year - ESTIMATE_YEARS, 1, 1),
                date(value.year + ESTIMATE_YEARS, 12, 31),
                False,
            )
        return cls(date(value.year, 1, 1), date(value.year, 12, 31), False)

    @property
    def years(self) -> range:
        return range(self.low.year, self.high.year + 1)


@dataclass(frozen=True, slots=True)
class MatchRecord:
    key: int | str
    names: NameKeys
    sex: str = ""
    birth: BirthRange | None = None
    nationalities: frozenset[str] = frozenset()
    place: str = ""
    documents: frozenset[str] = frozenset()
    family: frozenset[str] = frozenset()
    given: str = ""  # skeleton of the first given name (found in a relative's family list)
    office_id: int | None = None
    cases: frozenset[int] = frozenset()  # the cases the person is registered in (batch only)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def household(self) -> str:
        return household_key(self.family)

    @property
    def document_kinds(self) -> frozenset[str]:
        return frozenset(d.rsplit(":", 1)[0] for d in self.documents)

    def row(self) -> dict:
        """The record as one row of the batch table (lists, with NULL for "not known")."""
        birth = self.birth
        return {
            "unique_id": self.key,
            "spellings": list(self.names.spellings) or None,
            "skeletons": sorted(self.names.skeletons) or None,
            "repeated": sorted(self.names.repeated) or None,
            "name_sig": self.names.signature or None,
            "skel_sig": " ".join(sorted(self.names.skeletons)) or None,
            "name_joined": self.names.joined or None,
            "sex": self.sex or None,
            "birth_low": birth.low if birth else None,
            "birth_high": birth.high if birth else None,
            "birth_exact": birth.exact if birth else None,
            "birth_year": birth.low.year if birth and birth.exact else None,
            "birth_md": birth.low.strftime("%m%d") if birth and birth.exact else None,
            "nationalities": sorted(self.nationalities) or None,
            "place": self.place or None,
            "documents": sorted(self.documents) or None,
            "document_kinds": sorted(self.document_kinds) or None,
            "family": sorted(self.family) or None,
            "given_sk": self.given or None,
            "household": self.household or None,
            "cases": sorted(self.cases) or None,
        }


def place_key(text: str) -> str:
    return " ".join(spelling_key(t) for t in latin_tokens(text or ""))


def given_key(text: str) -> str:
    """The skeleton of a name's first token: how a family list names a person."""
    tokens = name_tokens(text or "")
    return skeleton(tokens[0]) if tokens else ""


def family_keys(given_names: list[str]) -> frozenset[str]:
    """Family members by the skeleton of their first given name (order-free, any spelling)."""
    return frozenset(k for k in (given_key(text) for text in given_names) if k)


def household_key(family) -> str:
    """The relatives a record names, in order ("ftm hsn mhmd"): in a household only one
    person names exactly the others (a brother's list names him, not himself), so with two
    relatives or more this finds the person again whatever their own names and dates say.
    Empty with fewer than two (one relative's name says too little)."""
    return " ".join(sorted(family)) if len(family) >= 2 else ""


def record_from_values(
    *,
    key: int | str,
    given_name: str = "",
    family_name: str = "",
    full_name: str = "",
    other_names: list[str] | tuple[str, ...] = (),
    sex: str = "",
    birth_date: date | None = None,
    birth_date_precision: str = "exact",
    nationalities: list[str] | tuple[str, ...] = (),
    place_of_birth: str = "",
    documents: list[tuple[str, str, str]] | tuple = (),
    family: list[str] | tuple[str, ...] = (),
    office_id: int | None = None,
    cases: list[int] | tuple[int, ...] = (),
) -> MatchRecord:
    primary = full_name or " ".join(p for p in (given_name, family_name) if p)
    return MatchRecord(
        key=key,
        names=name_keys(primary, *other_names),
        sex=sex if sex in ("F", "M") else "",
        birth=BirthRange.of(birth_date, birth_date_precision),
        nationalities=frozenset(n for n in nationalities if n),
        place=place_key(place_of_birth),
        documents=frozenset(document_key(*d) for d in documents if all(d)),
        family=family_keys(list(family)),
        given=given_key(given_name or full_name),
        office_id=office_id,
        cases=frozenset(cases),
    )


def record_from_person(person, *, documents=None, family_given_names=None, cases=()) -> MatchRecord:
    """A saved person's record. ``documents`` and ``family_given_names`` may be passed when
    the caller fetched them in bulk; ``cases`` (the ids of the person's cases) only the
    batch run reads."""
    if documents is None:
        documents = [(d.document_type, d.number, d.issuing_country) for d in person.documents.all()]
    return record_from_values(
        key=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        other_names=[
            person.given_name_original,
            person.family_name_original,
            " ".join(p for p in (person.given_name_original, person.family_name_original) if p),
            *person.other_names,
        ],
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        nationalities=person.nationalities or [person.country_of_origin],
        place_of_birth=person.place_of_birth,
        documents=documents,
        family=family_given_names or [],
        office_id=person.office_id,
        cases=cases,
    )


def record_to_json(record: MatchRecord) -> dict:
    birth = record.birth
    return {
        "sp": list(record.names.spellings),
        "sk": sorted(record.names.skeletons),
        "rp": sorted(record.names.repeated),
        "sex": record.sex,
        "b": [birth.low.isoformat(), birth.high.isoformat(), birth.exact] if birth else None,
        "nat": sorted(record.nationalities),
        "pl": record.place,
        "doc": sorted(record.documents),
        "fam": sorted(record.family),
        "g": record.given,
    }


def record_from_json(key: int, office_id: int | None, data: dict) -> MatchRecord:
    birth = data.get("b")
    return MatchRecord(
        key=key,
        names=NameKeys(tuple(data["sp"]), frozenset(data["sk"]), frozenset(data.get("rp", ()))),
        sex=data.get("sex", ""),
        birth=BirthRange(date.fromisoformat(birth[0]), date.fromisoformat(birth[1]), birth[2])
        if birth
        else None,
        nationalities=frozenset(data.get("nat", ())),
        place=data.get("pl", ""),
        documents=frozenset(data.get("doc", ())),
        family=frozenset(data.get("fam", ())),
        given=data.get("g", ""),
        office_id=office_id,
    )
