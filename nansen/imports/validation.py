"""Checking a whole import file before anything is written.

Every cell is checked against the rules registration applies to a person typed into the
page or sent to the API (the Person model's lengths and choices, ISO 3166-1 and ISO 639-3
codes, UNHCR specific needs, partial dates), every household against the rules of a case
(exactly one principal applicant, at most 30 dependants), and the whole file against
itself and the registry for duplicates. The result is either the persons ready to write,
or every problem found, each with its line and column.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nansen.core.reference import SpecificNeed, country_codes, language_codes
from nansen.imports.columns import COLUMN_NAMES, REQUIRED
from nansen.imports.duplicates import registered_matches
from nansen.imports.formats import Table
from nansen.registration.dates import PartialDateError, parse_partial_date
from nansen.registration.models import DatePrecision, IdentityDocument, Relationship, Sex
from nansen.registration.names import fold
from nansen.registration.services import DocumentInput, PersonInput

MAX_ROWS = 1_000_000
MAX_DEPENDANTS = 30  # as the API's CaseIn allows
MAX_OTHER_NAMES = 20
MAX_CODES = 20
# Every problem is counted; this many are kept with their line and column for the page.
MAX_PROBLEMS_KEPT = 10_000
PROGRESS_EVERY = 20_000

_YES = frozenset({"yes", "y", "true", "1", "はい", "نعم"})
_NO = frozenset({"", "no", "n", "false", "0", "いいえ", "لا"})
_SEXES = frozenset(Sex.values)
_RELATIONSHIPS = frozenset(Relationship.values)
_NEEDS = frozenset(SpecificNeed.values)
_DOCUMENT_TYPES = frozenset(IdentityDocument.Type.values)
# The Person model's own limits (registration.models) and the API's (api.schemas.PersonIn).
_MAX_LENGTH = {
    "household": 100,
    "given_name": 200,
    "family_name": 200,
    "given_name_original": 200,
    "family_name_original": 200,
    "place_of_birth": 200,
    "phone": 40,
    "email": 254,
    "address": 2000,
    "document_number": 64,
}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


class ValidPerson:
    """One person of the file, checked and converted; ``search_text`` as Person computes
    it. A plain slotted class: a million of them must fit and be made quickly."""

    __slots__ = (
        "address",
        "birth_date",
        "birth_date_precision",
        "country_of_birth",
        "country_of_origin",
        "document",
        "email",
        "family_name",
        "family_name_original",
        "feared_countries",
        "folded",
        "given_name",
        "given_name_original",
        "household",
        "interpreter_needed",
        "languages",
        "line",
        "nationalities",
        "other_names",
        "phone",
        "pk",
        "place_of_birth",
        "relationship",
        "search_text",
        "sex",
        "specific_needs",
    )

    def person_input(self) -> PersonInput:
        """The same person as the registration services take it."""
        names = [n for n in PersonInput.field_names() if n not in ("documents",)]
        values = {name: getattr(self, name) for name in names}
        return PersonInput(**values, documents=[self.document] if self.document else [])


@dataclass
class Household:
    label: str
    first_line: int
    members: list[ValidPerson] = field(default_factory=list)

    @property
    def principal(self) -> ValidPerson:
        return next(p for p in self.members if p.relationship == Relationship.PRINCIPAL)

    def ordered(self) -> list[ValidPerson]:
        """The principal applicant first, then the dependants in file order."""
        principal = self.principal
        return [principal, *(p for p in self.members if p is not principal)]


@dataclass
class ValidationResult:
    rows: int = 0
    households: list[Household] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def persons(self) -> int:
        return sum(len(h.members) for h in self.households)

    def add(self, line: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(line, column, message))


class _Invalid(ValueError):
    pass


def _yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise _Invalid(_("Write yes or no."))


_CODE_MESSAGES = {
    "nationalities": gettext_lazy("Not ISO 3166-1 alpha-3 country codes: %(codes)s."),
    "feared_countries": gettext_lazy("Not ISO 3166-1 alpha-3 country codes: %(codes)s."),
    "languages": gettext_lazy("Not ISO 639-3 language codes: %(codes)s."),
    "specific_needs": gettext_lazy("Not UNHCR specific-needs codes: %(codes)s."),
}


@functools.lru_cache(maxsize=10_000)
def _codes(text: str, known: frozenset[str], column: str, *, upper: bool) -> tuple[str, ...]:
    # Cached: the same few codes ("SYR", "ara") fill most cells of a large file.
    codes = text.replace(",", " ").replace(";", " ").split()
    codes = [c.upper() if upper else c.lower() for c in codes]
    if len(codes) > MAX_CODES:
        raise _Invalid(_("At most %(count)s codes.") % {"count": MAX_CODES})
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise _Invalid(str(_CODE_MESSAGES[column]) % {"codes": ", ".join(unknown[:5])})
    return tuple(dict.fromkeys(codes))


def _country(text: str, countries: frozenset[str]) -> str:
    code = text.strip().upper()
    if code not in countries:
        raise _Invalid(
            _("%(code)s is not an ISO 3166-1 alpha-3 country code.") % {"code": code[:10]}
        )
    return code


def _full_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _Invalid(_("Write the date as YYYY-MM-DD.")) from None


@functools.lru_cache(maxsize=100_000)
def _partial_date(text: str, estimated: bool) -> tuple[date, str]:
    return parse_partial_date(text, estimated=estimated)


@functools.lru_cache(maxsize=200_000)
def _fold(name: str) -> str:
    # Names repeat a great deal in a large file; folding each distinct one once is enough.
    return fold(name)


class _RowChecker:
    """Checks one row at a time; built once per file with the columns it has. Written for
    speed (a million rows): cells are read by position, messages built only on a problem."""

    def __init__(self, header: list[str], result: ValidationResult):
        self.result = result
        index = {name: i for i, name in enumerate(header)}
        self.width = len(header)
        # A column missing from the file reads as the empty cell appended at the end (-1).
        self.take = itemgetter(*(index.get(name, -1) for name in COLUMN_NAMES))
        self.length_checks = tuple(
            (index[name], name, limit) for name, limit in _MAX_LENGTH.items() if name in index
        )
        self.countries = country_codes()
        self.languages = language_codes()
        self.today = timezone.localdate()

    # check() unpacks the cells in this order.
    assert COLUMN_NAMES[:3] == ("household", "relationship", "given_name")
    assert COLUMN_NAMES[-1] == "document_expires_on" and len(COLUMN_NAMES) == 25

    def check(self, line: int, row: list[str]) -> ValidPerson:
        """The row as a person; problems go to the result (the person is then unusable,
        but still counts for the household and duplicate checks)."""
        add = self.result.add
        width = self.width
        if len(row) > width and any(c.strip() for c in row[width:]):
            add(line, "", _("This line has more cells than the header has columns."))
        cells = [c.strip() for c in row[:width]]
        cells.extend([""] * (width - len(cells) + 1))
        (
            household,
            relationship,
            given_name,
            family_name,
            given_name_original,
            family_name_original,
            other_names,
            sex,
            birth_date,
            birth_date_estimated,
            place_of_birth,
            country_of_birth,
            country_of_origin,
            nationalities,
            feared_countries,
            languages,
            interpreter_needed,
            phone,
            email,
            address,
            specific_needs,
            document_type,
            document_number,
            document_issuing_country,
            document_expires_on,
        ) = self.take(cells)

        for i, name, limit in self.length_checks:
            if len(cells[i]) > limit:
                add(line, name, _("At most %(limit)s characters.") % {"limit": limit})

        person = ValidPerson()
        person.line = line
        person.household = household
        if not household:
            add(line, "household", _("Every person needs a household label."))
        relationship = relationship.lower()
        if relationship not in _RELATIONSHIPS:
            add(
                line,
                "relationship",
                _("Unknown relationship %(value)s; use one of: %(choices)s.")
                % {"value": relationship[:30], "choices": ", ".join(Relationship.values)},
            )
        person.relationship = relationship

        person.given_name = given_name
        person.family_name = family_name
        if not (given_name or family_name):
            add(line, "given_name", _("A person needs a given name or a family name."))
        person.given_name_original = given_name_original
        person.family_name_original = family_name_original
        names = [n.strip() for n in other_names.split("|") if n.strip()] if other_names else []
        if len(names) > MAX_OTHER_NAMES or any(len(n) > 200 for n in names):
            add(
                line,
                "other_names",
                _("At most %(count)s other names of 200 characters each.")
                % {"count": MAX_OTHER_NAMES},
            )
        person.other_names = names

        sex = sex.upper()
        if sex not in _SEXES:
            add(line, "sex", _("Write F, M or X."))
        person.sex = sex

        estimated = False
        if birth_date_estimated:
            try:
                estimated = _yes_no(birth_date_estimated)
            except _Invalid as exc:
                add(line, "birth_date_estimated", str(exc))
        person.birth_date, person.birth_date_precision = None, DatePrecision.EXACT
        if birth_date:
            try:
                person.birth_date, person.birth_date_precision = _partial_date(
                    birth_date, estimated
                )
            except PartialDateError as exc:
                add(line, "birth_date", str(exc))
            else:
                if person.birth_date > self.today:
                    add(line, "birth_date", _("The date of birth is in the future."))
        elif estimated:
            add(line, "birth_date", _("An estimated date of birth still needs a year."))

        person.place_of_birth = place_of_birth
        countries = self.countries
        person.country_of_birth = ""
        if country_of_birth:
            try:
                person.country_of_birth = _country(country_of_birth, countries)
            except _Invalid as exc:
                add(line, "country_of_birth", str(exc))
        person.country_of_origin = ""
        if not country_of_origin:
            add(line, "country_of_origin", _("The country of origin is required."))
        else:
            try:
                person.country_of_origin = _country(country_of_origin, countries)
            except _Invalid as exc:
                add(line, "country_of_origin", str(exc))

        person.nationalities = self.codes(line, "nationalities", nationalities, countries)
        person.feared_countries = self.codes(line, "feared_countries", feared_countries, countries)
        person.languages = self.codes(line, "languages", languages, self.languages)
        person.specific_needs = self.codes(line, "specific_needs", specific_needs, _NEEDS)

        person.interpreter_needed = False
        if interpreter_needed:
            try:
                person.interpreter_needed = _yes_no(interpreter_needed)
            except _Invalid as exc:
                add(line, "interpreter_needed", str(exc))
        person.phone = phone
        person.email = email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                add(line, "email", _("This is not an e-mail address."))
        person.address = address
        person.document = None
        if document_type or document_number or document_issuing_country or document_expires_on:
            person.document = self.document(
                line,
                document_type,
                document_number,
                document_issuing_country,
                document_expires_on,
            )

        person.folded = (_fold(given_name), _fold(family_name))
        parts = [
            person.folded[0] if given_name else "",
            person.folded[1] if family_name else "",
            _fold(given_name_original) if given_name_original else "",
            _fold(family_name_original) if family_name_original else "",
            *(_fold(n) for n in names),
        ]
        person.search_text = " | ".join(p for p in parts if p)
        return person

    def codes(self, line: int, column: str, text: str, known: frozenset[str]) -> list[str]:
        if not text:
            return []
        upper = column != "languages"
        try:
            return list(_codes(text, known, column, upper=upper))
        except _Invalid as exc:
            self.result.add(line, column, str(exc))
            return []

    def document(
        self, line: int, kind: str, number: str, issuing_country: str, expires_on: str
    ) -> DocumentInput | None:
        add = self.result.add
        ok = True
        kind = kind.lower()
        if kind not in _DOCUMENT_TYPES:
            add(
                line,
                "document_type",
                _("Unknown document type; use one of: %(choices)s.")
                % {"choices": ", ".join(IdentityDocument.Type.values)},
            )
            ok = False
        if not number:
            add(line, "document_number", _("A document needs its number."))
            ok = False
        issuing = ""
        try:
            issuing = _country(issuing_country, self.countries)
        except _Invalid as exc:
            add(line, "document_issuing_country", str(exc))
            ok = False
        expires = None
        if expires_on:
            try:
                expires = _full_date(expires_on)
            except _Invalid as exc:
                add(line, "document_expires_on", str(exc))
                ok = False
        if not ok:
            return None
        return DocumentInput(
            document_type=kind, number=number, issuing_country=issuing, expires_on=expires
        )


def _check_header(header: list[str], result: ValidationResult) -> list[str]:
    cleaned = [h.strip().lstrip("\ufeff").lower() for h in header]
    seen: set[str] = set()
    for number, name in enumerate(cleaned, start=1):
        if not name:
            result.add(1, f"#{number}", _("Column %(number)s has no name.") % {"number": number})
        elif name not in COLUMN_NAMES:
            result.add(
                1, name[:60], _("Unknown column; the template lists the columns Nansen reads.")
            )
        elif name in seen:
            result.add(1, name, _("This column appears twice."))
        seen.add(name)
    for name in COLUMN_NAMES:
        if name in REQUIRED and name not in seen:
            result.add(1, name, _("The required column is missing."))
    return cleaned


def _check_households(result: ValidationResult, by_label: dict[str, Household]) -> None:
    for household in by_label.values():
        principals = [p for p in household.members if p.relationship == Relationship.PRINCIPAL]
        if not principals:
            result.add(
                household.first_line,
                "relationship",
                _("Household %(label)s has no principal applicant.")
                % {"label": household.label[:100]},
            )
        for extra in principals[1:]:
            result.add(
                extra.line,
                "relationship",
                _("Household %(label)s already has a principal applicant (line %(line)s).")
                % {"label": household.label[:100], "line": principals[0].line},
            )
        if len(household.members) > MAX_DEPENDANTS + 1:
            result.add(
                household.first_line,
                "household",
                _("Household %(label)s has %(count)s members; a case has at most %(max)s.")
                % {
                    "label": household.label[:100],
                    "count": len(household.members),
                    "max": MAX_DEPENDANTS + 1,
                },
            )


def _check_duplicates(result: ValidationResult, persons: Iterable[ValidPerson], office) -> None:
    first_line: dict[tuple, int] = {}
    candidates: dict[tuple, ValidPerson] = {}
    for person in persons:
        if person.birth_date is None:
            continue
        key = (*person.folded, person.birth_date)
        if key in first_line:
            result.add(
                person.line,
                "given_name",
                _("Same name and date of birth as line %(line)s.") % {"line": first_line[key]},
            )
        else:
            first_line[key] = person.line
            candidates[key] = person
    for key, case_number in registered_matches(office=office, keys=candidates.keys()).items():
        result.add(
            candidates[key].line,
            "given_name",
            _("Same name and date of birth as a person already registered (case %(case)s).")
            % {"case": case_number},
        )


def validate(
    table: Table,
    *,
    office,
    max_rows: int = MAX_ROWS,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ValidationResult:
    """Check every row of ``table``; never stops at the first problem."""
    result = ValidationResult()
    header = _check_header(table.header, result)
    checker = _RowChecker(header, result)
    by_label: dict[str, Household] = {}
    persons: list[ValidPerson] = []
    for line, row in table.rows:
        result.rows += 1
        if result.rows > max_rows:
            result.add(line, "", _("The file has more than %(max)s persons.") % {"max": max_rows})
            break
        person = checker.check(line, row)
        persons.append(person)
        if not person.household:
            continue
        household = by_label.get(person.household)
        if household is None:
            household = by_label[person.household] = Household(person.household, line)
        household.members.append(person)
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress("validating", result.rows, None)
    if result.rows == 0 and result.problem_count == 0:
        result.add(2, "", _("The file has a header but no persons."))
    _check_households(result, by_label)
    _check_duplicates(result, persons, office)
    if result.ok:
        result.households = list(by_label.values())
    result.problems.sort(key=lambda p: (p.line, p.column))
    return result
