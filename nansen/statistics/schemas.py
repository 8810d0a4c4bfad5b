"""The shapes of the statistics API (nansen.statistics.api); the tables themselves are
answered as the selectors build them."""

from __future__ import annotations

from ninja import Field, Schema


class OverviewRowOut(Schema):
    country_of_origin: str
    year: int
    applications: int
    applications_new: int
    applications_repeat: int
    recognized: int
    complementary: int
    rejected: int
    closed: int
    total_decisions: int
    recognition_rate: float | None = Field(
        description="Percent; null without substantive decisions"
    )
    protection_rate: float | None = Field(description="Percent; null without substantive decisions")
