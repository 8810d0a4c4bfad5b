"""The consistency monitor checked against data whose answer is known."""

import csv
from collections import Counter

import numpy as np
import pytest
from django.urls import reverse

from nansen.core.reference_data import reference_data_dir
from nansen.statistics.consistency import (
    HIGHER,
    LOWER,
    TOO_FEW,
    WITHIN,
    Cell,
    consistency_monitor,
    poisson_binomial_p_value,
)
from nansen.statistics.inference import two_proportion_p_value
from nansen.statistics.validation import stay_decision_cells, synthetic_cells
from nansen.testing import skip_or_fail

STAYS = reference_data_dir() / "case_level" / "stays_docket_level_2012-22.csv"


@pytest.fixture(scope="module")
def stays():
    if not STAYS.is_file():
        skip_or_fail(f"Luck of the Draw data not found at {STAYS}")
    with STAYS.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["stay_outcome"] in ("granted", "dismissed")]
    return rows, consistency_monitor(stay_decision_cells(STAYS))


def test_it_reproduces_each_judges_grant_rate_on_the_federal_court_stays(stays):
    rows, result = stays
    decided = Counter(r["stay_judge"] for r in rows)
    granted = Counter(r["stay_judge"] for r in rows if r["stay_outcome"] == "granted")
    assert result.decisions == len(rows) == 4723
    assert result.granted == sum(granted.values()) == 1603
    by_judge = {m.maker: m for m in result.makers}
    assert set(by_judge) == set(decided)
    for judge, n in decided.items():
        assert by_judge[judge].decisions == n
        assert by_judge[judge].rate == pytest.approx(granted[judge] / n)


def test_it_identifies_the_judges_whose_rates_differ_beyond_chance(stays):
    _rows, result = stays
    flagged = {m.maker: m for m in result.flagged}
    # Judges differ far beyond chance in these data (Rehaag's finding): about a third of
    # the judges are flagged, on both sides.
    assert {m.verdict for m in flagged.values()} == {HIGHER, LOWER}
    assert 15 <= len(flagged) <= 35
    plain = 0
    for judge in flagged.values():
        assert judge.decisions >= result.min_decisions
        assert (judge.granted > judge.expected) == (judge.verdict == HIGHER)
        others = result.granted - judge.granted, result.decisions - judge.decisions
        plain += two_proportion_p_value(judge.granted, judge.decisions, *others) < 0.05
    # A plain two-proportion test against all other judges, blind to the case mix, agrees
    # on nearly all of them (the others differ once the kind of case and year are counted).
    assert plain >= 0.8 * len(flagged)
    # The extremes: the most and the least granting judges with many decisions are flagged.
    large = [m for m in result.makers if m.decisions >= 60]
    assert max(large, key=lambda m: m.rate).maker in flagged
    assert min(large, key=lambda m: m.rate).maker in flagged
    # A judge with a handful of decisions is never a verdict, however extreme the rate.
    few = [m for m in result.makers if m.decisions < result.min_decisions]
    assert few and {m.verdict for m in few} == {TOO_FEW}


def _detected(per_officer: int, points: float, seeds) -> tuple[int, int]:
    """How often the planted officer is flagged, and how many others are flagged wrongly."""
    hits = false_flags = 0
    for seed in seeds:
        result = consistency_monitor(
            synthetic_cells(
                rng=np.random.default_rng(seed), per_officer=per_officer, planted_points=points
            )
        )
        verdicts = {m.maker: m.verdict for m in result.makers}
        hits += verdicts["officer-00"] == HIGHER
        false_flags += sum(v in (HIGHER, LOWER) for k, v in verdicts.items() if k != "officer-00")
    return hits, false_flags


def test_a_planted_difference_is_found_when_the_numbers_allow_it():
    seeds = range(12)
    # 1,000 decisions per officer: a 10-point difference is found every time.
    assert _detected(1000, 0.10, seeds)[0] == len(seeds)
    # 200 decisions: a 20-point difference is found every time, 10 points only sometimes.
    assert _detected(200, 0.20, seeds)[0] == len(seeds)
    # 50 decisions: 10 points is within chance almost always — shown as uncertain.
    assert _detected(50, 0.10, seeds)[0] <= 3
    # With no difference planted, officers are rarely flagged (false discoveries ≤ 5 %).
    assert _detected(200, 0.0, seeds)[1] <= 0.05 * 9 * len(seeds)


def test_case_mix_explains_a_raw_difference_that_is_not_the_officers():
    # Two officers decide exactly alike on each nationality, but one hears mostly Syrians.
    cells = [
        Cell("a", "SYR", "2025", 400, 360),
        Cell("a", "TUR", "2025", 100, 15),
        Cell("b", "SYR", "2025", 100, 90),
        Cell("b", "TUR", "2025", 400, 60),
        Cell("c", "SYR", "2025", 250, 225),
        Cell("c", "TUR", "2025", 250, 38),
    ]
    result = consistency_monitor(cells)
    by_maker = {m.maker: m for m in result.makers}
    assert by_maker["a"].rate == pytest.approx(0.75) and by_maker["b"].rate == pytest.approx(0.3)
    assert {m.verdict for m in result.makers} == {WITHIN}
    assert by_maker["a"].adjusted_rate == pytest.approx(by_maker["b"].adjusted_rate, abs=0.02)


def test_the_exact_test_matches_the_binomial_when_every_claim_is_alike():
    from math import comb

    n, p, observed = 30, 0.4, 19
    upper = sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(observed, n + 1))
    assert poisson_binomial_p_value([(10, p), (20, p)], observed) == pytest.approx(2 * upper)


def test_the_monitor_page_is_for_supervisors(client, personas):
    client.force_login(personas.supervisor)
    response = client.get(reverse("statistics:statistics_consistency"))
    assert response.status_code == 200
    for role in ("statistician", "officer", "clerk", "appeals"):
        client.force_login(getattr(personas, role))
        assert client.get(reverse("statistics:statistics_consistency")).status_code == 404
