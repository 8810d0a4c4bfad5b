"""Charts drawn on the server as SVG geometry: no JavaScript, no CDN, printable.

Each chart is shown beside the table that holds the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nansen.procedures.models import Outcome
from nansen.statistics.rates import DecisionCounts

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
    legend: list[tuple[str, str]]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def stacked_outcome_bars(items: list[tuple[str, DecisionCounts]], label_width=LABEL_WIDTH):
    """One stacked bar per (label, counts), segments by outcome, scaled to the largest."""
    largest = max((c.total for _, c in items), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(items):
        x = float(label_width)
        segments = []
        for outcome in Outcome:
            count = getattr(counts, outcome.value)
            width = PLOT_WIDTH * count / largest
            if count:
                segments.append(Segment(outcome.value, str(outcome.label), count, x, width))
            x += width
        bars.append(Bar(label, counts.total, index * (BAR_HEIGHT + BAR_GAP), segments))
    return BarChart(
        bars=bars,
        width=label_width + PLOT_WIDTH + 60,
        height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP),
        label_width=label_width,
        bar_height=BAR_HEIGHT,
        legend=[(o.value, str(o.label)) for o in Outcome],
    )


def outcome_bars(table) -> BarChart:
    """Decisions per year, one stacked bar each, from a selectors.DecisionTable broken down by
    year (among other dimensions)."""
    position = table.dims.index("year")
    per_year: dict[int, DecisionCounts] = {}
    for row in table.rows:
        year = row.key[position]
        per_year[year] = per_year.get(year, DecisionCounts()) + row.counts
    return stacked_outcome_bars([(str(y), per_year[y]) for y in sorted(per_year)])


# -- Rates across years -----------------------------------------------------------------------

LINE_LEFT, LINE_TOP, LINE_WIDTH, LINE_HEIGHT = 48, 12, 560, 220


@dataclass
class LinePoint:
    x: float
    y: float
    label: str
    masked: bool


@dataclass
class Line:
    key: str
    label: str
    points: list[LinePoint] = field(default_factory=list)

    @property
    def path(self) -> str:
        """SVG path data; a year without a rate breaks the line."""
        parts, pen_down, previous_x = [], False, None
        for point in self.points:
            gap = previous_x is not None and point.x - previous_x > self.step * 1.5
            parts.append(f"{'L' if pen_down and not gap else 'M'}{point.x:.1f},{point.y:.1f}")
            pen_down, previous_x = True, point.x
        return " ".join(parts)

    step: float = 0.0


@dataclass
class LineChart:
    lines: list[Line]
    years: list[tuple[float, str]]
    gridlines: list[tuple[float, str]]
    width: int = LINE_LEFT + LINE_WIDTH + 16
    height: int = LINE_TOP + LINE_HEIGHT + 28
    left: int = LINE_LEFT
    right: int = LINE_LEFT + LINE_WIDTH
    bottom: int = LINE_TOP + LINE_HEIGHT

    @property
    def axis_label_y(self) -> int:
        return self.bottom + 18


def rate_lines(years: list[int], series: list[tuple[str, str, dict[int, tuple]]]) -> LineChart:
    """Rates (0-1) across years; ``series`` is (key, label, {year: (rate, masked)})."""
    count = max(len(years) - 1, 1)
    step = LINE_WIDTH / count

    def x_of(year: int) -> float:
        return LINE_LEFT + (years.index(year) * step if len(years) > 1 else LINE_WIDTH / 2)

    def y_of(rate: float) -> float:
        return LINE_TOP + LINE_HEIGHT * (1 - rate)

    lines = []
    for key, label, values in series:
        line = Line(key, label, step=step)
        for year in years:
            rate, masked = values.get(year, (None, False))
            if rate is None:
                continue
            line.points.append(
                LinePoint(x_of(year), y_of(rate), f"{label} {year}: {rate * 100:.1f} %", masked)
            )
        lines.append(line)
    labelled = years if len(years) <= 16 else years[:: max(len(years) // 8, 1)]
    return LineChart(
        lines=lines,
        years=[(x_of(y), str(y)) for y in labelled],
        gridlines=[(y_of(r / 100), f"{r} %") for r in (0, 25, 50, 75, 100)],
    )


# -- Decision-makers with their intervals -----------------------------------------------------

FOREST_LABEL, FOREST_WIDTH, FOREST_ROW = 150, 420, 20


@dataclass
class ForestRow:
    y: float
    label: str
    dot_x: float
    low_x: float
    high_x: float
    adjusted_x: float
    verdict: str

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass
class ForestChart:
    rows: list[ForestRow]
    reference_x: float | None
    ticks: list[tuple[float, str]]
    width: int = FOREST_LABEL + FOREST_WIDTH + 20
    left: int = FOREST_LABEL
    right: int = FOREST_LABEL + FOREST_WIDTH

    @property
    def height(self) -> int:
        return len(self.rows) * FOREST_ROW + 30

    @property
    def axis_y(self) -> int:
        return len(self.rows) * FOREST_ROW + 4

    @property
    def label_x(self) -> int:
        return FOREST_LABEL - 8

    @property
    def tick_label_y(self) -> int:
        return self.axis_y + 16


def maker_intervals(result) -> ForestChart:
    """Each decision-maker: the raw grant rate (dot), the case-mix adjusted rate with its 95 %
    interval (bar), and the typical colleague's rate (vertical line)."""

    def x_of(rate: float) -> float:
        return FOREST_LABEL + FOREST_WIDTH * rate

    rows = []
    for index, maker in enumerate(result.makers):
        y = index * FOREST_ROW + FOREST_ROW / 2
        rows.append(
            ForestRow(
                y=y,
                label=maker.label,
                dot_x=x_of(maker.rate),
                low_x=x_of(maker.adjusted_interval.low),
                high_x=x_of(maker.adjusted_interval.high),
                adjusted_x=x_of(maker.adjusted_rate),
                verdict=maker.verdict,
            )
        )
    reference = None if result.typical_rate is None else x_of(result.typical_rate)
    return ForestChart(
        rows=rows,
        reference_x=reference,
        ticks=[(x_of(r / 100), f"{r} %") for r in (0, 25, 50, 75, 100)],
    )
