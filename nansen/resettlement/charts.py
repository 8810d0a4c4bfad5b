"""Fulfilment drawn on the server as SVG geometry, shown beside the table with its numbers.

One bar per pledge (or per period of one pledge): persons by the furthest stage they
reached (arrived, departed, accepted, submitted), with a mark at the places pledged.
"""

from __future__ import annotations

from dataclasses import dataclass

from nansen.resettlement.models import ReferralStatus
from nansen.resettlement.selectors import Fulfilment

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 120
PLOT_WIDTH = 460
MIN_WIDTH = 2.0
STAGES = (
    ReferralStatus.ARRIVED,
    ReferralStatus.DEPARTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.SUBMITTED,
)


@dataclass(frozen=True)
class Segment:
    stage: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    note: str  # the share fulfilled, or the persons submitted when no places are known
    segments: list[Segment]
    target_x: float | None  # where the places pledged end; None when not announced

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 6

    @property
    def total_x(self) -> float:
        end = self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH
        return max(end, self.target_x or 0) + 6

    @property
    def target_top(self) -> int:
        return self.y - 3

    @property
    def target_bottom(self) -> int:
        return self.y + BAR_HEIGHT + 3


@dataclass(frozen=True)
class ProgressChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    legend: list[tuple[str, str]]

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def progress_bars(rows: list[tuple[str, Fulfilment]]) -> ProgressChart:
    """Stacked bars, each scaled to its own pledge: the whole width is the places pledged
    (or the persons submitted, when more). Pledges of 150 and of 35,000 places are then
    compared by share; rows without a number of places share the scale of the largest
    number submitted among them. A stage with anyone in it stays visible."""
    unannounced = max((f.submitted for _l, f in rows if f.places is None), default=0) or 1
    bars = []
    for index, (label, fulfilment) in enumerate(rows):
        scale = max(fulfilment.places or unannounced, fulfilment.submitted, 1)
        x = float(LABEL_WIDTH)
        segments = []
        for stage, count in fulfilment.furthest():
            if not count:
                continue
            width = max(PLOT_WIDTH * count / scale, MIN_WIDTH)
            segments.append(Segment(stage, str(ReferralStatus(stage).label), count, x, width))
            x += width
        target = (
            None
            if fulfilment.places is None
            else LABEL_WIDTH + PLOT_WIDTH * fulfilment.places / scale
        )
        y = index * (BAR_HEIGHT + BAR_GAP) + 4
        note = (
            f"{fulfilment.share_fulfilled:.1f} %"
            if fulfilment.share_fulfilled is not None
            else str(fulfilment.submitted)
        )
        bars.append(Bar(label, y, note, segments, target))
    return ProgressChart(
        bars=bars,
        width=LABEL_WIDTH + PLOT_WIDTH + 70,
        height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP) + 8,
        bar_height=BAR_HEIGHT,
        legend=[(stage.value, str(stage.label)) for stage in STAGES],
    )
