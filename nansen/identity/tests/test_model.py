"""The scoring model's rules: approximate dates, documents, common names, score-pairs."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from nansen.identity.match_records import BirthRange, record_from_values
from nansen.identity.scoring import packaged_model
from nansen.testing import require_or_skip

DATA = Path(__file__).parent / "data"


def record(key="a", **values):
    values.setdefault("full_name", "Ahmad Khalil Haddad")
    values.setdefault("sex", "M")
    values.setdefault("nationalities", ["SYR"])
    return record_from_values(key=key, **values)


def evidence(a, b, comparison):
    score = packaged_model().score(a, b)
    return next(e for e in score.evidence if e.comparison.key == comparison)


def test_a_year_of_birth_allows_every_day_of_that_year():
    year = BirthRange.of(date(1988, 1, 1), "year")
    assert (year.low, year.high, year.exact) == (date(1988, 1, 1), date(1988, 12, 31), False)
    a = record(birth_date=date(1988, 1, 1), birth_date_precision="year")
    b = record(birth_date=date(1988, 7, 14))
    assert evidence(a, b, "birth").level.key == "same_year"


def test_an_estimated_year_allows_two_years_either_side():
    estimate = BirthRange.of(date(1980, 1, 1), "estimated")
    assert (estimate.low, estimate.high) == (date(1978, 1, 1), date(1982, 12, 31))
    a = record(birth_date=date(1980, 1, 1), birth_date_precision="estimated")
    assert evidence(a, record(birth_date=date(1982, 5, 5)), "birth").level.key == "within_range"
    assert evidence(a, record(birth_date=date(1990, 5, 5)), "birth").level.key == "different"


def test_first_of_january_is_weak_evidence():
    same_day = evidence(
        record(birth_date=date(1985, 6, 12)), record(birth_date=date(1985, 6, 12)), "birth"
    )
    january = evidence(
        record(birth_date=date(1985, 1, 1)), record(birth_date=date(1985, 1, 1)), "birth"
    )
    assert same_day.level.key == "same_day"
    assert january.level.key == "same_year"
    assert january.weight < same_day.weight / 2


def test_an_approximate_date_weighs_more_the_narrower_it_is():
    day = record(birth_date=date(1985, 6, 12))
    month = evidence(
        day, record(birth_date=date(1985, 6, 1), birth_date_precision="month"), "birth"
    )
    year = evidence(day, record(birth_date=date(1985, 1, 1), birth_date_precision="year"), "birth")
    estimate = evidence(
        day, record(birth_date=date(1986, 1, 1), birth_date_precision="estimated"), "birth"
    )
    assert (month.level.key, year.level.key, estimate.level.key) == (
        "same_month",
        "same_year",
        "within_range",
    )
    assert month.weight > year.weight + 2 > estimate.weight + 2 > 2


def test_a_typing_error_or_swapped_day_and_month_is_near_evidence():
    a = record(birth_date=date(1985, 6, 12))
    assert evidence(a, record(birth_date=date(1985, 12, 6)), "birth").level.key == "typo"
    assert evidence(a, record(birth_date=date(1986, 6, 12)), "birth").level.key == "typo"


def test_the_same_document_is_strong_evidence_and_another_number_counts_against():
    passport = [("passport", "N0123456", "SYR")]
    a = record(documents=passport)
    same = evidence(a, record(full_name="Mohammed Ali", documents=passport), "document")
    other = evidence(a, record(documents=[("passport", "N9999999", "SYR")]), "document")
    assert same.level.key == "same" and same.weight > 14  # a Bayes factor above 16,000
    assert other.level.key == "conflict" and other.weight < 0
    unknown = evidence(a, record(), "document")
    assert unknown.level is None and unknown.weight == 0


def test_a_common_name_weighs_less_than_a_rare_one():
    model = packaged_model()
    a, b = record(), record(key="b")
    with_common = model.score(a, b, frequency=lambda column, value: 0.01)
    with_rare = model.score(a, b, frequency=lambda column, value: 0.00001)
    assert with_rare.weight > with_common.weight + 5


def test_missing_middle_name_and_other_order_still_match_names():
    a = record(full_name="Mohammed Abd al-Rahman Al-Hassan")
    assert evidence(a, record(full_name="Al-Hassan Muhammad"), "name").level.key == "subset"
    b = record(full_name="Mahamad Abdulrahmam Hasan")
    assert evidence(a, b, "name").level.key in {"sounds_alike", "similar"}


def test_names_written_as_one_word_or_with_initials_sound_alike():
    rami = record(full_name="Rami Makhlouf")
    for joined in ("RamiMakhlouf", "Ramimakhlouf"):
        assert evidence(rami, record(full_name=joined), "name").level.key == "sounds_alike"
    ali = record(full_name="Ali Akbar Velayati")
    assert evidence(ali, record(full_name="Ali A. Velayati"), "name").level.key == "sounds_alike"
    assert evidence(ali, record(full_name="A. Velayati"), "name").level.key == "sounds_alike"
    # An initial stands only for a name that begins with it.
    assert evidence(ali, record(full_name="K. Velayati"), "name").level.key != "sounds_alike"
    # Names joined in another order are not the same outline.
    assert evidence(rami, record(full_name="MakhloufRami"), "name").level.key != "sounds_alike"


def test_the_same_household_named_weighs_more_than_two_common_names():
    a = record(family=["Fatima", "Ahmad", "Yusuf", "Layla"])
    same = evidence(a, record(key="b", family=["Fatma", "Ahmed", "Youssef", "Leila"]), "family")
    two = evidence(a, record(key="c", family=["Fatima", "Ahmad", "Omar", "Rania"]), "family")
    assert same.level.key == "household" and two.level.key == "several"
    assert same.weight > two.weight + 3
    # One of them mistyped (Amed, the h left out): most of the names.
    most = evidence(a, record(key="d", family=["Fatma", "Amed", "Youssef", "Leila"]), "family")
    assert most.level.key == "most" and two.weight + 3 < most.weight < same.weight


def test_a_household_of_common_names_weighs_less_than_one_of_rare_names():
    """As a name: Mohammed and Fatima named together say less than Shirwan and Ruqayya."""
    model = packaged_model()
    a, b = record(family=["Fatima", "Mohammed"]), record(key="b", family=["Fatma", "Muhammad"])

    def household(share):
        def frequency(column, value):
            return share if column == "household" else 0.0

        found = model.score(a, b, frequency=frequency).evidence
        return next(e for e in found if e.comparison.key == "family")

    common, rare = household(0.001), household(0.000002)
    assert common.level.key == rare.level.key == "household"
    assert rare.weight > common.weight + 8


def test_a_couple_naming_the_same_one_relative_is_evidence():
    """A man registered with his wife, then again with her (another spelling): each record
    names one relative, the same one."""
    a = record(family=["Fatima"])
    same = evidence(a, record(key="b", family=["Fatma"]), "family")
    assert same.level.key == "only" and same.weight > 3
    # One relative named among several is a weaker thing.
    among = evidence(a, record(key="c", family=["Fatima", "Omar", "Yusuf"]), "family")
    assert among.level.key == "shared" and among.weight < same.weight - 3


def test_siblings_who_name_each_other_are_not_the_same_person():
    """Brothers registered together share their father's and family name and the names of
    the rest of the family; each one's list of relatives names the other."""
    hasan = record(
        full_name="Hasan Mustafa Omran",
        birth_date=date(2011, 1, 1),
        birth_date_precision="estimated",
        family=["Mustafa", "Nadia", "Rachid", "Mona"],
    )
    rachid = record(
        key="b",
        full_name="Rachid Mustafa Omran",
        birth_date=date(2009, 1, 1),
        birth_date_precision="estimated",
        family=["Mustafa", "Nadia", "Hasan", "Mona"],
    )
    model = packaged_model()
    family = evidence(hasan, rachid, "family")
    assert family.level.key == "relative" and family.weight < -5
    assert model.score(hasan, rachid).probability < model.review_threshold
    # The same brother registered again (another spelling) is still a match.
    again = record(
        key="c",
        full_name="Hassan Moustafa Omran",
        birth_date=date(2011, 3, 2),
        family=["Moustafa", "Nadia", "Rashid", "Mona"],
    )
    assert evidence(hasan, again, "family").level.key == "household"
    assert model.score(hasan, again).probability >= model.threshold


def test_a_sibling_named_in_one_list_only_is_not_the_same_person():
    """Jafar and his sister Aham, registered with their parents and brothers; Jafar's list
    misspells her name past its outline (Alham), so only her list names him. Their names
    and dates still look alike; that one list names the other weighs against a match."""
    jafar = record(
        full_name="Jafar Mohsen Mohammadzadeh",
        sex="",
        birth_date=date(2012, 9, 9),
        family=["Mohsen", "Mahnaz", "Farhad", "Alham", "Amin"],
    )
    aham = record(
        key="b",
        full_name="Aham Mohsen Mohammadzadeh",
        sex="",
        birth_date=date(2012, 1, 1),
        birth_date_precision="year",
        family=["Mohsen", "Mahnaz", "Farhad", "Jafar", "Amin"],
    )
    family = evidence(jafar, aham, "family")
    assert family.level.key == "named" and family.weight < -3
    # The same boy registered again, his names in another order, is still a match: his
    # list names his father Mohsen, whose name now comes first, but both lists name the
    # same relatives.
    again = record(
        key="c",
        full_name="Mohsen Jafar Mohammadzadeh",
        sex="",
        birth_date=date(2012, 9, 9),
        family=["Mohsen", "Mahnaz", "Farhad", "Alham", "Amin"],
    )
    assert evidence(jafar, again, "family").level.key == "household"
    assert packaged_model().score(jafar, again).probability >= packaged_model().threshold


@pytest.mark.django_db
def test_score_pairs_scores_a_fixed_file(tmp_path):
    out = tmp_path / "scores.csv"
    call_command("identity", "score-pairs", "--input", DATA / "pairs.csv", "--output", out)
    with out.open(encoding="utf-8") as handle:
        rows = {row["pair_id"]: row for row in csv.DictReader(handle)}
    assert list(rows["1"]) == ["pair_id", "score", "match"]
    assert all(0 <= float(row["score"]) <= 1 for row in rows.values())
    score = {k: float(row["score"]) for k, row in rows.items()}
    # Same name and date in two spellings, or in Somali and English spelling: a match.
    assert rows["1"]["match"] == rows["4"]["match"] == "1"
    # An approximate date, another script, another alphabet: likelier than strangers.
    assert min(score["2"], score["3"], score["7"]) > score["5"]
    assert rows["5"]["match"] == "0" and score["5"] < 0.001
    # The same name and date, but another sex and nationality: much less likely.
    assert rows["6"]["match"] == "0" and score["6"] < score["1"] / 2


@pytest.mark.django_db
def test_score_pairs_uses_the_threshold_given(tmp_path):
    out = tmp_path / "scores.csv"
    call_command(
        "identity",
        "score-pairs",
        "--input",
        DATA / "pairs.csv",
        "--output",
        out,
        "--threshold",
        "1",
    )
    with out.open(encoding="utf-8") as handle:
        assert {row["match"] for row in csv.DictReader(handle)} == {"0"}


@pytest.mark.django_db
def test_score_pairs_names_a_bad_date(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "pair_id,a_name,a_birth_date,a_sex,a_nationality,b_name,b_birth_date,b_sex,b_nationality\n"
        "1,Ali,1988-13-40,M,SYR,Ali,1988,M,SYR\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="a_birth_date"):
        call_command("identity", "score-pairs", "--input", bad, "--output", tmp_path / "o.csv")


def test_two_names_alike_and_a_third_different_weigh_less_than_similar_names():
    """Mohamed Ali Karimi and Ali Mohamed Jafari share two common names, not the family
    name; a typing error in a third name (Abdulrahmam) still counts as similar."""
    a = record(full_name="Mohamed Ali Karimi")
    b = record(full_name="Ali Mohamed Jafari")
    namesakes = evidence(a, b, "name")
    assert namesakes.level.key == "two_similar"
    typo = evidence(
        record(full_name="Mohammed Abd al-Rahman Al-Hassan"),
        record(full_name="Mahamad Abdulrahmam Hasan"),
        "name",
    )
    assert typo.level.key in {"sounds_alike", "similar"}
    assert typo.weight > namesakes.weight + 2


PAIRS = [
    ({"full_name": "Mohamed Ali Karimi"}, {"full_name": "Ali Mohamed Jafari"}),
    ({"full_name": "Mohammed Abd al-Rahman Al-Hassan"}, {"full_name": "Mahamad Abdulrahmam Hasan"}),
    ({"full_name": "Saeed Zaki Saad"}, {"full_name": "Saeed Saad"}),
    ({"full_name": "Rami Makhlouf"}, {"full_name": "RamiMakhlouf"}),
    ({"full_name": "Aziz Ahmed"}, {"full_name": "Aziz Ahemd"}),
    ({"full_name": "Ali"}, {"full_name": "Omar"}),
    (
        {"birth_date": date(1980, 3, 14)},
        {"birth_date": date(1980, 1, 1), "birth_date_precision": "estimated"},
    ),
    ({"birth_date": date(1980, 3, 11)}, {"birth_date": date(1980, 11, 3)}),
    ({"birth_date": date(1980, 3, 14)}, {"birth_date": date(1981, 3, 1), "sex": "F"}),
    (
        {"family": ["Fatima", "Ali", "Omar"], "given_name": "Hassan"},
        {"family": ["Fatma", "Ali"], "given_name": "Hasan"},
    ),
    (
        {"family": ["Mustafa", "Nadia", "Rachid"], "given_name": "Hasan"},
        {"family": ["Mustafa", "Nadia", "Hasan"], "given_name": "Rashid"},
    ),
    (
        {"family": ["Mustafa", "Nadia", "Rahid"], "given_name": "Hasan"},
        {"family": ["Mustafa", "Nadia", "Hasan"], "given_name": "Rashid"},
    ),
    (
        {"documents": [("passport", "N123", "SYR")], "place_of_birth": "Homs"},
        {"documents": [("passport", "N124", "SYR")], "place_of_birth": "Hims"},
    ),
]


def test_the_sql_of_every_level_says_what_its_python_test_says():
    """Each level is written twice, in SQL for the batch (DuckDB) and in Python for the
    checks: both must choose the same level for the same pair."""
    duckdb = require_or_skip("duckdb")
    from nansen.identity import splink_batch
    from nansen.identity.scoring import COMPARISONS

    con = duckdb.connect()
    for left, right in PAIRS:
        a, b = record(1, **left), record(2, **right)
        con.register("persons", splink_batch.rows_table([a, b]))
        columns = [c for c in splink_batch.SCHEMA.names if c != "unique_id"]
        pair = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
        for comparison in COMPARISONS:
            whens = " ".join(
                f"WHEN {level.sql} THEN '{level.key}'" for level in comparison.levels[:-1]
            )
            sql = (
                f"SELECT CASE WHEN {comparison.null_sql} THEN NULL {whens} "  # noqa: S608
                f"ELSE '{comparison.levels[-1].key}' END FROM (SELECT {pair} FROM persons l, "
                "persons r WHERE l.unique_id = 1 AND r.unique_id = 2)"
            )
            [(in_sql,)] = con.execute(sql).fetchall()
            level = comparison.level_of(a, b)
            assert in_sql == (level.key if level else None), (comparison.key, left, right)
        con.unregister("persons")
