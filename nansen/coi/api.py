"""The country-of-origin information API: the same services and selectors as the pages.
Mounted at /api/coi."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ErrorOut
from nansen.api.types import IsoDate
from nansen.coi import selectors, services
from nansen.coi.models import Source
from nansen.core.permissions import NotAllowed, require
from nansen.core.search import SearchQuery
from nansen.core.weblinks import WebUrl

router = Router(tags=["country information"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class FileIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(description="The file (PDF, HTML or text), base64-encoded")


class SourceIn(Schema):
    title: str = Field(min_length=1, max_length=500)
    publisher: str = Field(min_length=1, max_length=300)
    published_on: IsoDate
    countries: list[str] = Field(min_length=1, max_length=50, description="ISO 3166-1 alpha-3")
    topics: list[str] = Field(default_factory=list, max_length=50)
    url: WebUrl = Field("", max_length=1000, description="http or https only")
    language: str = Field("eng", min_length=3, max_length=3, description="ISO 639-3")
    text: str = Field("", description="The text; empty when a file is given")
    reliability_note: str = Field("", max_length=20000)
    file: FileIn | None = None

    def to_input(self) -> services.SourceInput:
        return services.SourceInput(**self.model_dump(exclude={"file", "version"}))

    def upload(self) -> services.UploadedSource | None:
        if self.file is None:
            return None
        try:
            content = base64.b64decode(self.file.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise NotAllowed("The file is not valid base64.") from exc
        return services.UploadedSource(name=self.file.name, content=content)


class SourceUpdateIn(SourceIn):
    version: int


class SourceOut(Schema):
    id: int
    title: str
    publisher: str
    published_on: IsoDate
    countries: list[str]
    topics: list[str]
    url: str
    language: str
    reliability_note: str
    file_name: str
    file_type: str
    passages: int
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_countries(obj: Source) -> list[str]:
        return [c.country for c in obj.countries.all()]

    @staticmethod
    def resolve_topics(obj: Source) -> list[str]:
        return [t.name for t in obj.topics.all()]

    @staticmethod
    def resolve_passages(obj: Source) -> int:
        counted = getattr(obj, "passage_count", None)
        return counted if counted is not None else obj.passages.count()


class PassageOut(Schema):
    number: int = Field(description="Paragraph number in the source")
    page: int | None
    text: str


class SourceTextOut(SourceOut):
    text_passages: list[PassageOut]

    @staticmethod
    def resolve_text_passages(obj: Source) -> list:
        return list(obj.passages.order_by("number"))


class HitOut(Schema):
    source: SourceOut
    passage: PassageOut
    rank: float = Field(description="Relevance on the database engine's own scale")
    snippet_html: str = Field(description="The passage's best part, matches in <mark>")
    stale: bool = Field(description="Older than the user's office flags sources")


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
