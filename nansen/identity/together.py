"""A second look at each scored pair: do the people registered with each record match too?

A family registered twice brings its members twice. When the wife registered with one man
matches the wife registered with the other, and their children match, the two men are far
more likely one person than their names and dates alone say; two namesakes (the same
common name, the same year of birth) each registered with a family of his own, where no
one resembles anyone in the other family, are less likely one person. The pairwise model
cannot see this: it compares two records, and the names a record gives for its relatives
are only names. This step reads the pairwise scores of the whole batch run and, for each
pair, counts the pairs of *other* persons from the two records' cases (cases other than a
case they share, without the two records themselves) that scored at least ``SUPPORT``.

The levels and their weights (log2 Bayes factors, like the pairwise model's):

- ``alone``: one of the two was registered with nobody else (or both are in one case):
  nothing to read, weight 0 by construction;
- ``none_alike``: both were registered with others, and none of one side resembles anyone
  of the other;
- ``one_alike``: one pair of the others matches;
- ``several_alike``: two pairs or more match.

The weights are estimated on a labelled registry (the benchmark's training registry for the
shipped model, ``bench/identity/run.py train``) among the pairs the pairwise model proposes,
where both records have others: the share of true pairs at each level over the share of
false pairs. An office's own decisions on the batch run's pairs re-estimate them
(``nansen identity train``) once there are ``MIN_DECISIONS`` of each kind: the benchmark's
families always register again with the same people, real ones not always (a son first
registered with his parents, later with his wife), so the shipped weight of "none alike"
is likely too strong for a real registry. Only the batch run (``nansen identity dedupe``)
reads them; the registration check compares a person being typed, whose family is not
saved yet, through the names of the relatives instead (the pairwise model's family
comparison).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

SUPPORT = 0.5  # another pair counts as alike from this pairwise probability (a match is
# at least as likely as not: the review threshold)

LEVELS = {
    "alone": _("one of them registered with nobody else"),
    "none_alike": _("registered with others, none of them alike"),
    "one_alike": _("one other person registered with each is alike"),
    "several_alike": _("several other persons registered with each are alike"),
}
LABEL = _("People registered with them")
KEY = "together"
MIN_DECISIONS = 50  # decided pairs "same" and "different" each, to re-estimate the weights


def level_sql(pairs: str, members: str) -> str:
    """SQL (DuckDB) adding ``together_level`` to each row of the table ``pairs``
    (``unique_id_l``, ``unique_id_r``, ``match_probability``) from ``members``
    (``unique_id``, ``grp``: each record's cases, one row each)."""
    return f"""
    WITH strong AS (
        SELECT unique_id_l AS c, unique_id_r AS d FROM {pairs} WHERE match_probability >= {SUPPORT}
        UNION ALL
        SELECT unique_id_r AS c, unique_id_l AS d FROM {pairs} WHERE match_probability >= {SUPPORT}
    ),
    strong_groups AS (
        SELECT gc.grp AS g1, gd.grp AS g2, c, d
        FROM strong
        JOIN {members} gc ON gc.unique_id = c
        JOIN {members} gd ON gd.unique_id = d
        WHERE gc.grp <> gd.grp
    ),
    group_size AS (SELECT grp, count(DISTINCT unique_id) AS n FROM {members} GROUP BY grp),
    sides AS (
        SELECT p.unique_id_l, p.unique_id_r,
               bool_or(ml.grp = mr.grp) AS shared,
               max(sl.n) AS n_l, max(sr.n) AS n_r
        FROM {pairs} p
        JOIN {members} ml ON ml.unique_id = p.unique_id_l
        JOIN {members} mr ON mr.unique_id = p.unique_id_r
        JOIN group_size sl ON sl.grp = ml.grp
        JOIN group_size sr ON sr.grp = mr.grp
        GROUP BY p.unique_id_l, p.unique_id_r
    ),
    alike AS (
        SELECT p.unique_id_l, p.unique_id_r, count(DISTINCT (s.c, s.d)) AS k
        FROM {pairs} p
        JOIN {members} ml ON ml.unique_id = p.unique_id_l
        JOIN {members} mr ON mr.unique_id = p.unique_id_r
        JOIN strong_groups s ON s.g1 = ml.grp AND s.g2 = mr.grp
        WHERE s.c NOT IN (p.unique_id_l, p.unique_id_r)
          AND s.d NOT IN (p.unique_id_l, p.unique_id_r)
        GROUP BY p.unique_id_l, p.unique_id_r
    )
    SELECT p.*,
        CASE
            WHEN sides.unique_id_l IS NULL OR sides.shared OR sides.n_l < 2 OR sides.n_r < 2
                THEN 'alone'
            WHEN coalesce(alike.k, 0) = 0 THEN 'none_alike'
            WHEN alike.k = 1 THEN 'one_alike'
            ELSE 'several_alike'
        END AS together_level
    FROM {pairs} p
    LEFT JOIN sides USING (unique_id_l, unique_id_r)
    LEFT JOIN alike USING (unique_id_l, unique_id_r)
    """  # noqa: S608 (table names from the caller, no user input)


def adjusted(probability: float, level: str | None, weights: Mapping[str, float]) -> float:
    """The pairwise probability with the level's weight added to its match weight."""
    weight = weights.get(level or "alone", 0.0)
    if not weight or probability <= 0.0 or probability >= 1.0:
        return probability
    odds = probability / (1.0 - probability) * 2.0**weight
    return odds / (1.0 + odds)


def weight_sql(weights: Mapping[str, float]) -> str:
    """The level's weight (bits) as a DuckDB expression over ``together_level``."""
    cases = " ".join(f"WHEN '{level}' THEN {weights.get(level, 0.0)!r}" for level in LEVELS)
    return f"CAST(CASE together_level {cases} END AS DOUBLE)"


def adjusted_sql(weights: Mapping[str, float]) -> str:
    """``adjusted`` as a DuckDB expression over ``match_probability`` and ``together_level``."""
    odds = f"(match_probability / (1 - match_probability) * pow(2, {weight_sql(weights)}))"
    return (
        "CASE WHEN match_probability >= 1 OR match_probability <= 0 THEN match_probability "
        f"ELSE {odds} / (1 + {odds}) END"
    )


def lowest_to_review(review_threshold: float, weights: Mapping[str, float]) -> float:
    """The lowest pairwise probability the largest weight can lift to ``review_threshold``
    (the batch scores pairs from there)."""
    lift = 2.0 ** max([0.0, *weights.values()])
    odds = review_threshold / (1.0 - review_threshold) / lift
    return odds / (1.0 + odds)


def estimate(rows: Iterable[tuple[str, bool]]) -> dict[str, float]:
    """Weights (log2 Bayes factors) from labelled pairs (level, same person): among pairs
    where both records have others, the share of true pairs at each level over the share
    of false pairs; ``alone`` weighs 0."""
    true, false = dict.fromkeys(LEVELS, 0), dict.fromkeys(LEVELS, 0)
    for level, same in rows:
        (true if same else false)[level] += 1
    read = [level for level in LEVELS if level != "alone"]
    n_true, n_false = sum(true[lv] for lv in read), sum(false[lv] for lv in read)
    weights = {"alone": 0.0}
    for level in read:
        # half a pair added to each count keeps a level unseen in training finite
        m = (true[level] + 0.5) / (n_true + 1.0)
        u = (false[level] + 0.5) / (n_false + 1.0)
        weights[level] = round(math.log2(m / u), 3)
    return weights


def from_decisions(rows: Iterable[tuple[str, bool]]) -> dict[str, float]:
    """Weights from decided pairs (level, decided "same person"), or ``{}`` (keep the
    shipped weights) with fewer than ``MIN_DECISIONS`` of either kind where both records
    have others."""
    rows = [(level, same) for level, same in rows if level in LEVELS and level != "alone"]
    same = sum(1 for _level, s in rows if s)
    if min(same, len(rows) - same) < MIN_DECISIONS:
        return {}
    return estimate(rows)
