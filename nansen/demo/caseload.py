"""The demo installation and its synthetic caseload, planned without touching the database.

``plan_caseload`` turns a number of persons, a seed and the real reference data into a list
of planned cases: who is in each family, and what happened to each of their applications
(lodged, interviewed, decided, lodged again...) on which date. The same inputs always give
the same plan; ``nansen.demo.seed`` then carries it out through the real services.

Proportions come from the UNHCR data in ``nansen/data/reference/unhcr``:

- countries of origin: first-instance applications (``applied``) lodged in Japan (for the
  Tokyo and Osaka bureaus) or Malaysia (for the UNHCR office) since 2015, by ``coo_iso``;
  appeal and judicial-review rows are left out so that no one is counted twice;
- the year an application is lodged: the same applications, by year (2019 onwards);
- first-instance outcomes: ``asylum_decisions.csv`` for the same country of asylum and
  country of origin since 2015, drawn toward the country of asylum's overall proportions
  where an origin has few decisions (if that file is missing, built-in proportions).
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from nansen.accounts.roles import Role
from nansen.core.reference import STATELESS, SpecificNeed, country_codes, country_name
from nansen.demo.names import (
    NamePool,
    Rendered,
    Weighted,
    build_pools,
    feminine,
    load_name_data,
)
from nansen.demo.origins import (
    ASYLUM_PLACES,
    NONE,
    PATERNAL,
    PATRONYMIC,
    PLACES_OF_BIRTH,
    SHARED,
    Community,
    communities,
)
from nansen.procedures.models import ClosureReason, Outcome
from nansen.registration.models import DatePrecision, IdentityDocument, Relationship
from nansen.registration.services import DocumentInput, PersonInput

APPLICATIONS_FILE = Path("unhcr") / "asylum_applications.csv"
DECISIONS_FILE = Path("unhcr") / "asylum_decisions.csv"
NAMES_DIR = Path("names")
SINCE_YEAR = 2015  # origins and outcomes are counted from this year on
FIRST_LODGING_YEAR = 2019
_REVIEW_LEVELS = {"AR", "JR"}  # administrative review / appeal, judicial review


class DemoDataError(Exception):
    """The reference data the demo is built from is missing or unusable."""


# --- the installation ----------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    country: str
    timezone: str = "Asia/Tokyo"
    asylum_country: str = ""  # whose application data its caseload follows; "" = none
    share: float = 0.0  # share of the demo's cases
    registrar: str = ""  # registers cases and lodges applications
    interviewers: tuple[tuple[str, float], ...] = ()
    deciders: tuple[tuple[str, float], ...] = ()
    decision_days: int = 0  # median days from lodging to a substantive decision
    repeat_rate: float = 0.0  # share of rejected applicants who apply again


OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec(
        "TKY",
        "Tokyo Regional Immigration Bureau",
        "asylum_authority",
        "JPN",
        asylum_country="JPN",
        share=0.65,
        registrar="clerk",
        interviewers=(("officer", 0.85), ("supervisor", 0.15)),
        deciders=(("officer", 0.7), ("supervisor", 0.3)),
        decision_days=700,
        repeat_rate=0.35,
    ),
    OfficeSpec(
        "OSA",
        "Osaka Regional Immigration Bureau",
        "asylum_authority",
        "JPN",
        asylum_country="JPN",
        share=0.15,
        registrar="osaka",
        interviewers=(("osaka", 1.0),),
        deciders=(("osaka", 1.0),),
        decision_days=650,
        repeat_rate=0.3,
    ),
    OfficeSpec(
        "UNKL",
        "UNHCR Malaysia (Kuala Lumpur)",
        "unhcr_operation",
        "MYS",
        timezone="Asia/Kuala_Lumpur",
        asylum_country="MYS",
        share=0.20,
        registrar="unhcr",
        interviewers=(("unhcr", 1.0),),
        deciders=(("unhcr", 1.0),),
        decision_days=420,
        repeat_rate=0.05,
    ),
    OfficeSpec(
        "JLNR",
        "Japan Lawyers Network for Refugees (demo)",
        "legal_aid",
        "JPN",
    ),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    office: str
    roles: tuple[Role, ...]


USERS: tuple[UserSpec, ...] = (
    UserSpec("clerk", "TKY", (Role.CLERK,)),
    UserSpec("officer", "TKY", (Role.ELIGIBILITY_OFFICER,)),
    UserSpec("supervisor", "TKY", (Role.SUPERVISOR,)),
    UserSpec("appeals", "TKY", (Role.APPEALS_OFFICER,)),
    UserSpec("statistician", "TKY", (Role.STATISTICIAN,)),
    UserSpec("admin", "TKY", (Role.ADMINISTRATOR,)),
    UserSpec("auditor", "TKY", (Role.AUDITOR,)),
    UserSpec("lawyer", "JLNR", (Role.LEGAL_REPRESENTATIVE,)),
    UserSpec("osaka", "OSA", (Role.CLERK, Role.ELIGIBILITY_OFFICER)),
    UserSpec("unhcr", "UNKL", (Role.CLERK, Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR)),
)
REPRESENTATIVE = "lawyer"
REPRESENTED_OFFICE = "TKY"
REPRESENTED_CASES = 30


def office_spec(code: str) -> OfficeSpec:
    return next(o for o in OFFICES if o.code == code)


# --- reference data ------------------------------------------------------------------------

# Used only when asylum_decisions.csv is absent: Japan 2015-2025 and Malaysia (UNHCR) as the
# data has them, rounded.
_DEFAULT_OUTCOMES = {
    "JPN": {
        Outcome.RECOGNIZED: 3,
        Outcome.COMPLEMENTARY: 5,
        Outcome.REJECTED: 71,
        Outcome.CLOSED: 21,
    },
    "MYS": {
        Outcome.RECOGNIZED: 73,
        Outcome.COMPLEMENTARY: 0,
        Outcome.REJECTED: 8,
        Outcome.CLOSED: 19,
    },
}
_OUTCOME_COLUMNS = {
    Outcome.RECOGNIZED: "dec_recognized",
    Outcome.COMPLEMENTARY: "dec_other",
    Outcome.REJECTED: "dec_rejected",
    Outcome.CLOSED: "dec_closed",
}
_SMOOTHING = 30  # pseudo-decisions drawing a small origin toward the country's proportions


@dataclass(frozen=True)
class DemoData:
    origins: dict[str, Weighted[str]]  # country of asylum -> countries of origin
    origin_counts: dict[str, Counter]  # country of asylum -> applications by origin
    years: dict[str, dict[int, int]]  # country of asylum -> applications by year
    outcomes: dict[tuple[str, str], Weighted[str]]  # (asylum, origin or "") -> outcomes
    pools: dict[str, NamePool]

    def outcome_weights(self, asylum_country: str, origin: str) -> Weighted[str]:
        return self.outcomes.get((asylum_country, origin)) or self.outcomes[(asylum_country, "")]


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0


def _read_rows(path: Path, countries: set[str]):
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # Every value stays a string: "NA" is Namibia, not a missing value.
            if row.get("coa_iso") not in countries:
                continue
            if _int(row.get("year", "")) < SINCE_YEAR or row.get("dec_level") in _REVIEW_LEVELS:
                continue
            yield row


def read_applications(path: Path, countries: set[str]):
    """Applications by origin and by year, per country of asylum."""
    known = country_codes()
    by_origin: dict[str, Counter] = {c: Counter() for c in countries}
    by_year: dict[str, Counter] = {c: Counter() for c in countries}
    for row in _read_rows(path, countries):
        applied = _int(row["applied"])
        by_year[row["coa_iso"]][_int(row["year"])] += applied
        if row["coo_iso"] in known:
            by_origin[row["coa_iso"]][row["coo_iso"]] += applied
    return by_origin, by_year


def read_outcomes(path: Path, countries: set[str]) -> dict[tuple[str, str], Weighted[str]]:
    """Proportions of first-instance outcomes per country of asylum and origin."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    if path.is_file():
        for row in _read_rows(path, countries):
            for outcome, column in _OUTCOME_COLUMNS.items():
                n = _int(row[column])
                counts[(row["coa_iso"], row["coo_iso"])][outcome] += n
                counts[(row["coa_iso"], "")][outcome] += n
    weights: dict[tuple[str, str], Weighted[str]] = {}
    for country in countries:
        overall = counts.get((country, "")) or Counter(_DEFAULT_OUTCOMES[country])
        total = sum(overall.values())
        shares = {o: overall[o] / total for o in _OUTCOME_COLUMNS}
        weights[(country, "")] = Weighted.of((o, shares[o]) for o in _OUTCOME_COLUMNS)
        for (coa, coo), c in counts.items():
            if coa != country or not coo:
                continue
            n = sum(c.values())
            weights[(coa, coo)] = Weighted.of(
                (o, (c[o] + _SMOOTHING * shares[o]) / (n + _SMOOTHING)) for o in _OUTCOME_COLUMNS
            )
    return weights


def load_demo_data(data_dir: Path) -> DemoData:
    """Read the reference data the demo is built from; DemoDataError names what is missing."""
    if not data_dir.is_dir():
        raise DemoDataError(f"The reference data directory does not exist: {data_dir}")
    applications = data_dir / APPLICATIONS_FILE
    if not applications.is_file():
        raise DemoDataError(f"The UNHCR asylum applications file is missing: {applications}")
    countries = {o.asylum_country for o in OFFICES if o.asylum_country}
    by_origin, by_year = read_applications(applications, countries)
    for country, counts in by_origin.items():
        if not counts:
            raise DemoDataError(f"{applications} has no applications lodged in {country}.")
    try:
        name_data = load_name_data(data_dir / NAMES_DIR)
    except Exception as exc:  # a missing or unreadable file: say which
        raise DemoDataError(str(exc)) from exc
    return DemoData(
        origins={c: Weighted.of(sorted(n.items())) for c, n in by_origin.items()},
        origin_counts=by_origin,
        years={c: dict(n) for c, n in by_year.items()},
        outcomes=read_outcomes(data_dir / DECISIONS_FILE, countries),
        pools=build_pools(name_data),
    )


# --- the plan ------------------------------------------------------------------------------

LODGE, INTERVIEW, DECIDE, REPRESENT = "lodge", "interview", "decide", "represent"


@dataclass(frozen=True)
class Step:
    """One thing that happens to a case, in the order the services will be called."""

    kind: str
    on: date
    at: datetime  # when it was recorded (the case history's timestamp)
    actor: str
    members: tuple[int, ...] = ()  # indices into PlannedCase.members
    ordinals: tuple[tuple[int, int], ...] = ()  # (member, application number) if not next
    round: int = 1  # the member's n-th application in Nansen
    outcome: str = ""
    closure_reason: str = ""
    reasons: str = ""

    @property
    def events(self) -> int:
        """How many case events the service writes for this step."""
        return len(self.members) if self.kind == LODGE else 1


@dataclass(frozen=True)
class PlannedMember:
    relationship: str
    person: PersonInput


@dataclass(frozen=True)
class PlannedCase:
    office: str
    origin: str
    registered_on: date
    registered_at: datetime
    members: tuple[PlannedMember, ...]
    steps: tuple[Step, ...] = ()

    @property
    def last_at(self) -> datetime:
        return self.steps[-1].at if self.steps else self.registered_at


# Family shapes: (spouse, children) -> weight, per country of asylum. Most applicants in Japan
# come alone; families are larger among those registered by UNHCR in Malaysia.
_FAMILY_SHAPES = {
    "JPN": {
        (False, 0): 62,
        (True, 0): 8,
        (True, 1): 8,
        (True, 2): 8,
        (True, 3): 5,
        (True, 4): 2,
        (True, 5): 1,
        (False, 1): 3,
        (False, 2): 2,
        (False, 3): 1,
    },
    "MYS": {
        (False, 0): 42,
        (True, 0): 8,
        (True, 1): 10,
        (True, 2): 12,
        (True, 3): 10,
        (True, 4): 7,
        (True, 5): 4,
        (False, 1): 3,
        (False, 2): 2,
        (False, 3): 2,
    },
}
_CLOSURE_REASONS = Weighted.of(
    [
        (ClosureReason.WITHDRAWN, 45),
        (ClosureReason.ABANDONED, 33),
        (ClosureReason.INADMISSIBLE, 12),
        (ClosureReason.OTHER, 9),
        (ClosureReason.DECEASED, 1),
    ]
)
_GROUNDS = (
    "political opinion",
    "religion",
    "membership of a particular social group",
    "race",
    "nationality",
    "imputed political opinion",
)
_REASONS = {
    Outcome.RECOGNIZED: (
        "Credible and consistent account of past persecution for reasons of {ground}, "
        "supported by country of origin information on {country}. Well-founded fear "
        "established; no state protection and no internal protection alternative; no "
        "grounds for exclusion.",
        "Well-founded fear of persecution for reasons of {ground}. The authorities of "
        "{country} are themselves the agents of persecution; relocation is not available.",
        "Risk on return to {country} assessed as real and current; nexus to {ground} "
        "established. Recognized as a refugee under the 1951 Convention.",
    ),
    Outcome.COMPLEMENTARY: (
        "No nexus to a Convention ground established, but a real risk of serious harm "
        "from the generalized violence in {country}. Permission to stay on humanitarian "
        "grounds.",
        "Not a Convention refugee. Return to {country} would expose the applicant to "
        "serious harm; complementary protection granted.",
    ),
    Outcome.REJECTED: (
        "Material facts not accepted: the account of threats differs between registration "
        "and interview on essential points and is not supported by country of origin "
        "information on {country}.",
        "The harm feared arises from a private dispute (debt, land) without nexus to a "
        "Convention ground; state protection in {country} is available.",
        "The account is credible, but the harm feared does not reach the level of "
        "persecution, and relocation within {country} is reasonable.",
        "No well-founded fear of persecution for reasons of {ground} established; the "
        "applicant's stated reasons for leaving {country} are economic.",
    ),
}
_REPEAT_REJECTION = (
    "Repeat application: no new material facts or evidence since the previous decision; "
    "the situation in {country} has not changed in a way relevant to the claim."
)
_CLOSURE_TEXT = {
    ClosureReason.WITHDRAWN: "The applicant withdrew the application in writing.",
    ClosureReason.ABANDONED: (
        "The applicant did not attend the interview and could not be reached at the "
        "address given; the application is treated as abandoned."
    ),
    ClosureReason.INADMISSIBLE: (
        "Inadmissible: the application repeats an earlier one without new elements."
    ),
    ClosureReason.DECEASED: "The applicant has died; the file is closed.",
    ClosureReason.OTHER: "The applicant has left the country; the file is closed.",
}


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _lognormal_days(rng: random.Random, median: float, sigma: float = 0.6) -> int:
    return max(1, round(median * math.exp(rng.gauss(0, sigma))))


def _pick(rng: random.Random, pairs) -> str:
    return Weighted.of(pairs).pick(rng)


@dataclass
class _Planner:
    data: DemoData
    rng: random.Random
    today: date
    now: datetime

    # -- dates --

    def lodging_date(self, asylum_country: str) -> date:
        years = self.data.years.get(asylum_country, {})
        weights = []
        for year in range(FIRST_LODGING_YEAR, self.today.year + 1):
            if year in years:
                weight = years[year]
            else:  # not in the data yet: as many as the last year known, so far this year
                last = max((y for y in years if y < year), default=None)
                weight = years.get(last, 1) if last is not None else 1
                if year == self.today.year:
                    weight *= self.today.timetuple().tm_yday / 366
            weights.append((year, weight))
        year = Weighted.of(weights).pick(self.rng)
        start = date(year, 1, 1)
        end = min(date(year, 12, 31), self.today)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def birth(self, on: date, age: int, child: bool, born: date | None = None) -> tuple[date, str]:
        """A date of birth and how precisely it is known (a year only: 1 January)."""
        if born is None:
            born = on - timedelta(days=round(age * 365.25) + self.rng.randint(0, 364))
        born = min(born, on)
        shares = (85, 10, 5, 0) if child else (72, 15, 8, 5)
        precision = _pick(
            self.rng,
            zip(
                (
                    DatePrecision.EXACT,
                    DatePrecision.YEAR,
                    DatePrecision.ESTIMATED,
                    DatePrecision.MONTH,
                ),
                shares,
                strict=True,
            ),
        )
        if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
            born = date(born.year, 1, 1)
        elif precision == DatePrecision.MONTH:
            born = date(born.year, born.month, 1)
        return born, precision

    # -- people --

    def family_shape(self, asylum_country: str) -> tuple[bool, int]:
        shapes = _FAMILY_SHAPES[asylum_country]
        return Weighted.of(shapes.items()).pick(self.rng)

    def documents(
        self,
        asylum_country: str,
        origin: str,
        community: Community,
        born: date,
        on: date,
        age: int,
    ) -> list[DocumentInput]:
        rng = self.rng
        if community.stateless:
            return []
        in_japan = asylum_country == "JPN"
        docs = []
        if age >= 16 and rng.random() < (0.6 if in_japan else 0.2):
            issued = on - timedelta(days=rng.randint(30, 3400))
            docs.append(
                DocumentInput(
                    document_type=IdentityDocument.Type.PASSPORT,
                    number=f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(0, 9999999):07d}",
                    issuing_country=origin,
                    expires_on=issued + timedelta(days=3652 if rng.random() < 0.7 else 1826),
                )
            )
        if age >= 16 and rng.random() < (0.25 if in_japan else 0.2):
            digits = rng.choice((9, 10, 12))
            docs.append(
                DocumentInput(
                    document_type=IdentityDocument.Type.NATIONAL_ID,
                    number=str(rng.randint(10 ** (digits - 1), 10**digits - 1)),
                    issuing_country=origin,
                )
            )
        if age < 16 and rng.random() < (0.25 if in_japan else 0.1):
            docs.append(
                DocumentInput(
                    document_type=IdentityDocument.Type.BIRTH_CERTIFICATE,
                    number=f"{rng.randint(1, 99999)}/{born.year}",
                    issuing_country=origin,
                )
            )
        return docs

    def needs(self, sex: str, age: int, *, single_parent: bool, minor_alone: bool) -> list[str]:
        rng, needs = self.rng, []
        if minor_alone:
            needs.append(SpecificNeed.SEPARATED_CHILD)
        if single_parent and rng.random() < 0.5:
            needs.append(SpecificNeed.SINGLE_PARENT)
        if sex == "F" and age >= 18 and rng.random() < (0.25 if single_parent else 0.03):
            needs.append(SpecificNeed.WOMAN_AT_RISK)
        if sex == "F" and 18 <= age <= 42 and rng.random() < 0.04:
            needs.append(SpecificNeed.PREGNANT_OR_LACTATING)
        if age >= 60 and rng.random() < 0.3:
            needs.append(SpecificNeed.OLDER_PERSON_AT_RISK)
        if age < 18 and rng.random() < 0.03:
            needs.append(SpecificNeed.CHILD_AT_RISK)
        for need, rate in (
            (SpecificNeed.TORTURE, 0.03 if age >= 18 else 0),
            (SpecificNeed.SERIOUS_MEDICAL, 0.03),
            (SpecificNeed.DISABILITY, 0.02),
            (SpecificNeed.SGBV, 0.03 if sex == "F" and age >= 16 else 0),
            (SpecificNeed.LEGAL_PHYSICAL_PROTECTION, 0.015 if age >= 18 else 0),
        ):
            if rng.random() < rate:
                needs.append(need)
        return needs

    def plan_family(self, office: OfficeSpec, remaining: int, registered_on: date) -> tuple:
        rng, asylum = self.rng, office.asylum_country
        origin = self.data.origins[asylum].pick(rng)
        community = Weighted.of(communities(origin, asylum)).pick(rng)
        pool = self.data.pools[community.pool]
        spouse, children = self.family_shape(asylum)
        if remaining < 1 + spouse + children:
            spouse = spouse and remaining >= 2
            children = max(0, remaining - 1 - spouse)
        single_parent = not spouse and children > 0
        minor_alone = not spouse and not children and asylum == "MYS" and rng.random() < 0.04

        # Sexes and ages at registration.
        if single_parent:
            p_sex = "F" if rng.random() < 0.8 else "M"
        else:
            p_sex = "M" if rng.random() < 0.58 else "F"
        if minor_alone:
            p_age = rng.randint(15, 17)
        else:
            p_age = round(rng.triangular(18, 66, 31))
            if children:
                p_age = max(p_age, 20 + children)
        people = [(Relationship.PRINCIPAL, p_sex, p_age)]
        if spouse:
            gap = rng.randint(-2, 8)
            s_age = max(18, p_age - gap if p_sex == "M" else p_age + gap)
            people.append((Relationship.SPOUSE, "F" if p_sex == "M" else "M", s_age))
        # Children: the eldest at least 18 years younger than the younger parent, the next
        # ones born one to four years apart (twins when time runs out).
        youngest_parent = min(age for _r, _s, age in people)
        max_child_age = max(0, min(17, youngest_parent - 18))
        child_births: dict[int, date] = {}
        if children:
            eldest = rng.randint(min(max_child_age, 2 * (children - 1)), max_child_age)
            born = registered_on - timedelta(days=round(eldest * 365.25) + rng.randint(0, 364))
        for _child in range(children):
            child_births[len(people)] = born
            sex = "F" if rng.random() < 0.49 else "M"
            people.append((Relationship.CHILD, sex, _age_on(born, registered_on)))
            following = born + timedelta(days=rng.randint(420, 1460))
            if following <= registered_on:
                born = following

        names = self.family_names(pool, community, people)
        languages = [_pick(rng, community.languages)]
        extra = [lang for lang in community.second_languages if lang not in languages]
        if extra and rng.random() < 0.35:
            languages.append(rng.choice(extra))
        interpreter = rng.random() < community.interpreter_rate
        places = community.places or PLACES_OF_BIRTH.get(origin, ())
        arrived_on = registered_on - timedelta(
            days=rng.randint(3, 700) if asylum == "JPN" else rng.randint(20, 2500)
        )
        nationalities = [STATELESS] if community.stateless else [origin]

        members = []
        twins: dict[date | None, tuple[date, str]] = {}
        for index, ((relationship, sex, age), (given, family, alias)) in enumerate(
            zip(people, names, strict=True)
        ):
            child = relationship == Relationship.CHILD
            planned = child_births.get(index)
            if planned is not None and planned in twins:
                born, precision = twins[planned]  # twins: the same date, as precisely known
            else:
                born, precision = self.birth(registered_on, age, child, planned)
                twins[planned] = (born, precision)
            born_here = child and born > arrived_on
            if born_here:
                birth_country = office.country
                place = rng.choice(ASYLUM_PLACES[office.country])
            else:
                birth_country = origin if rng.random() < 0.95 else ""
                place = rng.choice(places) if places and rng.random() < 0.85 else ""
            given_orig, family_orig = given.original, family.original if family else ""
            family_latin = family.latin if family else ""
            if given_orig == given.latin and family_orig == family_latin:
                given_orig = family_orig = ""  # the original script is Latin: nothing to add
            person = PersonInput(
                given_name=given.latin,
                family_name=family_latin,
                given_name_original=given_orig,
                family_name_original=family_orig,
                other_names=[alias] if alias else [],
                sex=sex,
                birth_date=born,
                birth_date_precision=precision,
                place_of_birth=place,
                country_of_birth=birth_country if birth_country != STATELESS else "",
                country_of_origin=origin,
                nationalities=list(nationalities),
                languages=list(languages),
                interpreter_needed=interpreter,
                specific_needs=self.needs(
                    sex,
                    age,
                    single_parent=single_parent and relationship == "principal",
                    minor_alone=minor_alone,
                ),
                documents=self.documents(asylum, origin, community, born, registered_on, age),
            )
            members.append(PlannedMember(relationship, person))
        return origin, tuple(members), [age for _r, _s, age in people]

    def family_names(self, pool: NamePool, community: Community, people) -> list:
        """(given, family, alias) per person, following the community's naming."""
        rng = self.rng
        givens = [pool.given(rng, sex) for _r, sex, _a in people]
        convention = community.convention
        if convention != NONE and rng.random() >= community.family_name_rate:
            convention = NONE
        if pool.family is None and convention != PATRONYMIC:
            convention = NONE
        principal_sex = people[0][1]
        father = next(
            (i for i, (r, s, _a) in enumerate(people) if r != Relationship.CHILD and s == "M"),
            None,
        )

        def own(sex: str) -> Rendered | None:
            if convention == PATRONYMIC:
                # The person's father's given name (Tamil: from a list of older names).
                return pool.family_name(rng, "M") if pool.family else pool.given(rng, "M")
            return pool.family_name(rng, sex)

        def for_sex(name: Rendered | None, sex: str) -> Rendered | None:
            if name is None or sex != "F":
                return name
            if pool.family_female is not None:
                return pool.family_name(rng, "F")
            return feminine(name) if pool.slavic else name

        families: list[Rendered | None] = []
        if convention == NONE:
            families = [None] * len(people)
        else:
            if convention == PATRONYMIC:
                line = givens[father] if father is not None else pool.given(rng, "M")
            else:  # the father's family name, or (no father in the case) the mother's
                line = own("M") if father is not None or principal_sex == "M" else own("F")
            for index, (relationship, sex, _age) in enumerate(people):
                if relationship == Relationship.CHILD:
                    families.append(for_sex(line, sex) if convention != PATRONYMIC else line)
                elif convention == PATRONYMIC:
                    families.append(own(sex))
                elif (
                    index == father
                    or (father is None and index == 0)
                    or (convention == SHARED and rng.random() < 0.8)
                ):
                    families.append(for_sex(line, sex))
                else:  # PATERNAL (or SHARED, sometimes): the spouse keeps her own name
                    families.append(own(sex))
            if convention == PATERNAL and father is None and principal_sex == "F":
                # A mother alone: the children carry their (absent) father's family name.
                line = own("M")
                families = [
                    line if r == Relationship.CHILD else f
                    for (r, _s, _a), f in zip(people, families, strict=True)
                ]

        result = []
        for index, (given, family) in enumerate(zip(givens, families, strict=True)):
            keep = convention == PATRONYMIC and index == father  # the children's family name
            if family is not None and given.latin == family.latin and not keep:
                given = pool.given(rng, people[index][1])  # Ahmed Ahmed: draw again, once
            alias = ""
            if pool.data_backed and rng.random() < 0.12:
                respelled = " ".join(
                    p for p in (given.respelled(rng), family.respelled(rng) if family else "") if p
                )
                current = " ".join(p for p in (given.latin, family.latin if family else "") if p)
                if respelled != current:
                    alias = respelled
            result.append((given, family, alias))
        return result

    # -- procedure --

    def outcome(self, asylum: str, origin: str, round_: int, ordinal: int) -> tuple[str, str]:
        weights = self.data.outcome_weights(asylum, origin)
        outcome = weights.pick(self.rng)
        positive = outcome in (Outcome.RECOGNIZED, Outcome.COMPLEMENTARY)
        if ordinal > 1 and positive and self.rng.random() < 0.5:
            outcome = Outcome.REJECTED  # repeat applications succeed less often
        reason = ""
        if outcome == Outcome.CLOSED:
            reason = _CLOSURE_REASONS.pick(self.rng)
            if ordinal > 1 and self.rng.random() < 0.4:
                reason = ClosureReason.INADMISSIBLE
            elif ordinal == 1 and reason == ClosureReason.INADMISSIBLE:
                reason = ClosureReason.WITHDRAWN
        return outcome, reason

    def reasons(self, outcome: str, closure_reason: str, origin: str, ordinal: int) -> str:
        if outcome == Outcome.CLOSED:
            return _CLOSURE_TEXT[closure_reason]
        if outcome == Outcome.REJECTED and ordinal > 1 and self.rng.random() < 0.6:
            template = _REPEAT_REJECTION
        else:
            template = self.rng.choice(_REASONS[outcome])
        return template.format(country=country_name(origin), ground=self.rng.choice(_GROUNDS))

    def plan_procedure(
        self,
        office: OfficeSpec,
        origin: str,
        members: tuple[PlannedMember, ...],
        ages: list[int],
        lodged_on: date,
    ) -> list[tuple[date, Step]]:
        rng, asylum = self.rng, office.asylum_country
        applying = [
            i
            for i, m in enumerate(members)
            if m.relationship == Relationship.PRINCIPAL
            or rng.random() < (0.85 if m.relationship == Relationship.SPOUSE else 0.7)
        ]
        steps: list[Step] = []
        offset = 0
        if asylum == "JPN":  # applications made before the bureau used Nansen
            offset = _pick(rng, [(0, 92), (1, 7), (2, 1)])
        round_, members_now = 1, applying
        while members_now and lodged_on <= self.today:
            ordinal = round_ + offset
            steps.append(
                Step(
                    LODGE,
                    lodged_on,
                    self.now,
                    office.registrar,
                    members=tuple(members_now),
                    ordinals=tuple((i, ordinal) for i in members_now) if offset else (),
                    round=round_,
                )
            )
            lead_outcome, lead_reason = self.outcome(asylum, origin, round_, ordinal)
            fast = lead_outcome == Outcome.CLOSED
            delay = _lognormal_days(rng, office.decision_days * (0.4 if fast else 1.0))
            decided_on = lodged_on + timedelta(days=max(20, delay))
            rejected = []
            for position, i in enumerate(members_now):
                if position == 0 or rng.random() < 0.9:
                    outcome, reason = lead_outcome, lead_reason
                else:
                    outcome, reason = self.outcome(asylum, origin, round_, ordinal)
                on = (
                    decided_on
                    if position == 0 or rng.random() < 0.9
                    else (decided_on + timedelta(days=rng.randint(1, 30)))
                )
                interviewed = (
                    ages[i] >= 14
                    and reason != ClosureReason.ABANDONED
                    and rng.random() < (0.5 if reason == ClosureReason.WITHDRAWN else 0.92)
                )
                if interviewed:
                    interview_on = lodged_on + timedelta(
                        days=_lognormal_days(rng, office.decision_days / 4)
                    )
                    if interview_on >= on:
                        span = (on - lodged_on).days
                        interview_on = lodged_on + timedelta(days=int(span * rng.uniform(0.3, 0.8)))
                    if interview_on <= self.today:
                        steps.append(
                            Step(
                                INTERVIEW,
                                interview_on,
                                self.now,
                                _pick(rng, office.interviewers),
                                members=(i,),
                                round=round_,
                            )
                        )
                if on > self.today:
                    continue
                steps.append(
                    Step(
                        DECIDE,
                        on,
                        self.now,
                        _pick(rng, office.deciders),
                        members=(i,),
                        round=round_,
                        outcome=outcome,
                        closure_reason=reason,
                        reasons=self.reasons(outcome, reason, origin, ordinal),
                    )
                )
                if outcome == Outcome.REJECTED:
                    rejected.append((i, on))
            if not rejected or ordinal >= 3 or rng.random() >= office.repeat_rate:
                break
            round_ += 1
            members_now = [i for i, _on in rejected]
            lodged_on = max(on for _i, on in rejected) + timedelta(days=rng.randint(20, 300))
        return steps

    def timestamps(self, office: OfficeSpec, registered_on: date, steps: list[Step]):
        """Office-hours timestamps in the office's time zone, in order, never in the future."""
        zone = ZoneInfo(office.timezone)
        rng = self.rng
        ordered = sorted(steps, key=lambda s: s.on)  # stable: same-day steps keep their order
        day, moment = (
            registered_on,
            datetime.combine(registered_on, time(9), tzinfo=zone)
            + timedelta(minutes=rng.randint(0, 360)),
        )
        registered_at = min(moment, self.now)
        timed = []
        for step in ordered:
            if step.on != day:
                day = step.on
                moment = datetime.combine(day, time(9), tzinfo=zone) + timedelta(
                    minutes=rng.randint(0, 360)
                )
            else:
                moment += timedelta(minutes=rng.randint(2, 40))
            timed.append(replace(step, at=min(moment, self.now)))
        return registered_at, timed


def plan_caseload(
    data: DemoData, *, persons: int, seed: int, today: date, now: datetime
) -> list[PlannedCase]:
    """The demo's cases, in the order they were registered. Deterministic for a given seed,
    date and data."""
    rng = random.Random(seed)
    planner = _Planner(data, rng, today, now)
    offices = Weighted.of((o, o.share) for o in OFFICES if o.share)
    drafts = []
    remaining = persons
    while remaining > 0:
        office = offices.pick(rng)
        lodges = rng.random() < 0.95
        lodged_on = planner.lodging_date(office.asylum_country)
        if lodges:
            registered_on = lodged_on - timedelta(
                days=0 if rng.random() < 0.7 else rng.randint(1, 14)
            )
        else:  # registered in the last weeks; nothing lodged yet
            registered_on = today - timedelta(days=rng.randint(0, 45))
        origin, members, ages = planner.plan_family(office, remaining, registered_on)
        remaining -= len(members)
        steps = planner.plan_procedure(office, origin, members, ages, lodged_on) if lodges else []
        drafts.append((office, origin, registered_on, members, steps))

    # The lawyer takes on some of the Tokyo cases with an application lodged.
    candidates = [
        d for d in drafts if d[0].code == REPRESENTED_OFFICE and any(s.kind == LODGE for s in d[4])
    ]
    count = min(REPRESENTED_CASES, max(1, len(candidates) // 3)) if candidates else 0
    for draft in rng.sample(candidates, count):
        office, steps = draft[0], draft[4]
        first = next(s for s in steps if s.kind == LODGE)
        on = min(first.on + timedelta(days=rng.randint(0, 90)), today)
        steps.append(Step(REPRESENT, on, now, office.registrar))

    cases = []
    for office, origin, registered_on, members, steps in drafts:
        registered_at, timed = planner.timestamps(office, registered_on, steps)
        cases.append(
            PlannedCase(
                office=office.code,
                origin=origin,
                registered_on=registered_on,
                registered_at=registered_at,
                members=members,
                steps=tuple(timed),
            )
        )
    cases.sort(key=lambda c: (c.registered_on, c.registered_at))
    return cases


@dataclass
class PlanSummary:
    cases: int = 0
    persons: int = 0
    applications: int = 0
    decisions: Counter = field(default_factory=Counter)


def summarize(cases: list[PlannedCase]) -> PlanSummary:
    summary = PlanSummary(cases=len(cases))
    for case in cases:
        summary.persons += len(case.members)
        for step in case.steps:
            if step.kind == LODGE:
                summary.applications += len(step.members)
            elif step.kind == DECIDE:
                summary.decisions[step.outcome] += 1
    return summary
