"""The country-of-origin information API: the same services and selectors as the pages.
Mounted at /api/coi."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.api.types import IsoDate
from nansen.coi import selectors, services
from nansen.coi.models import Source
from nansen.coi.schemas import HitOut, SourceIn, SourceOut, SourceTextOut, SourceUpdateIn
from nansen.core.permissions import require
from nansen.core.search import SearchQuery

router = Router(tags=["country information"])


def _see(request) -> None:
    require(request.user, Action.VIEW_COI)


def _source(pk: int) -> Source:
    try:
        return selectors.sources_with_details().get(pk=pk)
    except Source.DoesNotExist:
        raise Http404 from None


@router.get("/sources", response={200: list[SourceOut], 404: ErrorOut})
def list_sources(
    request,
    country: str = "",
    topic: str = "",
    published_from: IsoDate | None = None,
    published_to: IsoDate | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Sources of the library (shared by every office), newest first."""
    _see(request)
    sources = (
        selectors.source_list(
            country=country, topic=topic, published_from=published_from, published_to=published_to
        )
        .prefetch_related("countries", "topics")
        .annotate(passage_count=Count("passages"))
    )
    return list(sources.order_by("-published_on", "pk")[offset : offset + limit])


@router.get("/sources/{int:source_id}", response={200: SourceTextOut, 404: ErrorOut})
def get_source(request, source_id: int):
    _see(request)
    return _source(source_id)


@router.post("/sources", response={201: SourceOut, **ERRORS})
def add_source(request, payload: SourceIn):
    """Add a source, with its text or a file (PDF, HTML, text) whose text is extracted."""
    source = services.source_add(
        actor=request.user, data=payload.to_input(), upload=payload.upload()
    )
    return Status(201, _source(source.pk))


@router.put("/sources/{int:source_id}", response={200: SourceOut, **ERRORS})
def update_source(request, source_id: int, payload: SourceUpdateIn):
    """Correct a source. Answers 409 when it changed since ``version``."""
    require(request.user, Action.MANAGE_COI)
    source = services.source_update(
        actor=request.user,
        source=_source(source_id),
        expected_version=payload.version,
        data=payload.to_input(),
        upload=payload.upload(),
    )
    return _source(source.pk)


@router.get("/search", response={200: list[HitOut], 404: ErrorOut})
def search(
    request,
    q: SearchQuery,
    country: str = "",
    topic: str = "",
    published_from: IsoDate | None = None,
    published_to: IsoDate | None = None,
    language: str = "",
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10_000),
):
    """Full-text search: the passages that answer ``q`` best first, with highlighted
    snippets, filtered by country, topic, date and language."""
    _see(request)
    results = selectors.search_passages(
        query=q,
        office=request.user.office,
        today=timezone.localdate(),
        country=country,
        topic=topic,
        published_from=published_from,
        published_to=published_to,
        language=language,
        limit=limit,
        offset=offset,
    )
    return [
        {
            "source": r.source,
            "passage": r.passage,
            "rank": r.rank,
            "snippet_html": str(r.snippet),
            "stale": r.stale,
        }
        for r in results
    ]


@router.get("/topics", response={200: list[str], 404: ErrorOut})
def list_topics(request):
    _see(request)
    return selectors.topics()
