"""How much each blocking rule brings: pairs to score and true pairs kept, rule by rule and
together, on a generated registry.

    python bench/identity/blocking.py --data var/bench/translit-100k.parquet

The batch scores only the pairs its blocking rules propose, so the pairs they miss are lost
whatever the model says; this shows where recall is lost before scoring.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import datasets  # noqa: E402
import duckdb  # noqa: E402

from nansen.identity import splink_batch as batch  # noqa: E402


def pairs_of(rule: dict) -> str:
    """The SQL of the pairs a rule proposes (the rules are Nansen's own, not input)."""
    source = "persons"
    if rule.get("arrays_to_explode"):
        column = rule["arrays_to_explode"][0]
        source = (
            f"(SELECT * REPLACE (unnest({column}) AS {column}) FROM persons "  # noqa: S608
            f"WHERE {column} IS NOT NULL)"
        )
    return (
        f"SELECT DISTINCT l.unique_id AS a, r.unique_id AS b FROM {source} l "  # noqa: S608
        f"JOIN {source} r ON {rule['blocking_rule']} AND l.unique_id < r.unique_id"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    records, truth, _rows = datasets.translit(Path(args.data))
    table = batch.rows_table(records)
    con = duckdb.connect()
    con.register("persons", table)
    pairs = sorted(datasets.true_pairs(truth))
    con.execute("CREATE TABLE truth(a BIGINT, b BIGINT)")
    con.executemany("INSERT INTO truth VALUES (?, ?)", pairs)
    con.execute("CREATE TABLE found(a BIGINT, b BIGINT)")
    print(f"{len(records):,} records, {len(pairs):,} true pairs")
    for rule in batch.blocking_settings():
        started = time.perf_counter()
        con.execute("CREATE OR REPLACE TABLE proposed AS " + pairs_of(rule))
        count = con.execute("SELECT count(*) FROM proposed").fetchone()[0]
        kept = con.execute("SELECT count(*) FROM proposed JOIN truth USING (a, b)").fetchone()[0]
        con.execute(
            "CREATE OR REPLACE TABLE new AS SELECT a, b FROM proposed EXCEPT SELECT a, b FROM found"
        )
        new = con.execute("SELECT count(*) FROM new JOIN truth USING (a, b)").fetchone()[0]
        con.execute("INSERT INTO found SELECT a, b FROM new")
        print(
            f"{count:>12,} pairs, {kept / len(pairs):6.1%} of true pairs, "
            f"{new / len(pairs):6.1%} new  ({time.perf_counter() - started:.1f} s)  "
            f"{rule['blocking_rule'][:70]}"
        )
    total = con.execute("SELECT count(*) FROM found").fetchone()[0]
    kept = con.execute("SELECT count(*) FROM found JOIN truth USING (a, b)").fetchone()[0]
    print(f"together: {total:,} pairs, {kept / len(pairs):.1%} of true pairs")


if __name__ == "__main__":
    main()
