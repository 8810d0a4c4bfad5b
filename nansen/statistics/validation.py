"""Checking the consistency monitor against data whose answer is known.

- Real decisions: the Federal Court of Canada's decisions on motions to stay removal,
  2012-2022, each with the judge who decided it (Rehaag, "Luck of the Draw III", Queen's Law
  Journal 49(2); data CC BY-NC 4.0, in nansen/data/reference/case_level). The case mix is
  the kind of underlying application (the court's "nature" of proceeding) and the year.
- A synthetic caseload with a planted difference: officers who decide alike except one, whose
  grant odds are moved by a known amount, with case mixes that differ between officers so that
  raw rates mislead.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import numpy as np

from nansen.statistics.consistency import Cell

STAYS_GRANTED, STAYS_DISMISSED = "granted", "dismissed"


def stay_decision_cells(path: Path) -> list[Cell]:
    """Decided stay motions (granted or dismissed) as monitor cells: judge × nature × year."""
    decided: Counter = Counter()
    granted: Counter = Counter()
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            outcome = row["stay_outcome"]
            if outcome not in (STAYS_GRANTED, STAYS_DISMISSED) or not row["stay_judge"]:
                continue
            key = (row["stay_judge"], row["nature"], row["year"])
            decided[key] += 1
            granted[key] += outcome == STAYS_GRANTED
    return [Cell(*key, decided[key], granted[key]) for key in sorted(decided)]


# Three nationalities with different typical grant rates, and how often each officer gets each.
SYNTHETIC_BASE_RATES = {"AFG": 0.35, "SYR": 0.85, "TUR": 0.15}


def synthetic_cells(
    *,
    rng: np.random.Generator,
    officers: int = 10,
    per_officer: int = 200,
    planted_points: float = 0.0,
    planted_officer: int = 0,
) -> list[Cell]:
    """A caseload where every officer decides like the others except ``planted_officer``,
    whose grant rate on a claim with a typical rate of 50 % is ``planted_points`` higher
    (a shift of the log-odds, so the same shift on every nationality). Officers' case mixes
    differ: officer i gets Syrians with probability rising from 10 % to 60 %."""
    origins = list(SYNTHETIC_BASE_RATES)
    shift = _logit(0.5 + planted_points) - _logit(0.5) if planted_points else 0.0
    cells = []
    for officer in range(officers):
        syrians = 0.1 + 0.5 * officer / max(officers - 1, 1)
        mix = np.array([(1 - syrians) / 2, syrians, (1 - syrians) / 2])
        counts = rng.multinomial(per_officer, mix)
        for origin, count in zip(origins, counts, strict=True):
            logit = _logit(SYNTHETIC_BASE_RATES[origin])
            if officer == planted_officer:
                logit += shift
            granted = int(rng.binomial(count, 1 / (1 + math.exp(-logit))))
            cells.append(Cell(f"officer-{officer:02d}", origin, "2025", int(count), granted))
    return cells


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
