"""How large a difference the consistency monitor finds with 50, 200 and 1,000 decisions
per officer: simulated offices with one officer's grant odds moved by a planted amount.

    .venv/bin/python bench/statistics/power.py --offices 200

Prints a Markdown table for docs/statistics.md: for each number of decisions per officer and
each planted difference (points of grant rate on a claim with a typical rate of 50 %), the
share of offices where that officer was flagged, and the share of other officers flagged
wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nansen.statistics.consistency import HIGHER, LOWER, consistency_monitor
from nansen.statistics.validation import synthetic_cells

SIZES = (50, 200, 1000)
DIFFERENCES = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    found: dict[tuple[int, float], float] = {}
    false: dict[int, list[float]] = {n: [] for n in SIZES}
    for n in SIZES:
        for difference in DIFFERENCES:
            hits = wrong = 0
            for _ in range(args.offices):
                result = consistency_monitor(
                    synthetic_cells(rng=rng, per_officer=n, planted_points=difference)
                )
                verdicts = {m.maker: m.verdict for m in result.makers}
                hits += verdicts["officer-00"] == HIGHER
                wrong += sum(v in (HIGHER, LOWER) for k, v in verdicts.items() if k != "officer-00")
            found[(n, difference)] = hits / args.offices
            false[n].append(wrong / (args.offices * 9))
            print(
                f"{n} {difference:.2f} found {hits / args.offices:.2f} "
                f"false {wrong / (args.offices * 9):.3f}",
                file=sys.stderr,
                flush=True,
            )
    header = " | ".join(f"+{d * 100:.0f} points" if d else "no difference" for d in DIFFERENCES)
    print(f"| decisions per officer | {header} | others flagged wrongly |")
    print("|---:|" + "---:|" * (len(DIFFERENCES) + 1))
    for n in SIZES:
        cells = " | ".join(f"{found[(n, d)] * 100:.0f} %" for d in DIFFERENCES)
        print(f"| {n} | {cells} | {max(false[n]) * 100:.1f} % (at most) |")


if __name__ == "__main__":
    main()
