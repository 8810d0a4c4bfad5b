"""A second look at each scored pair: do the people registered with each record match too?

A family registered twice brings its members twice. When the wife registered with one man
matches the wife registered with the other, and their children match, the two men are far
more likely one person than their names and dates alone say; two namesakes (the same
common name, the same year of birth) each registered with a family of his own, where no
one resembles anyone in the other family, are less likely one person. The pairwise model
cannot see this: it compares two records, and the names a record gives for its relatives
are only names. This step reads the pairwise scores of the whole batch run and, for each
pair, counts the pairs of *other* persons from the two records' cases (cases other than a
case they share, without the two records themselves) that scored at least ``support``.

The levels and their weights (log2 Bayes factors, like the pairwise model's):

- ``unknown``: one of the two is in no case (records imported without their registration):
  nothing to read, weight 0 always;
- ``both_alone``: both were registered with nobody else;
- ``alone``: one was registered with nobody else, the other with others (a family registered
  again mostly brings someone again: a man registered alone and a namesake registered with
  his family are less likely one person);
- ``shared``: the two are registered in one case. A case names each of its members once, so
  two records of one case are two people (the benchmark never registers anyone twice in one
  case; an office's decisions re-estimate the weight if its clerks do);
- ``none_alike``: both were registered with others, and none of one side resembles anyone
  of the other;
- ``one_alike``: one pair of the others matches;
- ``several_alike``: two pairs or more match.

The weights are estimated on a labelled registry (the benchmark's training registry for the
shipped model, ``bench/identity/run.py train``) among the pairs the batch run scores: the
share of true pairs at each level over the share of false pairs. An office's own decisions
on the batch run's pairs re-estimate them (``nansen identity train``) once there are
``MIN_DECISIONS`` of each kind: the benchmark's families always register again with the
same people, real ones not always (a son first registered with his parents, later with his
wife), so the shipped weight of "none alike" is likely too strong for a real registry. Only
the batch run (``nansen identity dedupe``) reads them; the registration check compares a
person being typed, whose family is not saved yet, through the names of the relatives
instead (the pairwise model's family comparison).

Two more uses of the cases in the batch run (``splink_batch.predict_together``):

- ``linked_pairs_sql``: two cases one of whose pairs reached the review threshold are
  likely the same family registered twice, so each member of one is compared with each
  member of the other past the blocking rules (a son whose year of birth was written
  otherwise, in a family with a daughter born since, meets no blocking key, but meets
  himself here). Such a pair is found and lifted by its family alone, so its level is read
  twice: the second time, a pair whose other members were all unlike (``none_alike``) the
  first time does not count as alike. Namesakes each registered with a wife and a son of
  common names: the men's pair links the cases, but their wives, born years apart, are not
  lifted by it;
- ``one_to_one_sql``: since a case names each member once, a record is at most one member
  of another case: of its pairs with the members of one case only the likeliest is kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

SUPPORT_BITS = 18.0  # another pair counts as alike when its comparisons favour one person by
# 2**18 to 1 (the odds against two records of a registry of 100,000 persons being one person:
# a pair as likely as not at that size). Evidence, not a probability: at a million persons
# the prior is ten times smaller, and relatives as alike as before would stop counting.


def support(prior: float) -> float:
    """The pairwise probability, in a registry whose prior (the probability that two random
    records are one person) is ``prior``, from which another pair counts as alike: the
    probability ``SUPPORT_BITS`` of evidence give, and never more than as likely as not (in
    a small registry, where the prior is large)."""
    odds = prior / (1.0 - prior) * 2.0**SUPPORT_BITS
    return min(0.5, odds / (1.0 + odds))


LEVELS = {
    "unknown": _("one of them is in no case"),
    "both_alone": _("both registered with nobody else"),
    "alone": _("one of them registered with nobody else"),
    "shared": _("registered together in one case"),
    "none_alike": _("registered with others, none of them alike"),
    "one_alike": _("one other person registered with each is alike"),
    "several_alike": _("several other persons registered with each are alike"),
}
LABEL = _("People registered with them")
KEY = "together"
LINKED = "cases"  # the match key of the pairs scored because their cases are linked
MIN_DECISIONS = 50  # decided pairs "same" and "different" each, to re-estimate the weights


def level_sql(pairs: str, members: str, *, alike: float = 0.5, again: bool = False) -> str:
    """SQL (DuckDB) adding ``together_level`` to each row of the table ``pairs``
    (``unique_id_l``, ``unique_id_r``, ``match_probability``) from ``members``
    (``unique_id``, ``grp``: each record's cases, one row each); another pair counts as
    alike from the probability ``alike`` (``support``). ``again``: the second reading, over
    ``pairs`` with the first one's level as ``earlier_level``; a pair that was
    ``none_alike`` then does not count as alike."""
    counts = f"match_probability >= {alike!r}"
    if again:
        counts += " AND earlier_level <> 'none_alike'"
    return f"""
    WITH strong AS (
        SELECT unique_id_l AS c, unique_id_r AS d FROM {pairs} WHERE {counts}
        UNION ALL
        SELECT unique_id_r AS c, unique_id_l AS d FROM {pairs} WHERE {counts}
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
            WHEN sides.unique_id_l IS NULL THEN 'unknown'
            WHEN sides.shared THEN 'shared'
            WHEN sides.n_l < 2 AND sides.n_r < 2 THEN 'both_alone'
            WHEN sides.n_l < 2 OR sides.n_r < 2 THEN 'alone'
            WHEN coalesce(alike.k, 0) = 0 THEN 'none_alike'
            WHEN alike.k = 1 THEN 'one_alike'
            ELSE 'several_alike'
        END AS together_level
    FROM {pairs} p
    LEFT JOIN sides USING (unique_id_l, unique_id_r)
    LEFT JOIN alike USING (unique_id_l, unique_id_r)
    """  # noqa: S608 (table names from the caller, no user input)


def linked_pairs_sql(scored: str, members: str, *, threshold: float) -> str:
    """SQL (DuckDB): the pairs of records, one of each of two cases linked by a pair of
    ``scored`` at or above ``threshold``, that ``scored`` does not hold (two records of
    one case are never paired here). Columns: ``join_key_l``, ``join_key_r`` (the smaller
    id first), as Splink's blocked pairs."""
    return f"""
    WITH links AS (
        SELECT DISTINCT ml.grp AS g1, mr.grp AS g2
        FROM {scored} s
        JOIN {members} ml ON ml.unique_id = s.unique_id_l
        JOIN {members} mr ON mr.unique_id = s.unique_id_r
        WHERE s.match_probability >= {threshold!r} AND ml.grp <> mr.grp
    ),
    crossed AS (
        SELECT DISTINCT least(a.unique_id, b.unique_id) AS join_key_l,
               greatest(a.unique_id, b.unique_id) AS join_key_r
        FROM links
        JOIN {members} a ON a.grp = links.g1
        JOIN {members} b ON b.grp = links.g2
        WHERE a.unique_id <> b.unique_id
    )
    SELECT c.join_key_l, c.join_key_r FROM crossed c
    WHERE NOT EXISTS (
        SELECT 1 FROM {scored} s
        WHERE s.unique_id_l = c.join_key_l AND s.unique_id_r = c.join_key_r)
      AND NOT EXISTS (
        SELECT 1 FROM {members} x JOIN {members} y ON x.grp = y.grp
        WHERE x.unique_id = c.join_key_l AND y.unique_id = c.join_key_r)
    """  # noqa: S608 (table names from the caller, no user input)


def one_to_one_sql(scored: str, members: str) -> str:
    """SQL (DuckDB): the rows of ``scored`` less those where one record has a likelier pair
    with another member of the other record's case (a case other than one they share):
    a case names each member once, so at most one of them is this person. Ties go to the
    smaller id, so that the result does not depend on the order of the rows."""
    return f"""
    WITH directed AS (
        SELECT unique_id_l AS x, unique_id_r AS y, match_probability AS p FROM {scored}
        UNION ALL
        SELECT unique_id_r AS x, unique_id_l AS y, match_probability AS p FROM {scored}
    ),
    ranked AS (
        SELECT d.x, d.y,
               row_number() OVER (PARTITION BY d.x, m.grp ORDER BY d.p DESC, d.y) AS place
        FROM directed d
        JOIN {members} m ON m.unique_id = d.y
        WHERE NOT EXISTS (
            SELECT 1 FROM {members} mx WHERE mx.unique_id = d.x AND mx.grp = m.grp)
    ),
    outranked AS (
        SELECT DISTINCT least(x, y) AS l, greatest(x, y) AS r FROM ranked WHERE place > 1
    )
    SELECT s.* FROM {scored} s
    WHERE NOT EXISTS (
        SELECT 1 FROM outranked o WHERE o.l = s.unique_id_l AND o.r = s.unique_id_r)
    """  # noqa: S608 (table names from the caller, no user input)


def adjusted(probability: float, level: str | None, weights: Mapping[str, float]) -> float:
    """The pairwise probability with the level's weight added to its match weight."""
    weight = weights.get(level or "unknown", 0.0)
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
    """Weights (log2 Bayes factors) from labelled pairs (level, same person): the share of
    true pairs at each level over the share of false pairs, among pairs in a case each
    (``unknown`` weighs 0)."""
    true, false = dict.fromkeys(LEVELS, 0), dict.fromkeys(LEVELS, 0)
    for level, same in rows:
        (true if same else false)[level] += 1
    read = [level for level in LEVELS if level != "unknown"]
    n_true, n_false = sum(true[lv] for lv in read), sum(false[lv] for lv in read)
    weights = {"unknown": 0.0}
    for level in read:
        # half a pair added to each count keeps a level unseen in training finite
        m = (true[level] + 0.5) / (n_true + 1.0)
        u = (false[level] + 0.5) / (n_false + 1.0)
        weights[level] = round(math.log2(m / u), 3)
    return weights


def from_decisions(rows: Iterable[tuple[str, bool]]) -> dict[str, float]:
    """Weights from decided pairs (level, decided "same person"), or ``{}`` (keep the
    shipped weights) with fewer than ``MIN_DECISIONS`` of either kind in a case each. Only
    the levels some decided pair has: a level nobody decided keeps its shipped weight (its
    estimate would say only how many pairs of each kind were decided)."""
    rows = [(level, same) for level, same in rows if level in LEVELS and level != "unknown"]
    same = sum(1 for _level, s in rows if s)
    if min(same, len(rows) - same) < MIN_DECISIONS:
        return {}
    seen = {level for level, _same in rows}
    return {level: w for level, w in estimate(rows).items() if level in seen}
