"""Reading the library. Sources are not personal data: every user allowed to see country
information sees all of them, whatever their office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString

from nansen.accounts.models import Office
from nansen.coi import analysis, search
from nansen.coi.models import CoiSettings, Passage, Source, SourceChange, SourceCountry, Topic


def sources_with_details() -> QuerySet[Source]:
    return Source.objects.prefetch_related(
        Prefetch("countries", queryset=SourceCountry.objects.order_by("country")),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
    )


def source_get(*, pk: int) -> Source:
    return get_object_or_404(
        sources_with_details().select_related("created_by", "updated_by"), pk=pk
    )


def source_changes(source: Source) -> list[SourceChange]:
    return list(source.changes.select_related("actor").order_by("-at", "-pk"))


def source_list(
    *,
    country: str = "",
    topic: str = "",
    published_from: date | None = None,
    published_to: date | None = None,
    language: str = "",
) -> QuerySet[Source]:
    """The sources that pass the filters (the base of the list and of a search)."""
    sources = Source.objects.all()
    if country:
        sources = sources.filter(
            pk__in=SourceCountry.objects.filter(country=country).values("source_id")
        )
    if topic:
        sources = sources.filter(topics__name=topic)
    if published_from:
        sources = sources.filter(published_on__gte=published_from)
    if published_to:
        sources = sources.filter(published_on__lte=published_to)
    if language:
        sources = sources.filter(language=language)
    return sources


def topics() -> list[str]:
    return list(Topic.objects.order_by("name").values_list("name", flat=True))


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    # The same day of the month, or the month's last day (29 February, 31st…).
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def stale_after_months(office: Office | None) -> int:
    if office is None:
        return CoiSettings.DEFAULT_STALE_AFTER_MONTHS
    found = CoiSettings.objects.filter(office=office).values_list("stale_after_months", flat=True)
    return next(iter(found), CoiSettings.DEFAULT_STALE_AFTER_MONTHS)


def stale_cutoff(office: Office | None, today: date) -> date:
    """Sources published before this day are flagged as possibly out of date in ``office``."""
    return months_before(today, stale_after_months(office))


@dataclass
class Result:
    passage: Passage
    source: Source
    rank: float
    snippet: SafeString
    stale: bool


def search_passages(
    *,
    query: str,
    office: Office | None,
    today: date,
    country: str = "",
    topic: str = "",
    published_from: date | None = None,
    published_to: date | None = None,
    language: str = "",
    limit: int = 20,
    offset: int = 0,
) -> list[Result]:
    """The passages that answer ``query`` best, first, each with its highlighted snippet
    and whether its source is older than the office's threshold."""
    sources = source_list(
        country=country,
        topic=topic,
        published_from=published_from,
        published_to=published_to,
        language=language,
    )
    hits = search.search(query, sources=sources, limit=limit, offset=offset)
    passages = Passage.objects.in_bulk([h.passage_id for h in hits])
    source_ids = {p.source_id for p in passages.values()}
    by_id = sources_with_details().in_bulk(source_ids)
    cutoff = stale_cutoff(office, today)
    results = []
    for hit in hits:
        passage = passages[hit.passage_id]
        source = by_id[passage.source_id]
        results.append(
            Result(
                passage=passage,
                source=source,
                rank=hit.rank,
                snippet=analysis.highlighted(hit.snippet),
                stale=source.is_stale(cutoff),
            )
        )
    return results
