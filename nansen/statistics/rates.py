"""UNHCR's two rates, computed one way everywhere.

Refugee recognition rate = recognized / (recognized + complementary + rejected);
total protection rate = (recognized + complementary) / (recognized + complementary + rejected).
Otherwise-closed decisions are not substantive and stay out of both (UNHCR, Global Trends
methodology; International Recommendations on Refugee Statistics, 2018, para. 6.20).
A rate over zero substantive decisions is undefined, not zero.

``DecisionCounts`` is the only place either rate is computed: a table, a comparison or a
consistency aid holds its counts as ``DecisionCounts`` and reads the rate from them, and a
page or the API shows it in percent through ``as_percent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class DecisionCounts:
    recognized: int = 0
    complementary: int = 0
    rejected: int = 0
    closed: int = 0

    @property
    def substantive(self) -> int:
        return self.recognized + self.complementary + self.rejected

    @property
    def total(self) -> int:
        return self.substantive + self.closed

    @property
    def protected(self) -> int:
        """Persons granted international protection: refugee status or complementary."""
        return self.recognized + self.complementary

    @property
    def recognition_rate(self) -> Fraction | None:
        if not self.substantive:
            return None
        return Fraction(self.recognized, self.substantive)

    @property
    def protection_rate(self) -> Fraction | None:
        if not self.substantive:
            return None
        return Fraction(self.protected, self.substantive)

    def __add__(self, other: DecisionCounts) -> DecisionCounts:
        return DecisionCounts(
            self.recognized + other.recognized,
            self.complementary + other.complementary,
            self.rejected + other.rejected,
            self.closed + other.closed,
        )


def as_percent(rate: Fraction | None) -> float | None:
    """A rate in percent to one decimal, as the statistics pages, the API and `nansen stats`
    give it; None when undefined."""
    return None if rate is None else round(float(rate) * 100, 1)
