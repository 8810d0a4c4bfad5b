"""Gather var/bench/results/*.json into the Markdown tables of docs/benchmarks.md.

python bench/identity/report.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "var" / "bench" / "results"
ORDER = {"nansen": 0, "exact": 1, "jw": 2, "generic": 3, "train": 4}
NAMES = {
    "nansen": "Nansen (Splink, comparisons of nansen.identity.scoring)",
    "exact": "exact normalised name + date of birth",
    "jw": "rapidfuzz Jaro-Winkler, tuned threshold",
    "generic": "Splink, documentation's generic dedupe configuration",
    "train": "Nansen, training registry (seed 11)",
}


def main() -> None:
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    pairwise = [r for r in results if r["method"] not in ("registration-check", "dedupe-command")]
    checks = [r for r in results if r["method"] == "registration-check"]
    commands = [r for r in results if r["method"] == "dedupe-command"]
    print("| data | method | threshold | precision | recall | F1 | wall s | CPU s | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in sorted(pairwise, key=lambda r: (r["data"], ORDER.get(r["method"], 9))):
        print(
            f"| {r['data']} | {NAMES.get(r['method'], r['method'])} | {r.get('threshold', '')} "
            f"| {r['precision']} | {r['recall']} | **{r['f1']}** | {r.get('seconds', '')} "
            f"| {r.get('cpu_seconds', '')} | {r.get('peak_memory_mb', '')} |"
        )
        before = r.get("pairwise_only")
        # the same run's pairs before the second look (nansen.identity.registered_together)
        if before:
            print(
                f"| {r['data']} | Nansen, pairwise model only (same run) "
                f"| {r.get('threshold', '')} | {before['precision']} | {before['recall']} "
                f"| {before['f1']} | | | |"
            )
    if checks:
        print()
        print(
            "| data | database | persons indexed | queries | p50 ms | p95 ms | p99 ms "
            "| true duplicate in first 20 |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for r in checks:
            print(
                f"| {r['data']} | {r['database']} | {r['indexed_persons']:,} | {r['queries']} "
                f"| {r['p50_ms']} | **{r['p95_ms']}** | {r['p99_ms']} "
                f"| **{r['top20_share']:.1%}** |"
            )

    if commands:
        print()
        print("| database | persons | wall s | CPU s | peak MB | pairs queued | clusters |")
        print("|---|---|---|---|---|---|---|")
        for r in commands:
            print(
                f"| {r['database']} | {r['persons']:,} | **{r['seconds']}** | {r['cpu_seconds']} "
                f"| {r['peak_memory_mb']:,} | {r['pairs_queued']:,} | {r['clusters']:,} |"
            )


if __name__ == "__main__":
    main()
