"""The batch run's second look: the people registered with each record."""

import math

import duckdb
import pytest

from nansen.identity import together


def levels(pairs, members) -> dict:
    con = duckdb.connect()
    con.execute("CREATE TABLE p (unique_id_l BIGINT, unique_id_r BIGINT, match_probability DOUBLE)")
    con.executemany("INSERT INTO p VALUES (?, ?, ?)", pairs)
    con.execute("CREATE TABLE m (unique_id BIGINT, grp BIGINT)")
    con.executemany("INSERT INTO m VALUES (?, ?)", members)
    rows = con.sql(together.level_sql("p", "m")).fetchall()
    return {(a, b): level for a, b, _p, level in rows}


def test_levels_count_the_other_members_alike_never_the_pair_itself():
    # Case 10: a father (1), his wife (2), a son (3); case 20 registers them again (4, 5, 6).
    # Case 30: a namesake of the father (7) with a wife (8) like nobody in case 10.
    # Case 40: a man registered alone (9). Case 50: two brothers (11, 12), who share a case.
    members = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 20), (7, 30), (8, 30)]
    members += [(9, 40), (11, 50), (12, 50)]
    pairs = [
        (1, 4, 0.2),  # the father: wife and son match (several)
        (2, 5, 0.9),  # the wife: father pair is weak (0.2), son matches (one)
        (3, 6, 0.95),  # the son: the wife matches, the father is weak (one)
        (1, 7, 0.6),  # the namesake: his wife matches nobody of case 10
        (4, 9, 0.4),  # against a man registered alone: nothing to read
        (11, 12, 0.7),  # brothers in one case: nothing to read
    ]
    found = levels(pairs, members)
    assert found[(1, 4)] == "several_alike"
    assert found[(2, 5)] == "one_alike"
    assert found[(3, 6)] == "one_alike"
    assert found[(1, 7)] == "none_alike"
    assert found[(4, 9)] == "alone"
    assert found[(11, 12)] == "alone"


def test_a_record_in_no_case_is_alone():
    assert levels([(1, 2, 0.9)], [(1, 10), (3, 10)]) == {(1, 2): "alone"}


def test_the_weight_moves_the_odds_and_alone_moves_nothing():
    weights = {"alone": 0.0, "none_alike": -5.0, "one_alike": 4.0, "several_alike": 6.0}
    assert together.adjusted(0.2, "alone", weights) == 0.2
    assert together.adjusted(0.2, None, weights) == 0.2
    # odds 1:4 times 2**6 = 16:1
    assert together.adjusted(0.2, "several_alike", weights) == pytest.approx(16 / 17)
    assert together.adjusted(0.9, "none_alike", weights) == pytest.approx(9 / 32 / (1 + 9 / 32))
    assert together.adjusted(1.0, "none_alike", weights) == 1.0
    # the lowest pairwise probability that the largest weight lifts to 0.5: odds 1:64
    assert together.lowest_to_review(0.5, weights) == pytest.approx(1 / 65)


def test_the_sql_adjustment_is_the_python_one():
    weights = {"alone": 0.0, "none_alike": -5.8, "one_alike": 4.5, "several_alike": 6.3}
    con = duckdb.connect()
    for level in together.LEVELS:
        for p in (0.01, 0.3, 0.5, 0.97, 1.0):
            [(value,)] = con.execute(
                f"SELECT {together.adjusted_sql(weights)} "  # noqa: S608
                "FROM (SELECT ?::DOUBLE AS match_probability, ? AS together_level)",
                [p, level],
            ).fetchall()
            assert value == pytest.approx(together.adjusted(p, level, weights))


def test_weights_are_estimated_from_labelled_pairs():
    rows = [("several_alike", True)] * 80 + [("one_alike", True)] * 18 + [("none_alike", True)] * 2
    rows += (
        [("several_alike", False)] * 1 + [("one_alike", False)] * 9 + [("none_alike", False)] * 90
    )
    rows += [("alone", True)] * 50 + [("alone", False)] * 500  # not counted
    weights = together.estimate(rows)
    assert weights["alone"] == 0.0
    assert weights["several_alike"] == pytest.approx(
        math.log2((80.5 / 101) / (1.5 / 101)), abs=1e-3
    )
    assert weights["none_alike"] < -4 < 0 < weights["one_alike"] < weights["several_alike"]


def test_an_office_s_decisions_re_estimate_the_weights_once_there_are_enough():
    few = [("several_alike", True)] * 60 + [("none_alike", False)] * 49
    assert together.from_decisions(few) == {}
    # "alone" says nothing and is not counted towards the minimum
    assert together.from_decisions(few + [("alone", False)] * 10) == {}
    # an office whose families often come back with other people: "none alike" weighs less
    rows = [("several_alike", True)] * 40 + [("none_alike", True)] * 20
    rows += [("none_alike", False)] * 50 + [("one_alike", False)] * 5
    weights = together.from_decisions(rows)
    assert -2 < weights["none_alike"] < 0 < weights["several_alike"]
