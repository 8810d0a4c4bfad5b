"""Run one matcher on one data set; print and save precision, recall, F1, time and memory.

    python bench/identity/run.py train   --data var/bench/translit-train-100k.parquet
    python bench/identity/run.py nansen  --data var/bench/translit-100k.parquet
    python bench/identity/run.py exact   --data febrl3
    python bench/identity/run.py jw      --data var/bench/translit-100k.parquet
    python bench/identity/run.py generic --data var/bench/translit-100k.parquet

Each run is its own process, so that the peak memory (ru_maxrss) is the method's own.
Results go to var/bench/results/<data>-<method>.json (bench/identity/report.py gathers them).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings_test")

import datasets  # noqa: E402

from nansen.identity import registered_together as together  # noqa: E402
from nansen.identity import splink_batch as batch  # noqa: E402
from nansen.identity.scoring import MODEL_FILE  # noqa: E402

RESULTS = ROOT / "var" / "bench" / "results"
logging.getLogger("splink").setLevel(logging.ERROR)


def load(data: str):
    if data == "febrl3":
        return datasets.febrl3()
    return datasets.translit(Path(data))


def name_of(data: str) -> str:
    return "febrl3" if data == "febrl3" else Path(data).stem


def best_threshold(scored, truth_pairs, grid) -> tuple[float, dict]:
    """The threshold of best F1 over ``scored``: a Splink data frame (pandas) or a list of
    (id, id, probability)."""
    if not isinstance(scored, list):
        scored = list(
            zip(
                scored["unique_id_l"],
                scored["unique_id_r"],
                scored["match_probability"],
                strict=True,
            )
        )
    best = (0.0, {"f1": -1})
    for threshold in grid:
        found = {(min(a, b), max(a, b)) for a, b, p in scored if p >= threshold}
        result = datasets.scores(found, truth_pairs)
        if result["f1"] > best[1]["f1"]:
            best = (threshold, result)
    return best


GRID = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.995, 0.999)


def _rule_recall(records, truth_pairs) -> float:
    """The share of true pairs the prior's deterministic rule sees (Splink's ``recall``)."""
    by_key = {r.key: r for r in records}
    same = sum(1 for a, b in truth_pairs if batch.prior_rule_holds(by_key[a], by_key[b]))
    return round(same / len(truth_pairs), 4)


def method_train(args, records, truth, rows) -> dict:
    """Train the shipped model on a training registry (another seed than the test data):
    u by random sampling, m from its known persons; choose the threshold there."""
    truth_pairs = datasets.true_pairs(truth)
    recall = _rule_recall(records, truth_pairs)
    table = batch.rows_table(records, extra={"entity": truth})
    con = batch.connection()
    linker = batch.linker_for(table, batch.settings(), con=con)
    splink = batch.train(linker, label_column="entity", recall=recall)
    # The second look's weights, from the pairs the pairwise model proposes (at 0.01). Twice:
    # the cases the batch links (and so the pairs it scores) depend on the weights; the first
    # round, without weights, scores from 0.5 only, and its weights only seed the second.
    weights: dict[str, float] = {}
    for _round in range(2):
        pairs = batch.predict_together(con, linker, table, weights, threshold=0.5)
        rows = pairs.filter("pairwise_probability >= 0.01")
        rows = rows.select("unique_id_l, unique_id_r, pairwise_probability, together_level")
        rows = rows.fetchall()
        weights = together.estimate((level, truth[a] == truth[b]) for a, b, _p, level in rows)
    scored = [(a, b, together.adjusted(p, level, weights)) for a, b, p, level in rows]
    threshold, result = best_threshold(scored, truth_pairs, GRID)
    MODEL_FILE.write_text(
        json.dumps(
            {
                "threshold": threshold,
                "review_threshold": 0.5,
                "prior_recall": recall,
                "together": weights,
                "splink": splink,
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    return {"threshold": threshold, **result, "model": str(MODEL_FILE.relative_to(ROOT))}


def method_nansen(args, records, truth, rows) -> dict:
    """Nansen's model (comparisons of nansen.identity.scoring, m from the shipped model), with
    u and the prior re-estimated on this registry; FEBRL3 trains m by EM instead."""
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    table = batch.rows_table(records)
    con = batch.connection()
    if args.data == "febrl3":
        linker = batch.linker_for(table, batch.settings(), con=con)
        batch.train(linker, recall=0.7)  # no training registry: the usual guess
        batch.train_em(linker)
        threshold = args.threshold or 0.9
    else:
        linker = batch.linker_for(table, batch.with_current_blocking(shipped["splink"]), con=con)
        batch.train(linker)
        threshold = args.threshold or shipped["threshold"]
    pairs = batch.predict_together(
        con, linker, table, shipped.get("together", {}), threshold=threshold
    )
    if args.pairs:  # every scored pair with its level, for reading the errors
        pairs.select(
            "unique_id_l, unique_id_r, match_probability, pairwise_probability, together_level, "
            "match_key"
        ).write_parquet(str(args.pairs))
    truth_pairs = datasets.true_pairs(truth)
    rows = pairs.select("unique_id_l, unique_id_r, match_probability, pairwise_probability")
    rows = rows.fetchall()
    found = {(min(a, b), max(a, b)) for a, b, p, _q in rows if p >= threshold}
    pairwise = {(min(a, b), max(a, b)) for a, b, _p, q in rows if q >= threshold}
    result = datasets.scores(found, truth_pairs)
    before = datasets.scores(pairwise, truth_pairs)
    return {"threshold": threshold, **result, "pairwise_only": before}


def _exact_key(record) -> str | None:
    if record.birth is None or not record.names.spellings:
        return None
    return f"{record.names.signature}|{record.birth.low}|{record.birth.high}"


def method_exact(args, records, truth, rows) -> dict:
    """Baseline: the same normalised name (casefold, accents, token order) and birth date."""
    from nansen.identity.normalise import latin_tokens

    groups = defaultdict(list)
    for record, row in zip(records, rows, strict=True):
        name = row.get("full_name") or f"{row.get('given_name', '')} {row.get('surname', '')}"
        tokens = " ".join(sorted(latin_tokens(str(name))))
        birth = row.get("birth_date") or row.get("date_of_birth")
        if tokens and birth:
            groups[(tokens, str(birth))].append(record.key)
    found = set()
    for ids in groups.values():
        ids.sort()
        found |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return datasets.scores(found, datasets.true_pairs(truth))


def method_jw(args, records, truth, rows) -> dict:
    """Baseline: rapidfuzz Jaro-Winkler on the whole normalised name, within blocks of the
    same year of birth and first letter of the family name, at the threshold tuned on the
    data itself (the best F1 of a grid: an optimistic baseline)."""
    from anyascii import anyascii
    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.process import cdist

    blocks = defaultdict(list)
    for record, row in zip(records, rows, strict=True):
        given = row.get("given_name") or ""
        family = row.get("family_name") or row.get("surname") or ""
        name = anyascii(f"{given} {family}").lower().strip()
        birth = row.get("birth_date") or row.get("date_of_birth")
        year = str(birth)[:4] if birth else "?"
        blocks[(year, anyascii(str(family))[:1].lower())].append((record.key, name))
    scored = []
    for members in blocks.values():
        if len(members) < 2:
            continue
        names = [n for _k, n in members]
        matrix = cdist(names, names, scorer=JaroWinkler.normalized_similarity, score_cutoff=0.8)
        for i, j in zip(*matrix.nonzero(), strict=True):
            if i < j:
                a, b = members[i][0], members[j][0]
                scored.append(((min(a, b), max(a, b)), matrix[i, j]))
    truth_pairs = datasets.true_pairs(truth)
    best = (0.0, {"f1": -1})
    for threshold in (0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 1.0):
        found = {p for p, s in scored if s >= threshold}
        result = datasets.scores(found, truth_pairs)
        if result["f1"] > best[1]["f1"]:
            best = (threshold, result)
    return {"threshold": best[0], **best[1]}


def method_generic(args, records, truth, rows) -> dict:
    """Baseline: Splink with the configuration of its documentation's deduplication example
    (first name, surname, date of birth, city, e-mail), trained as the example trains it."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(
        {
            "unique_id": [r.key for r in records],
            "first_name": [
                (row.get("given_name") or "").split(" ")[0].lower() or None for row in rows
            ],
            "surname": [
                str(row.get("family_name") or row.get("surname") or "").lower() or None
                for row in rows
            ],
            "dob": [
                str(row.get("birth_date") or row.get("date_of_birth") or "") or None for row in rows
            ],
            "city": [
                str(row.get("place_of_birth") or row.get("suburb") or "").lower() or None
                for row in rows
            ],
            "email": [None] * len(rows),
        }
    )
    if args.data == "febrl3":
        frame["dob"] = [
            f"{d[:4]}-{d[4:6]}-{d[6:]}" if d and len(d) == 8 else None for d in frame["dob"]
        ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.JaroAtThresholds("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "dob"),
            block_on("surname"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.3).as_pandas_dataframe()
    threshold, result = best_threshold(predictions, datasets.true_pairs(truth), GRID)
    return {"threshold": threshold, **result}


METHODS = {
    "train": method_train,
    "nansen": method_nansen,
    "exact": method_exact,
    "jw": method_jw,
    "generic": method_generic,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("method", choices=sorted(METHODS))
    parser.add_argument("--data", required=True, help="febrl3 or a generated .parquet file")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument(
        "--pairs", type=Path, default=None, help="nansen: write the scored pairs to this .parquet"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    records, truth, rows = load(args.data)
    prepared = time.perf_counter() - started
    result = METHODS[args.method](args, records, truth, rows)
    result |= {
        "method": args.method,
        "data": name_of(args.data),
        "records": len(records),
        "seconds": round(time.perf_counter() - started, 1),
        "seconds_preparing": round(prepared, 1),
        "cpu_seconds": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_utime
            + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
            1,
        ),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{result['data']}-{args.method}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
