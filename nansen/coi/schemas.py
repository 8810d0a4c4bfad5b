"""The shapes of the country-of-origin information API (nansen.coi.api)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from ninja import Field, Schema

from nansen.api.types import IsoDate
from nansen.coi import services
from nansen.coi.models import Source
from nansen.core.permissions import NotAllowed
from nansen.core.weblinks import WebUrl


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
