"""The batch run's second look: the people registered with each record."""

import math

import duckdb
import pytest

from nansen.identity import registered_together

PAIRS = "unique_id_l BIGINT, unique_id_r BIGINT, match_probability DOUBLE"
MEMBERS = "unique_id BIGINT, grp BIGINT"


def _table(con, name, columns, rows):
    con.execute(f"CREATE TABLE {name} ({columns})")
    marks = ", ".join("?" * len(rows[0]))
    con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608


def levels(pairs, members, **options) -> dict:
    """Each pair's level (``options`` go to ``level_sql``)."""
    con = duckdb.connect()
    _table(con, "p", PAIRS, pairs)
    _table(con, "m", MEMBERS, members)
    rows = con.sql(registered_together.level_sql("p", "m", **options)).fetchall()
    return {(a, b): level for a, b, _p, level in rows}


def test_levels_count_the_other_members_alike_never_the_pair_itself():
    # Case 10: a father (1), his wife (2), a son (3); case 20 registers them again (4, 5, 6).
    # Case 30: a namesake of the father (7) with a wife (8) like nobody in case 10.
    # Cases 40 and 60: men registered alone (9, 13). Case 50: two brothers (11, 12).
    members = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 20), (7, 30), (8, 30)]
    members += [(9, 40), (11, 50), (12, 50), (13, 60)]
    pairs = [
        (1, 4, 0.2),  # the father: wife and son match (several)
        (2, 5, 0.9),  # the wife: father pair is weak (0.2), son matches (one)
        (3, 6, 0.95),  # the son: the wife matches, the father is weak (one)
        (1, 7, 0.6),  # the namesake: his wife matches nobody of case 10
        (4, 9, 0.4),  # a man with his family against a man registered alone
        (9, 13, 0.4),  # two men registered alone
        (11, 12, 0.7),  # brothers in one case: two people
        (1, 14, 0.9),  # record 14 is in no case: nothing to read
    ]
    found = levels(pairs, members)
    assert found[(1, 4)] == "several_alike"
    assert found[(2, 5)] == "one_alike"
    assert found[(3, 6)] == "one_alike"
    assert found[(1, 7)] == "none_alike"
    assert found[(4, 9)] == "alone"
    assert found[(9, 13)] == "both_alone"
    assert found[(11, 12)] == "shared"
    assert found[(1, 14)] == "unknown"


def test_another_pair_is_alike_from_the_probability_given():
    # the wife's pair at 0.3: alike when 0.3 suffices (a registry ten times larger, where the
    # same evidence gives a tenth of the odds), not at 0.5
    members = [(1, 10), (2, 10), (4, 20), (5, 20)]
    pairs = [(1, 4, 0.2), (2, 5, 0.3)]
    assert levels(pairs, members)[(1, 4)] == "none_alike"
    assert levels(pairs, members, alike=0.25)[(1, 4)] == "one_alike"


def test_support_is_evidence_not_a_probability():
    # as likely as not at 100,000 persons (2**18 to 1 against two records being one person)
    assert registered_together.support(2.0**-18 / (1 + 2.0**-18)) == pytest.approx(0.5)
    # ten times the persons, a tenth of the prior: the same evidence gives a tenth of the odds
    tenth = 2.0**-18 / 10
    assert registered_together.support(tenth / (1 + tenth)) == pytest.approx(0.1 / 1.1)
    # a small registry never asks for more than as likely as not
    assert registered_together.support(0.01) == 0.5


def test_a_record_in_no_case_says_nothing():
    assert levels([(1, 2, 0.9)], [(1, 10), (3, 10)]) == {(1, 2): "unknown"}
    weights = {"unknown": 0.0, "alone": -3.0}
    assert registered_together.adjusted(0.9, "unknown", weights) == 0.9


def test_the_weight_moves_the_odds():
    weights = {"alone": -1.0, "none_alike": -5.0, "one_alike": 4.0, "several_alike": 6.0}
    # odds 1:4 times 2**-1 = 1:8
    assert registered_together.adjusted(0.2, "alone", weights) == pytest.approx(1 / 9)
    # no level, or a level without a weight, moves nothing
    assert registered_together.adjusted(0.2, None, weights) == 0.2
    assert registered_together.adjusted(0.2, "shared", weights) == 0.2
    # odds 1:4 times 2**6 = 16:1
    assert registered_together.adjusted(0.2, "several_alike", weights) == pytest.approx(16 / 17)
    assert registered_together.adjusted(0.9, "none_alike", weights) == pytest.approx(
        9 / 32 / (1 + 9 / 32)
    )
    assert registered_together.adjusted(1.0, "none_alike", weights) == 1.0
    # the lowest pairwise probability that the largest weight lifts to 0.5: odds 1:64
    assert registered_together.lowest_to_review(0.5, weights) == pytest.approx(1 / 65)


def test_the_sql_adjustment_is_the_python_one():
    weights = {"alone": 0.0, "none_alike": -5.8, "one_alike": 4.5, "several_alike": 6.3}
    con = duckdb.connect()
    for level in registered_together.LEVELS:
        for p in (0.01, 0.3, 0.5, 0.97, 1.0):
            [(value,)] = con.execute(
                f"SELECT {registered_together.adjusted_sql(weights)} "  # noqa: S608
                "FROM (SELECT ?::DOUBLE AS match_probability, ? AS together_level)",
                [p, level],
            ).fetchall()
            assert value == pytest.approx(registered_together.adjusted(p, level, weights))


def test_weights_are_estimated_from_labelled_pairs():
    rows = [("several_alike", True)] * 80 + [("one_alike", True)] * 18 + [("none_alike", True)] * 2
    rows += (
        [("several_alike", False)] * 1 + [("one_alike", False)] * 9 + [("none_alike", False)] * 90
    )
    rows += [("alone", True)] * 50 + [("alone", False)] * 500 + [("shared", False)] * 100
    rows += [("unknown", True)] * 7 + [("unknown", False)] * 70  # not counted
    weights = registered_together.estimate(rows)
    # 150 true pairs, 700 false ones
    assert weights["several_alike"] == pytest.approx(
        math.log2((80.5 / 151) / (1.5 / 701)), abs=1e-3
    )
    assert weights["alone"] == pytest.approx(math.log2((50.5 / 151) / (500.5 / 701)), abs=1e-3)
    # never seen true: strongly against, but finite
    assert weights["shared"] == pytest.approx(math.log2((0.5 / 151) / (100.5 / 701)), abs=1e-3)
    assert weights["shared"] < weights["none_alike"] < weights["alone"] < 0
    assert 0 < weights["one_alike"] < weights["several_alike"]
    assert weights["unknown"] == 0.0


def test_an_office_s_decisions_re_estimate_the_weights_once_there_are_enough():
    few = [("several_alike", True)] * 49 + [("none_alike", False)] * 60
    assert registered_together.from_decisions(few) == {}
    # pairs in no case, and levels of another version, are not counted
    assert registered_together.from_decisions(few + [("unknown", True), ("older", True)] * 5) == {}
    # an office whose families often come back with other people: "none alike" weighs less
    rows = [("several_alike", True)] * 40 + [("none_alike", True)] * 20
    rows += [("none_alike", False)] * 50 + [("one_alike", False)] * 5
    weights = registered_together.from_decisions(rows)
    assert -2 < weights["none_alike"] < 0 < weights["several_alike"]
    # a level nobody decided is left to the shipped weight
    assert set(weights) == {"none_alike", "one_alike", "several_alike"}


def test_two_cases_linked_by_a_pair_bring_their_other_members_together():
    # Case 10 (father 1, mother 2, son 3) registered again as case 20 (4, 5, 6); the fathers'
    # pair reached the threshold, the mothers' pair was scored. Case 30 (7, 8) is linked to
    # nothing. Record 6 is also a member of case 10: two records of one case are two people.
    con = duckdb.connect()
    members = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 20), (6, 10), (7, 30), (8, 30)]
    _table(con, "m", MEMBERS, members)
    _table(
        con,
        "s",
        PAIRS,
        [(1, 4, 0.9), (2, 5, 0.3), (1, 7, 0.4)],
    )
    linked = set(con.sql(registered_together.linked_pairs_sql("s", "m", threshold=0.5)).fetchall())
    # each member of case 10 with each member of case 20, less the pairs already scored and
    # those of one case
    assert linked == {(1, 5), (2, 4), (3, 4), (3, 5)}


def test_a_record_is_at_most_one_member_of_another_case():
    # Record 1 (case 10) against twins 4 and 5 (case 20): only the likelier pair stays, and
    # so from the other side. Records 2 and 3 share case 10 with each other and 30 with
    # nobody: a pair of one case is not ranked against itself.
    con = duckdb.connect()
    _table(
        con,
        "m",
        MEMBERS,
        [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 40), (2, 30), (3, 30)],
    )
    _table(
        con,
        "s",
        PAIRS,
        [(1, 4, 0.9), (1, 5, 0.6), (2, 6, 0.8), (3, 6, 0.7), (2, 3, 0.2)],
    )
    kept = {(a, b) for a, b, _p in con.sql(registered_together.one_to_one_sql("s", "m")).fetchall()}
    # record 6 meets two members of case 10: only the likelier, 2, stays
    assert kept == {(1, 4), (2, 6), (2, 3)}


def test_a_pair_whose_relatives_are_all_unlike_lifts_none_of_them():
    # Namesakes (1, 4), each with a wife and a son (2, 3 and 5, 6) born years apart: the
    # men's pair is likely, the wives' and the sons' pairs are not. Read once, the wives and
    # the sons each have one pair alike (the men's); read again, the men's pair, whose
    # relatives are all unlike, counts for nobody.
    members = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 20)]
    namesakes = [(1, 4, 0.99), (2, 5, 0.15), (3, 6, 0.15)]
    once = levels(namesakes, members)
    assert once == {(1, 4): "none_alike", (2, 5): "one_alike", (3, 6): "one_alike"}
    assert twice(namesakes, members) == dict.fromkeys(once, "none_alike")
    # one family registered again: the wife's pair is likely too, and nothing changes
    family = [(1, 4, 0.99), (2, 5, 0.6), (3, 6, 0.15)]
    assert (
        twice(family, members)
        == levels(family, members)
        == {
            (1, 4): "one_alike",
            (2, 5): "one_alike",
            (3, 6): "several_alike",
        }
    )


def twice(pairs, members) -> dict:
    con = duckdb.connect()
    _table(con, "p", PAIRS, pairs)
    _table(con, "m", MEMBERS, members)
    first = registered_together.level_sql("p", "m")
    renamed = "SELECT * RENAME (together_level AS earlier_level)"
    con.execute(f"CREATE TABLE read AS {renamed} FROM ({first})")
    rows = con.sql(registered_together.level_sql("read", "m", again=True)).fetchall()
    return {(row[0], row[1]): row[-1] for row in rows}
