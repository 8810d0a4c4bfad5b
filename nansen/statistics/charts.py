"""Charts drawn on the server as SVG geometry: no JavaScript, no CDN, printable.

Each chart is shown beside the table that holds the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from nansen.procedures.models import Outcome
from nansen.statistics.rates import DecisionCounts
from nansen.statistics.selectors import StatisticsRow

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 60
PLOT_WIDTH = 520


@dataclass(frozen=True)
class Segment:
    outcome: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: int
    segments: list[Segment]

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 6

    @property
    def total_x(self) -> float:
        end = self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH
        return end + 6


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    legend: list[tuple[str, str]]


def outcome_bars(rows: list[StatisticsRow]) -> BarChart:
    """Decisions per year, one stacked bar each, segments by outcome, scaled to the largest."""
    per_year: dict[int, DecisionCounts] = {}
    for row in rows:
        per_year[row.year] = per_year.get(row.year, DecisionCounts()) + row.decisions
    years = sorted(per_year)
    largest = max((c.total for c in per_year.values()), default=0) or 1
    bars = []
    for index, year in enumerate(years):
        counts = per_year[year]
        x = float(LABEL_WIDTH)
        segments = []
        for outcome in Outcome:
            count = getattr(counts, outcome.value)
            width = PLOT_WIDTH * count / largest
            if count:
                segments.append(Segment(outcome.value, str(outcome.label), count, x, width))
            x += width
        bars.append(Bar(str(year), counts.total, index * (BAR_HEIGHT + BAR_GAP), segments))
    return BarChart(
        bars=bars,
        width=LABEL_WIDTH + PLOT_WIDTH + 60,
        height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        legend=[(o.value, str(o.label)) for o in Outcome],
    )
