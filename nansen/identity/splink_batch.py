"""The batch model: Splink on DuckDB over the whole registry.

Records are turned into comparison keys in Python (``match_records.MatchRecord.row``), written to
DuckDB as one table, and handed to Splink with the comparisons of ``scoring.COMPARISONS``.
Splink estimates the model's parameters (u by random sampling, m by expectation
maximisation), scores the blocked pairs and clusters them; its trained settings are what the
live checks use (``MatchModel``).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from nansen.identity.match_records import MatchRecord
from nansen.identity.registered_together import (
    LINKED,
    adjusted_sql,
    level_sql,
    linked_pairs_sql,
    lowest_to_review,
    one_to_one_sql,
    support,
    weight_sql,
)
from nansen.identity.scoring import splink_comparisons

MEMORY_LIMIT = "8GB"  # DuckDB spills to disk beyond this (the goal: 1M persons in 12 GB)

SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("spellings", pa.list_(pa.string())),
        ("skeletons", pa.list_(pa.string())),
        ("repeated", pa.list_(pa.string())),
        ("name_sig", pa.string()),
        ("skel_sig", pa.string()),
        ("name_joined", pa.string()),
        ("sex", pa.string()),
        ("birth_low", pa.date32()),
        ("birth_high", pa.date32()),
        ("birth_exact", pa.bool_()),
        ("birth_year", pa.int32()),
        ("birth_md", pa.string()),
        ("birth_y", pa.int32()),
        ("nationalities", pa.list_(pa.string())),
        ("place", pa.string()),
        ("documents", pa.list_(pa.string())),
        ("document_kinds", pa.list_(pa.string())),
        ("family", pa.list_(pa.string())),
        ("given_sk", pa.string()),
        ("sk_rare", pa.string()),
        ("sk_rare2", pa.string()),
        ("rare_pair", pa.string()),
        ("undated_rare", pa.string()),
        ("block_keys", pa.list_(pa.string())),
        ("family_keys", pa.list_(pa.string())),
        ("household", pa.string()),
        ("cases", pa.list_(pa.int64())),
    ]
)

# Blocking columns that ``rows_table`` derives again once every chunk of the batch is read
# (the rarest names need all the registry's names; the others are cheap to derive again);
# the chunk files leave them out.
REGISTRY_COLUMNS = (
    "sk_rare",
    "sk_rare2",
    "rare_pair",
    "undated_rare",
    "block_keys",
    "family_keys",
    "household",
)


def _blocking_rules() -> list:
    from splink import block_on

    return [
        block_on("name_sig", "birth_y"),
        block_on("block_keys", arrays_to_explode=["block_keys"]),
        block_on("birth_year", "birth_md"),  # the same real day of birth, names mistyped
        # An undated record meets records with the same names, dated or not (the equi-join
        # on the names is cheap; only pairs with an undated side are kept).
        {
            "blocking_rule": "l.skel_sig = r.skel_sig AND (l.birth_y IS NULL OR r.birth_y IS NULL)",
            "sql_dialect": "duckdb",
        },
        # An undated record also meets records, dated or not, whose rarest two names are
        # its own rarest two (Farida Younesi, undated, and Farida Ali Younesi born 1977):
        # the join reads only the undated records' keys, a few per cent of the registry.
        {"blocking_rule": "l.undated_rare = r.rare_pair", "sql_dialect": "duckdb"},
        {"blocking_rule": "l.rare_pair = r.undated_rare", "sql_dialect": "duckdb"},
        # A person registered again with two of the same relatives, the same given name and
        # year (``family_keys``): the family name respelled past its outline.
        block_on("family_keys", arrays_to_explode=["family_keys"]),
        block_on("documents", arrays_to_explode=["documents"]),
        # The same household named again (``match_records.household_key``), unless the years of
        # birth are far apart.
        {
            "blocking_rule": "l.household = r.household AND (l.birth_y IS NULL OR "
            "r.birth_y IS NULL OR abs(l.birth_y - r.birth_y) <= 2)",
            "sql_dialect": "duckdb",
        },
    ]


def block_keys(
    pairs: list[str],
    year: int | None,
    month_day: str | None,
    *,
    estimated: bool = False,
) -> list:
    """Blocking keys: the record's name pairs (``NameKeys.pairs``: names in any order, one
    missing) with the year of birth (the middle of an approximate range; an estimate also
    the years either side; no date, only others without one: giving those every year
    makes pairs of two undated records meet once per year, which a million persons cannot
    afford), and with the day and month of an exact date (a wrong year). At a million
    persons the name pairs with the year give some 26 million pairs to score, where the
    rarest two names gave 280 million and each name alone billions."""
    if year is None:
        years = ("?",)
    elif estimated:
        years = (year - 1, year, year + 1)
    else:
        years = (year,)
    keys = [f"{pair}|{y}" for pair in pairs for y in years]
    if month_day:
        keys += [f"{pair}|{month_day}" for pair in pairs]
    return keys


def family_keys(given: str, family: Iterable[str], year: int | None) -> list:
    """Blocking keys of a person registered with their family: the outline of their first
    given name with each two relatives (by the outline of theirs) and the year of birth. A
    family registered again brings most of the same relatives, so Ahmed Kacemi and Ahmad
    Qassimi, whose family names share no outline, still meet when the given name, the year
    and two relatives agree, even where a child born since makes the households differ.
    The given name, not any name: brothers share their family name and their parents, and
    with the family name they met too (at a million persons that version raised recall by
    0.010 and proposed so many brothers that precision fell by 0.004; this one raises recall
    by 0.004, precision as before; docs/benchmarks.md). Undated records give none: without
    a year these keys name thousands of families."""
    relatives = sorted(set(family))
    if not given or year is None or len(relatives) < 2:
        return []
    return [f"{given}^{a}^{b}|{year}" for i, a in enumerate(relatives) for b in relatives[i + 1 :]]


def rows_table(records: Iterable[MatchRecord], extra: dict[str, dict] | None = None) -> pa.Table:
    """The records as one Arrow table, with blocking keys and the rarest two name skeletons
    of each (by the frequencies of these records). ``extra`` adds columns by record key
    (a benchmark's truth, for training from labels)."""
    records = list(records)
    rows = [r.row() for r in records]
    frequency: Counter = Counter()
    for row in rows:
        frequency.update(row["skeletons"] or ())
    for record, row in zip(records, rows, strict=True):
        rare = sorted(row["skeletons"] or (), key=lambda s: (frequency[s], s))
        row["sk_rare"] = rare[0] if rare else None
        row["sk_rare2"] = rare[1] if len(rare) > 1 else None
        row["rare_pair"] = f"{rare[0]} {rare[1]}" if len(rare) > 1 else None
        row["undated_rare"] = row["rare_pair"] if row["birth_low"] is None else None
        low, high = row["birth_low"], row["birth_high"]
        row["birth_y"] = (low.year + high.year) // 2 if low else None
        row["block_keys"] = block_keys(
            record.names.pairs,
            row["birth_y"],
            row["birth_md"],
            estimated=bool(low and high.year - low.year > 1),
        )
        row["family_keys"] = family_keys(record.given, record.family, row["birth_y"]) or None
    schema = SCHEMA
    for name, values in (extra or {}).items():
        for row in rows:
            row[name] = values[row["unique_id"]]
        schema = schema.append(pa.field(name, pa.int64()))
    return pa.Table.from_pylist(rows, schema=schema)


def blocking_settings(blocking=None) -> list[dict]:
    """The blocking rules as Splink settings."""
    return [
        rule.create_blocking_rule_dict("duckdb")
        if hasattr(rule, "create_blocking_rule_dict")
        else rule
        for rule in (blocking or _blocking_rules())
    ]


def with_current_blocking(model_settings: dict) -> dict:
    """A trained model's settings with this version's blocking rules: which pairs are
    compared is Nansen's choice, not a parameter, so a model trained before an upgrade
    still meets the pairs the new rules find."""
    return {**model_settings, "blocking_rules_to_generate_predictions": blocking_settings()}


def settings(*, prior: float = 1e-5, parameters=None, blocking=None) -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": splink_comparisons(parameters),
        "blocking_rules_to_generate_predictions": blocking_settings(blocking),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 15,
    }


def connection() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection within the memory limit, spilling to the temporary folder."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    spill = Path(tempfile.gettempdir()) / "nansen-duckdb"
    con.execute(f"SET temp_directory = '{spill}'")
    return con


def linker_for(table: pa.Table, model_settings: dict, *, con=None, quiet: bool = True):
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con if con is not None else connection())
    frame = db_api.register(table, dataset_display_name="persons")
    return Linker(frame, model_settings, log_level=logging.WARNING if quiet else logging.INFO)


# The deterministic rule of the prior: the same name and the same real day of birth. Not a
# year or 1 January: at a million persons namesakes born the same year are many, and
# counting them as duplicates put the prior at 2.4 times the true one.
PRIOR_RULE = {
    "blocking_rule": "l.name_sig = r.name_sig AND l.birth_exact AND r.birth_exact "
    "AND l.birth_low = r.birth_low",
    "sql_dialect": "duckdb",
}


def prior_rule_holds(a: MatchRecord, b: MatchRecord) -> bool:
    """``PRIOR_RULE`` in Python (to measure its share of duplicates on a training set)."""
    return bool(
        a.names.signature
        and a.names.signature == b.names.signature
        and a.birth is not None
        and b.birth is not None
        and a.birth.exact
        and b.birth.exact
        and a.birth.low == b.birth.low
    )


def prior_rule_recall() -> float:
    """The share of a registry's duplicates that ``PRIOR_RULE`` sees, as measured on the
    shipped model's training registry (``prior_recall`` in model.json); Splink's prior is
    the number of pairs the rule finds over this share."""
    from nansen.identity.scoring import MODEL_FILE

    try:
        return float(json.loads(MODEL_FILE.read_text(encoding="utf-8"))["prior_recall"])
    except (OSError, KeyError, ValueError):
        return 0.7


def train(
    linker,
    *,
    label_column: str = "",
    recall: float | None = None,
    max_pairs: float = 2e6,
    seed: int = 1,
) -> dict:
    """Estimate the model's parameters on the registry itself: the share of matching pairs
    (from pairs with the same name and day of birth, ``PRIOR_RULE``, and the share of
    duplicates written so, ``prior_rule_recall``), u by random sampling, and m from labels
    when there are some (a column naming each record's person); otherwise m stays as it
    was (the shipped model's). Returns Splink's settings."""
    linker.training.estimate_probability_two_random_records_match(
        [PRIOR_RULE], recall=prior_rule_recall() if recall is None else recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    if label_column:
        linker.training.estimate_m_from_label_column(label_column)
    return linker.misc.save_model_to_json()


def train_em(linker) -> dict:
    """m by expectation maximisation, without labels (used for FEBRL3, whose records are
    not refugee registrations and for which no labelled set is at hand)."""
    from splink import block_on

    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("sk_rare", "sk_rare2"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_low", "birth_high"), estimate_without_term_frequencies=True
    )
    return linker.misc.save_model_to_json()


def predict(linker, *, threshold: float):
    """Scored pairs at or above ``threshold`` (a Splink data frame)."""
    return linker.inference.predict(threshold_match_probability=threshold)


def predict_together(
    con, linker, table: pa.Table, weights: dict[str, float], *, threshold: float
) -> duckdb.DuckDBPyRelation:
    """Scored pairs with the second look of ``together`` (the people registered with each
    record): ``match_probability`` is the pairwise probability with the level's weight
    added, ``pairwise_probability`` the one before, ``together_level`` and ``mw_together``
    the level and its weight. Every pair the weights could lift to ``threshold`` is scored
    (filter on ``match_probability`` for those that reach it). ``con`` is the linker's
    connection.

    Two passes: the pairs of the blocking rules, then the pairs of members of two cases
    linked by a pair at ``threshold`` (``registered_together.linked_pairs_sql``), the levels
    read over both (those of the linked pairs twice, ``registered_together.level_sql``). Of a
    record's pairs with the members of one case only the likeliest is kept
    (``registered_together.one_to_one_sql``)."""
    from splink import DuckDBAPI

    alike = support(linker.misc.save_model_to_json()["probability_two_random_records_match"])
    floor = min(lowest_to_review(threshold, weights), alike)
    first = predict(linker, threshold=floor)
    con.register("together_cases", table.select(["unique_id", "cases"]))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_members AS "
        "SELECT unique_id, unnest(cases) AS grp FROM together_cases WHERE cases IS NOT NULL"
    )
    con.unregister("together_cases")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_first AS "  # noqa: S608
        "SELECT unique_id_l, unique_id_r, "
        f"{adjusted_sql(weights)} AS match_probability "
        f"FROM ({level_sql(first.physical_name, 'together_members', alike=alike)})"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_linked AS "  # noqa: S608
        f"SELECT '{LINKED}' AS match_key, join_key_l, join_key_r FROM "
        f"({linked_pairs_sql('together_first', 'together_members', threshold=threshold)})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE together_pairs AS SELECT * FROM {first.physical_name}"  # noqa: S608
    )
    if con.execute("SELECT count(*) FROM together_linked").fetchall()[0][0]:
        blocked = DuckDBAPI(connection=con).register(con.table("together_linked"))
        linker.table_management.register_blocked_pairs_for_predict(blocked)
        second = predict(linker, threshold=floor)
        con.execute(f"INSERT INTO together_pairs BY NAME SELECT * FROM {second.physical_name}")  # noqa: S608
        # Splink would score the linked pairs again at the next predict: forget them (and
        # the tables Splink made, ours are copied).
        linker.table_management.invalidate_cache()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_read AS SELECT * RENAME (together_level AS "  # noqa: S608
        "earlier_level) "
        f"FROM ({level_sql('together_pairs', 'together_members', alike=alike)})"
    )
    read_again = level_sql("together_read", "together_members", alike=alike, again=True)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_levels AS "  # noqa: S608
        "SELECT * EXCLUDE (together_level, earlier_level), CASE WHEN match_key = "
        f"'{LINKED}' THEN together_level ELSE earlier_level END AS together_level "
        f"FROM ({read_again})"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE together_scored AS "  # noqa: S608
        f"SELECT * EXCLUDE (match_probability), {adjusted_sql(weights)} "
        "AS match_probability, match_probability AS pairwise_probability, "
        f"{weight_sql(weights)} AS mw_together FROM together_levels"
    )
    return con.sql(one_to_one_sql("together_scored", "together_members"))


def cluster_pairs(con, table: pa.Table, pairs: duckdb.DuckDBPyRelation, *, threshold: float):
    """Clusters (connected components) of the persons of ``table`` over ``pairs`` at or
    above ``threshold`` (Splink's clustering, on pairs scored outside a linker)."""
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    return cluster_pairwise_predictions_at_threshold(
        table.select(["unique_id"]),
        pairs.select("unique_id_l, unique_id_r, match_probability").to_arrow_table(),
        DuckDBAPI(connection=con),
        node_id_column_name="unique_id",
        edge_id_column_name_left="unique_id_l",
        edge_id_column_name_right="unique_id_r",
        threshold_match_probability=threshold,
    )


def write_parquet(frame, path: Path) -> None:
    frame.as_duckdbpyrelation().write_parquet(str(path))


def without_term_frequencies(model_settings: dict) -> dict:
    """The settings without name-frequency adjustments: in a small registry (under a
    thousand persons) every name is rare and the adjustment would only add noise."""
    comparisons = []
    for comparison in model_settings["comparisons"]:
        levels = [
            {k: v for k, v in level.items() if not k.startswith("tf_")}
            for level in comparison["comparison_levels"]
        ]
        comparisons.append({**comparison, "comparison_levels": levels})
    return {**model_settings, "comparisons": comparisons}
