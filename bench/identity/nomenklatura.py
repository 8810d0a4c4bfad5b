"""Name pairs of nomenklatura's name benchmark (../shared/data/names), persons only.

Reported apart for the observed groups and for the machine-proposed ``synth_*`` groups.
The pairs carry names alone, so each matcher is judged on its name evidence: Nansen's name
comparison (its level's match weight, without the registry's name frequencies), exact
equality of the normalised names, and rapidfuzz Jaro-Winkler on the whole name. Nansen and
Jaro-Winkler take the threshold that gives them the best F1 over all person pairs (the same
treatment for both: optimistic for both), then are scored per group.

    python bench/identity/nomenklatura.py
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from anyascii import anyascii  # noqa: E402
from rapidfuzz.distance import JaroWinkler  # noqa: E402

from nansen.core.reference_data import reference_data_dir  # noqa: E402
from nansen.identity.match_records import record_from_values  # noqa: E402
from nansen.identity.normalise import latin_tokens  # noqa: E402
from nansen.identity.scoring import BY_KEY, packaged_model  # noqa: E402

CASES = reference_data_dir() / "names" / "nomenklatura_name_cases.csv"
RESULTS = ROOT / "var" / "bench" / "results"


def nansen_score(model, one: str, other: str) -> float:
    a = record_from_values(key="a", full_name=one)
    b = record_from_values(key="b", full_name=other)
    comparison = BY_KEY["name"]
    level = comparison.level_of(a, b)
    return -99.0 if level is None else model.level_weight(comparison, level)


def exact_score(one: str, other: str) -> float:
    return float(sorted(latin_tokens(one)) == sorted(latin_tokens(other)))


def jw_score(one: str, other: str) -> float:
    return JaroWinkler.similarity(anyascii(one).lower(), anyascii(other).lower())


def evaluate(pairs, scores, threshold) -> dict:
    tp = sum(1 for (_g, _a, _b, m), s in zip(pairs, scores, strict=True) if m and s >= threshold)
    fp = sum(
        1 for (_g, _a, _b, m), s in zip(pairs, scores, strict=True) if not m and s >= threshold
    )
    fn = sum(1 for (_g, _a, _b, m), s in zip(pairs, scores, strict=True) if m and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main() -> None:
    with CASES.open(encoding="utf-8") as handle:
        pairs = [
            (row["case_group"], row["name1"], row["name2"], row["is_match"] == "true")
            for row in csv.DictReader(handle)
            if row["schema"] == "Person"
        ]
    model = packaged_model()
    matchers = {
        "nansen": lambda a, b: nansen_score(model, a, b),
        "exact": exact_score,
        "jw": jw_score,
    }
    results = []
    for name, scorer in matchers.items():
        scores = [scorer(a, b) for _g, a, b, _m in pairs]
        candidates = [1.0] if name == "exact" else sorted(set(scores))  # equal or not
        threshold = max(candidates, key=lambda t: evaluate(pairs, scores, t)["f1"])
        for group, keep in (
            ("observed", lambda g: not g.startswith("synth_")),
            ("synth", lambda g: g.startswith("synth_")),
        ):
            chosen = [i for i, p in enumerate(pairs) if keep(p[0])]
            result = evaluate([pairs[i] for i in chosen], [scores[i] for i in chosen], threshold)
            results.append(
                {
                    "method": name,
                    "data": f"nomenklatura-{group}",
                    "pairs": len(chosen),
                    "threshold": round(threshold, 3),
                    **result,
                }
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    for result in results:
        out = RESULTS / f"{result['data']}-{result['method']}.json"
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(json.dumps(result))


if __name__ == "__main__":
    main()
