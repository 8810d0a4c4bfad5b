"""How sure a rate is: intervals and tests for proportions, written out so they can be read.

- Wilson score interval for one proportion (Wilson 1927; recommended over the Wald interval by
  Brown, Cai & DasGupta, Statistical Science 16(2), 2001), good for small counts and for
  rates of 0 or 1.
- Newcombe's hybrid score interval for a difference of two proportions (Newcombe, Statistics
  in Medicine 17, 1998, method 10), built from the two Wilson intervals.
- The two-proportion z test with the pooled proportion.
- Benjamini–Hochberg adjusted p-values (q-values) when many rates are tested at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def as_list(self) -> list[float]:
        return [self.low, self.high]


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval for successes/n; None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(
    successes_a: int, n_a: int, successes_b: int, n_b: int, z: float = Z95
) -> Interval | None:
    """Interval for p_a − p_b (Newcombe's method 10); None when either n is 0."""
    a, b = wilson(successes_a, n_a, z), wilson(successes_b, n_b, z)
    if a is None or b is None:
        return None
    p_a, p_b = successes_a / n_a, successes_b / n_b
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - a.low) ** 2 + (b.high - p_b) ** 2)
    high = difference + math.sqrt((a.high - p_a) ** 2 + (p_b - b.low) ** 2)
    return Interval(max(-1.0, low), min(1.0, high))


def two_proportion_p_value(successes_a: int, n_a: int, successes_b: int, n_b: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z test of p_a = p_b."""
    if n_a <= 0 or n_b <= 0:
        return None
    pooled = (successes_a + successes_b) / (n_a + n_b)
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    if variance == 0:
        return 1.0
    z = (successes_a / n_a - successes_b / n_b) / math.sqrt(variance)
    return 2 * (1 - NormalDist().cdf(abs(z)))


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, in the order given (JRSS B 57, 1995)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted
