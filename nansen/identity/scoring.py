"""The scoring model: a Fellegi-Sunter model whose comparisons are written once, as data.

Each comparison level carries both its SQL condition (what Splink runs in DuckDB for the
batch, training and charts) and the same test in Python (what the registration check,
lodging and ``score-pairs`` run on a few candidates, where building a Splink linker would
cost more than the whole answer). The m and u probabilities come from a Splink model: the
one shipped in ``data/model.json`` (trained with Splink on the transliteration benchmark) or
one trained on the office's own registry with ``nansen identity train``.

Evidence adds up as match weights (log2 Bayes factors). A common name weighs less than a
rare one: on the "same name" levels the weight uses the name's frequency in the registry,
and on the "same family members" level the household's (Splink's term-frequency
adjustment, computed the same way here).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from nansen.identity.match_records import MatchRecord

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model.json"
FUZZY_TOKEN = 0.88  # Jaro-Winkler above which two name tokens are near spellings
LOOSE_TOKEN = 0.75  # ... and below which they are different names (Karimi, Jafari)
NEAR_BIRTH = timedelta(days=730)


@dataclass(frozen=True)
class Level:
    key: str
    label: object  # a lazily translated string
    sql: str
    test: Callable[[MatchRecord, MatchRecord], bool]
    m: float = 0.5
    u: float = 0.5
    tf_column: str = ""


@dataclass(frozen=True)
class Comparison:
    key: str
    label: object
    null_sql: str
    is_null: Callable[[MatchRecord, MatchRecord], bool]
    levels: tuple[Level, ...]  # the last one is "everything else"

    def level_of(self, a: MatchRecord, b: MatchRecord) -> Level | None:
        if self.is_null(a, b):
            return None
        for level in self.levels:
            if level.test(a, b):
                return level
        return self.levels[-1]


def _fuzzy_count(a: MatchRecord, b: MatchRecord, cutoff: float = FUZZY_TOKEN) -> int:
    """How many of ``a``'s names have a spelling of ``b`` at least ``cutoff`` alike."""
    return sum(
        1
        for x in a.names.spellings
        if any(JaroWinkler.similarity(x, y) >= cutoff for y in b.names.spellings)
    )


def _similar(a: MatchRecord, b: MatchRecord) -> bool:
    shorter = min(len(a.names.spellings), len(b.names.spellings))
    return (
        shorter > 0
        and _fuzzy_count(a, b) >= min(2, shorter)
        and (shorter < 3 or _fuzzy_count(a, b, LOOSE_TOKEN) >= shorter)
    )


def _both(value: Callable[[MatchRecord], object]) -> Callable[[MatchRecord, MatchRecord], bool]:
    return lambda a, b: not value(a) or not value(b)


def _subset(x: frozenset | set, y: frozenset | set) -> bool:
    return bool(x) and bool(y) and len(x & y) >= min(len(x), len(y))


def _birth_typo(a: MatchRecord, b: MatchRecord) -> bool:
    x, y = a.birth.low, b.birth.low
    swapped = x.year == y.year and x.month == y.day and x.day == y.month
    return swapped or DamerauLevenshtein.distance(x.isoformat(), y.isoformat()) <= 1


def _overlap(a: MatchRecord, b: MatchRecord) -> bool:
    return a.birth.low <= b.birth.high and b.birth.low <= a.birth.high


def _span(a: MatchRecord, b: MatchRecord) -> int:
    """Days allowed by the wider of the two dates of birth."""
    return max((a.birth.high - a.birth.low).days, (b.birth.high - b.birth.low).days)


_OVERLAP = "birth_low_l <= birth_high_r AND birth_low_r <= birth_high_l"
_SPAN = "greatest(birth_high_l - birth_low_l, birth_high_r - birth_low_r)"

_SPELL_SUBSET = (
    "len(list_intersect(spellings_l, spellings_r)) >= "
    "least(len(list_distinct(spellings_l)), len(list_distinct(spellings_r)))"
)


def _covers(x: frozenset, y: frozenset) -> bool:
    """Every name of ``x`` is in ``y``; an initial (A., J.-C.) stands for a name of ``y``
    that begins with it."""
    return all(s in y or (len(s) == 1 and any(t.startswith(s) for t in y)) for s in x)


def _sounds_alike(a: MatchRecord, b: MatchRecord) -> bool:
    x, y = a.names.skeletons, b.names.skeletons
    if x and y and (_covers(x, y) or _covers(y, x)):
        return True
    return bool(a.names.joined) and a.names.joined == b.names.joined


def _covers_sql(x: str, y: str) -> str:
    return (
        f"len(list_filter({x}, lambda s: list_contains({y}, s) OR (len(s) = 1 AND "
        f"list_bool_or(list_transform({y}, lambda t: starts_with(t, s)))))) = len({x})"
    )


_SKEL_SUBSET = (
    f"({_covers_sql('skeletons_l', 'skeletons_r')}) OR "
    f"({_covers_sql('skeletons_r', 'skeletons_l')}) OR name_joined_l = name_joined_r"
)


def _fuzzy_count_sql(cutoff: float) -> str:
    return (
        "len(list_filter(spellings_l, lambda x: list_bool_or(list_transform(spellings_r, "
        f"lambda y: jaro_winkler_similarity(x, y) >= {cutoff}))))"
    )


# With two names or fewer on one side, two near spellings are all of them: the loose test
# is read only for longer names. Written as CASE, which DuckDB evaluates branch by branch
# on the rows that reach it (the Jaro-Winkler lists are much of the scoring's time).
_SHORTER = "least(len(spellings_l), len(spellings_r))"
_FUZZY = (
    f"CASE WHEN {_fuzzy_count_sql(FUZZY_TOKEN)} >= least(2, {_SHORTER}) THEN "
    f"CASE WHEN {_SHORTER} < 3 THEN true "
    f"ELSE {_fuzzy_count_sql(LOOSE_TOKEN)} >= {_SHORTER} END ELSE false END"
)
_FUZZY_TWO = f"CASE WHEN {_SHORTER} >= 3 THEN {_fuzzy_count_sql(FUZZY_TOKEN)} >= 2 ELSE false END"

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        _("Name"),
        "(spellings_l IS NULL AND skeletons_l IS NULL) OR "
        "(spellings_r IS NULL AND skeletons_r IS NULL)",
        lambda a, b: (
            not (a.names.spellings or a.names.skeletons)
            or not (b.names.spellings or b.names.skeletons)
        ),
        (
            Level(
                "same",
                _("same name"),
                "name_sig_l = name_sig_r",
                lambda a, b: bool(a.names.signature) and a.names.signature == b.names.signature,
                0.55,
                0.0005,
                "name_sig",
            ),
            Level(
                "subset",
                _("same names, one record has more"),
                _SPELL_SUBSET,
                lambda a, b: _subset(set(a.names.spellings), set(b.names.spellings)),
                0.15,
                0.001,
                "name_sig",
            ),
            Level(
                "sounds_alike",
                _("names spelled differently, same sounds"),
                _SKEL_SUBSET,
                _sounds_alike,
                0.15,
                0.003,
                "name_sig",
            ),
            # Two names (or the one) near spellings of the other's, and every name of the
            # shorter name at least loosely alike (typing errors, a missing middle name).
            Level("similar", _("similar names"), _FUZZY, _similar, 0.08, 0.005),
            # Two names alike but another clearly different (Mohamed Ali Karimi, Ali
            # Mohamed Jafari): two common names shared, the family name not; at a million
            # persons these are mostly namesakes, so this level weighs less than the one
            # above.
            Level(
                "two_similar",
                _("two names similar, another different"),
                _FUZZY_TWO,
                lambda a, b: (
                    min(len(a.names.spellings), len(b.names.spellings)) >= 3
                    and _fuzzy_count(a, b) >= 2
                ),
                0.04,
                0.01,
            ),
            Level(
                "one_in_common",
                _("one name in common"),
                "len(list_intersect(skeletons_l, skeletons_r)) >= 1",
                lambda a, b: bool(a.names.skeletons & b.names.skeletons),
                0.05,
                0.05,
            ),
            Level("different", _("different names"), "ELSE", lambda a, b: True, 0.02, 0.94),
        ),
    ),
    Comparison(
        "birth",
        _("Date of birth"),
        "birth_low_l IS NULL OR birth_low_r IS NULL",
        lambda a, b: a.birth is None or b.birth is None,
        (
            Level(
                "same_day",
                _("same date of birth"),
                "birth_exact_l AND birth_exact_r AND birth_low_l = birth_low_r",
                lambda a, b: a.birth.exact and b.birth.exact and a.birth.low == b.birth.low,
                0.6,
                0.0001,
            ),
            Level(
                "typo",
                _("dates of birth one typing error apart"),
                "birth_exact_l AND birth_exact_r AND ("
                "damerau_levenshtein(CAST(birth_low_l AS VARCHAR), CAST(birth_low_r AS VARCHAR))"
                " <= 1 OR (year(birth_low_l) = year(birth_low_r) AND "
                "month(birth_low_l) = day(birth_low_r) AND day(birth_low_l) = month(birth_low_r)))",
                lambda a, b: a.birth.exact and b.birth.exact and _birth_typo(a, b),
                0.08,
                0.002,
            ),
            # An approximate date allowing the other says more the narrower it is (two
            # strangers of the training registry: the same month once in 7,700 pairs, the
            # same year once in 150, a five-year estimate once in 80).
            Level(
                "same_month",
                _("the same month of birth (the day not known on one record)"),
                f"{_OVERLAP} AND {_SPAN} <= 31",
                lambda a, b: _overlap(a, b) and _span(a, b) <= 31,
                0.05,
                0.0002,
            ),
            Level(
                "same_year",
                _("the same year of birth (the day not known on one record)"),
                f"{_OVERLAP} AND {_SPAN} <= 366",
                lambda a, b: _overlap(a, b) and _span(a, b) <= 366,
                0.4,
                0.007,
            ),
            Level(
                "within_range",
                _("an approximate date of birth allows the other"),
                _OVERLAP,
                _overlap,
                0.15,
                0.012,
            ),
            Level(
                "near",
                _("dates of birth within two years"),
                "birth_low_l <= birth_high_r + INTERVAL 730 DAY AND "
                "birth_low_r <= birth_high_l + INTERVAL 730 DAY",
                lambda a, b: (
                    a.birth.low <= b.birth.high + NEAR_BIRTH
                    and b.birth.low <= a.birth.high + NEAR_BIRTH
                ),
                0.05,
                0.08,
            ),
            Level("different", _("different dates of birth"), "ELSE", lambda a, b: True, 0.02, 0.9),
        ),
    ),
    Comparison(
        "sex",
        _("Sex"),
        "sex_l IS NULL OR sex_r IS NULL",
        _both(lambda r: r.sex),
        (
            Level("same", _("same sex"), "sex_l = sex_r", lambda a, b: a.sex == b.sex, 0.97, 0.5),
            # A clerk's error or a change of recorded sex: rare. Registries with labels
            # seldom hold enough such pairs to estimate it, so this starting value stays.
            Level("different", _("different sex"), "ELSE", lambda a, b: True, 0.01, 0.5),
        ),
    ),
    Comparison(
        "nationality",
        _("Nationality"),
        "nationalities_l IS NULL OR nationalities_r IS NULL",
        _both(lambda r: r.nationalities),
        (
            Level(
                "shared",
                _("a nationality in common"),
                "len(list_intersect(nationalities_l, nationalities_r)) > 0",
                lambda a, b: bool(a.nationalities & b.nationalities),
                0.95,
                0.2,
            ),
            Level("different", _("different nationalities"), "ELSE", lambda a, b: True, 0.05, 0.8),
        ),
    ),
    Comparison(
        "place",
        _("Place of birth"),
        "place_l IS NULL OR place_r IS NULL",
        _both(lambda r: r.place),
        (
            Level(
                "same",
                _("same place of birth"),
                "jaro_winkler_similarity(place_l, place_r) >= 0.9",
                lambda a, b: JaroWinkler.similarity(a.place, b.place) >= 0.9,
                0.8,
                0.05,
            ),
            Level(
                "different", _("different places of birth"), "ELSE", lambda a, b: True, 0.2, 0.95
            ),
        ),
    ),
    Comparison(
        "document",
        _("Identity document"),
        "documents_l IS NULL OR documents_r IS NULL",
        _both(lambda r: r.documents),
        (
            Level(
                "same",
                _("same document (type, number and issuing country)"),
                "len(list_intersect(documents_l, documents_r)) > 0",
                lambda a, b: bool(a.documents & b.documents),
                0.7,
                0.00001,
            ),
            Level(
                "conflict",
                _("documents of the same kind with different numbers"),
                "len(list_intersect(document_kinds_l, document_kinds_r)) > 0",
                lambda a, b: bool(a.document_kinds & b.document_kinds),
                0.05,
                0.6,
            ),
            Level("other", _("documents of other kinds"), "ELSE", lambda a, b: True, 0.1, 0.4),
        ),
    ),
    Comparison(
        "family",
        _("Family members"),
        "family_l IS NULL OR family_r IS NULL",
        _both(lambda r: r.family),
        (
            # Relatives registered together are the likeliest false match: same family
            # name, same father's name, the same family members named; but each one's
            # list names the other, and their own given names differ.
            Level(
                "relative",
                _("each record names the other among its family members"),
                "given_sk_l <> given_sk_r AND list_contains(family_r, given_sk_l) "
                "AND list_contains(family_l, given_sk_r)",
                lambda a, b: bool(
                    a.given
                    and b.given
                    and a.given != b.given
                    and a.given in b.family
                    and b.given in a.family
                ),
                0.02,
                0.02,
            ),
            # The same relatives, all of them (``match_records.household_key``: two or more). As
            # with names, a household of common names (Mohammed and Fatima) weighs less
            # than one of rare names: the adjustment uses how many records name exactly it.
            Level(
                "household",
                _("the same family members named"),
                "household_l = household_r",
                lambda a, b: bool(a.household) and a.household == b.household,
                0.75,
                0.00005,
                "household",
            ),
            # The lists differ, and one names the other's given name (the other's list
            # misspells it, or was written before a sibling was born): brothers and sisters
            # registered with one family, far more often than one person whose names were
            # written in another order (Mohsen Jafar, whose list names his father Mohsen;
            # with the same relatives named both ways, that is the household level above).
            Level(
                "named",
                _("one record names the other among its family members"),
                "given_sk_l <> given_sk_r AND (list_contains(family_r, given_sk_l) "
                "OR list_contains(family_l, given_sk_r))",
                lambda a, b: bool(
                    a.given
                    and b.given
                    and a.given != b.given
                    and (a.given in b.family or b.given in a.family)
                ),
                0.02,
                0.05,
            ),
            # Most of each list: a record naming two relatives is not the same person as
            # one naming those two among five (a parent and a child, or namesakes).
            Level(
                "most",
                _("most family members' names in common"),
                "len(list_intersect(family_l, family_r)) >= "
                "greatest(2, 0.75 * greatest(len(family_l), len(family_r)))",
                lambda a, b: (
                    len(a.family & b.family) >= max(2, 0.75 * max(len(a.family), len(b.family)))
                ),
                0.5,
                0.002,
            ),
            Level(
                "several",
                _("several family members' names in common"),
                "len(list_intersect(family_l, family_r)) >= 2",
                lambda a, b: len(a.family & b.family) >= 2,
                0.6,
                0.01,
            ),
            # A couple or a parent with one child: each record names one relative, the same.
            Level(
                "only",
                _("the one family member named is the same"),
                "len(family_l) = 1 AND len(family_r) = 1 AND family_l = family_r",
                lambda a, b: len(a.family) == 1 and a.family == b.family,
                0.3,
                0.01,
            ),
            Level(
                "shared",
                _("a family member's name in common"),
                "len(list_intersect(family_l, family_r)) > 0",
                lambda a, b: bool(a.family & b.family),
                0.3,
                0.05,
            ),
            Level(
                "different", _("no family member in common"), "ELSE", lambda a, b: True, 0.15, 0.95
            ),
        ),
    ),
)

BY_KEY = {c.key: c for c in COMPARISONS}

# The value whose frequency in the registry adjusts a level (``Level.tf_column``).
TERMS: dict[str, Callable[[MatchRecord], str]] = {
    "name_sig": lambda r: r.names.signature,
    "household": lambda r: r.household,
}


# --- Splink settings -----------------------------------------------------------------------


def splink_comparisons(parameters: Mapping | None = None) -> list[dict]:
    """The comparisons as Splink comparison dictionaries, with m and u from ``parameters``
    (a trained model) or the starting values above."""
    out = []
    for comparison in COMPARISONS:
        levels: list[dict] = [
            {
                "sql_condition": comparison.null_sql,
                "label_for_charts": f"{comparison.key} missing",
                "is_null_level": True,
            }
        ]
        for level in comparison.levels:
            m, u = (parameters or {}).get((comparison.key, level.key), (level.m, level.u))
            entry = {
                "sql_condition": level.sql,
                "label_for_charts": level.key,
                "m_probability": m,
                "u_probability": u,
            }
            if level.tf_column:
                entry |= {"tf_adjustment_column": level.tf_column, "tf_adjustment_weight": 1.0}
            levels.append(entry)
        out.append(
            {
                "output_column_name": comparison.key,
                "comparison_description": comparison.key,
                "comparison_levels": levels,
            }
        )
    return out


# --- the model in Python ---------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    comparison: Comparison
    level: Level | None
    weight: float

    @property
    def agrees(self) -> bool | None:
        if self.level is None or abs(self.weight) < 0.5:
            return None
        return self.weight > 0


@dataclass(frozen=True)
class Score:
    weight: float
    evidence: tuple[Evidence, ...]

    @property
    def probability(self) -> float:
        if self.weight > 60:
            return 1.0
        odds = 2.0**self.weight
        return odds / (1 + odds)

    def explain(self) -> dict:
        return {
            e.comparison.key: {
                "level": e.level.key if e.level else None,
                "weight": round(e.weight, 2),
            }
            for e in self.evidence
        }


@dataclass(frozen=True)
class ScoringModel:
    prior: float  # probability that two random records are the same person
    parameters: Mapping[tuple[str, str], tuple[float, float]]
    threshold: float  # match probability from which a pair counts as a match
    review_threshold: float  # from which a pair goes to a person for review

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def level_weight(self, comparison: Comparison, level: Level) -> float:
        m, u = self.parameters.get((comparison.key, level.key), (level.m, level.u))
        return math.log2(max(m, 1e-9) / max(u, 1e-12))

    def score(
        self,
        a: MatchRecord,
        b: MatchRecord,
        *,
        frequency: Callable[[str, str], float] | None = None,
    ) -> Score:
        """Compare two records. ``frequency(column, value)`` gives the share of the
        registry's records with that exact value (term frequency: ``TERMS``); without it no
        adjustment is made."""
        evidence = []
        total = self.prior_weight
        for comparison in COMPARISONS:
            level = comparison.level_of(a, b)
            weight = 0.0 if level is None else self.level_weight(comparison, level)
            if level is not None and level.tf_column and frequency is not None:
                value = TERMS[level.tf_column]
                tf = max(frequency(level.tf_column, value(a)), frequency(level.tf_column, value(b)))
                # As Splink: the u of the exact-match level over the value's frequency.
                exact = next(lv for lv in comparison.levels if lv.tf_column == level.tf_column)
                u = self.parameters.get((comparison.key, exact.key), (exact.m, exact.u))[1]
                if tf > 0:
                    weight += math.log2(u / tf)
            evidence.append(Evidence(comparison, level, weight))
            total += weight
        return Score(total, tuple(evidence))

    @classmethod
    def from_splink(
        cls, settings: Mapping, *, threshold: float, review_threshold: float
    ) -> ScoringModel:
        parameters = {}
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level") or "m_probability" not in level:
                    continue
                parameters[(comparison["output_column_name"], level["label_for_charts"])] = (
                    level["m_probability"],
                    level["u_probability"],
                )
        return cls(
            prior=settings["probability_two_random_records_match"],
            parameters=parameters,
            threshold=threshold,
            review_threshold=review_threshold,
        )


def model_from_json(text: str) -> ScoringModel:
    data = json.loads(text)
    return ScoringModel.from_splink(
        data["splink"],
        threshold=data.get("threshold", 0.9),
        review_threshold=data.get("review_threshold", 0.5),
    )


@cache
def packaged_model() -> ScoringModel:
    if MODEL_FILE.exists():
        return model_from_json(MODEL_FILE.read_text(encoding="utf-8"))
    return ScoringModel(prior=1e-5, parameters={}, threshold=0.9, review_threshold=0.5)
