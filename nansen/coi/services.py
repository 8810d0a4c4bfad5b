"""Adding and correcting country information: each write one transaction that starts with
the permission check and records who changed what (``SourceChange`` and the audit log).

COI is not personal data, so no case history is written; the library is shared by every
office.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.audit.services import audit_record
from nansen.coi import analysis
from nansen.coi.extraction import Extracted, extract, file_type_for
from nansen.coi.models import CoiSettings, Passage, Source, SourceChange, SourceCountry, Topic
from nansen.core.concurrency import claim_version
from nansen.core.permissions import NotAllowed, require
from nansen.core.reference import is_country, is_language
from nansen.core.weblinks import web_url_clean

METADATA = ("title", "publisher", "published_on", "url", "language", "reliability_note")


@dataclass
class SourceInput:
    """A source's description, as a form, the API or an import file gives it. ``text`` may
    be empty when a file is given: its extracted text is used."""

    title: str
    publisher: str
    published_on: date
    countries: list[str]
    topics: list[str] = field(default_factory=list)
    url: str = ""
    language: str = "eng"
    text: str = ""
    reliability_note: str = ""


@dataclass
class UploadedSource:
    """A file that holds the source's text."""

    name: str
    content: bytes


def _clean(data: SourceInput) -> SourceInput:
    data = replace(data, countries=list(data.countries), topics=list(data.topics))
    data.title = data.title.strip()
    data.publisher = data.publisher.strip()
    if not data.title:
        raise NotAllowed(_("A source needs a title."))
    if not data.publisher:
        raise NotAllowed(_("Name the author or publisher of the source."))
    if data.published_on > timezone.localdate():
        raise NotAllowed(_("The date of publication cannot be in the future."))
    countries = [c.strip().upper() for c in data.countries if c.strip()]
    if not countries:
        raise NotAllowed(_("Name at least one country the source covers."))
    for code in countries:
        if not is_country(code):
            raise NotAllowed(
                _("%(code)s is not an ISO 3166-1 alpha-3 country code.") % {"code": code}
            )
    data.countries = sorted(set(countries))
    data.url = web_url_clean(data.url)
    data.topics = sorted({" ".join(t.split()).lower() for t in data.topics if t.strip()})
    if not is_language(data.language):
        raise NotAllowed(_("%(code)s is not an ISO 639-3 language code.") % {"code": data.language})
    return data


def _read_file(upload: UploadedSource) -> tuple[str, Extracted]:
    """The file's type and text, read before anything is changed: a file that cannot be
    read leaves the source as it was."""
    file_type = file_type_for(upload.name, upload.content)
    return file_type, extract(upload.content, file_type)


def _fingerprint(value) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text_summary(text: str) -> dict:
    return {"length": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _snapshot(source: Source) -> dict:
    snap = {name: _fingerprint(getattr(source, name)) for name in METADATA}
    snap["countries"] = sorted(source.countries.values_list("country", flat=True))
    snap["topics"] = sorted(source.topics.values_list("name", flat=True))
    snap["text"] = _text_summary(source.text)
    snap["file"] = {"name": source.file_name, "sha256": source.file_sha256}
    return snap


def _index(source: Source, pages: list[str] | None) -> int:
    """Split the source's text into passages (with their pages) and index them."""
    source.passages.all().delete()
    config = analysis.pg_config(source.language)
    rows = []
    if pages is None:
        pages_with_numbers = [(None, source.text)]
    else:
        pages_with_numbers = [(i, page) for i, page in enumerate(pages, start=1)]
    number = 0
    for page_number, page_text in pages_with_numbers:
        for paragraph in analysis.paragraphs(page_text):
            number += 1
            rows.append(
                Passage(
                    source=source,
                    number=number,
                    page=page_number,
                    text=paragraph,
                    indexed=analysis.index_text(paragraph),
                    config=config,
                )
            )
    Passage.objects.bulk_create(rows, batch_size=500)
    return number


def _set_relations(source: Source, data: SourceInput) -> None:
    existing = set(source.countries.values_list("country", flat=True))
    if existing != set(data.countries):
        source.countries.all().delete()
        SourceCountry.objects.bulk_create(
            SourceCountry(source=source, country=code) for code in data.countries
        )
    topics = [Topic.objects.get_or_create(name=name)[0] for name in data.topics]
    source.topics.set(topics)


def _record(actor: User, source: Source, before: dict, created: bool) -> SourceChange | None:
    after = _snapshot(source)
    changed = [key for key in after if before.get(key) != after[key]]
    if not changed and not created:
        return None
    change = SourceChange.objects.create(
        source=source,
        actor=actor,
        created=created,
        fields=changed,
        before={k: before.get(k) for k in changed} if not created else {},
        after={k: after[k] for k in changed},
    )
    audit_record(
        user=actor,
        action="coi_source_added" if created else "coi_source_changed",
        object_type="source",
        object_id=source.pk,
        details={"fields": changed},
    )
    return change


def _apply_file(
    source: Source,
    upload: UploadedSource | None,
    data: SourceInput,
    read: tuple[str, Extracted] | None,
):
    """Store the file and return its pages, or None to index the typed text."""
    if upload is None or read is None:
        return None
    file_type, extracted = read
    source.file = upload.content
    source.file_name = upload.name[:255]
    source.file_type = file_type
    source.file_sha256 = hashlib.sha256(upload.content).hexdigest()
    if data.text.strip():
        return None
    source.text = extracted.text
    return extracted.pages


@transaction.atomic
def source_add(*, actor: User, data: SourceInput, upload: UploadedSource | None = None) -> Source:
    """Add a source to the library, with its text typed in or taken from a file."""
    require(actor, Action.MANAGE_COI)
    data = _clean(data)
    if not data.text.strip() and upload is None:
        raise NotAllowed(_("Give the source's text, or upload it as a file."))
    read = _read_file(upload) if upload is not None else None
    source = Source(
        **{name: getattr(data, name) for name in METADATA},
        text=data.text.strip(),
        created_by=actor,
        updated_by=actor,
    )
    pages = _apply_file(source, upload, data, read)
    source.save()
    _set_relations(source, data)
    _index(source, pages)
    _record(actor, source, {}, created=True)
    return source


@transaction.atomic
def source_update(
    *,
    actor: User,
    source: Source,
    expected_version: int,
    data: SourceInput,
    upload: UploadedSource | None = None,
) -> Source:
    """Correct a source's description, text or file. A new file replaces the text unless
    a text is given too."""
    require(actor, Action.MANAGE_COI)
    data = _clean(data)
    read = _read_file(upload) if upload is not None else None
    before = _snapshot(source)
    claim_version(source, expected_version)
    for name in METADATA:
        setattr(source, name, getattr(data, name))
    if data.text.strip():
        source.text = data.text.strip()
    pages = _apply_file(source, upload, data, read)
    if not source.text.strip():
        raise NotAllowed(_("Give the source's text, or upload it as a file."))
    source.updated_at = timezone.now()
    source.updated_by = actor
    source.save()
    _set_relations(source, data)
    text_changed = before["text"] != _text_summary(source.text)
    if text_changed or before["language"] != source.language or pages is not None:
        _index(source, pages)
    _record(actor, source, before, created=False)
    return source


@dataclass
class ImportRow:
    line: int
    data: SourceInput
    upload: UploadedSource | None = None


@transaction.atomic
def sources_import(*, actor: User, rows: list[ImportRow]) -> list[Source]:
    """Add many sources at once (from a folder or a CSV file): all of them, or none. A
    refusal names the line it comes from."""
    require(actor, Action.MANAGE_COI)
    added = []
    for row in rows:
        try:
            added.append(source_add(actor=actor, data=row.data, upload=row.upload))
        except NotAllowed as exc:
            raise NotAllowed(
                _("Line %(line)s: %(error)s") % {"line": row.line, "error": exc}
            ) from exc
    return added


@transaction.atomic
def coi_settings_set(
    *, actor: User, office: Office, stale_after_months: int, expected_version: int | None
) -> CoiSettings:
    """Set how old a cited source may be, in the office, before it is flagged."""
    require(actor, Action.SET_ASSESSMENT_POLICY)
    if office.pk != actor.office_id:
        raise NotAllowed(_("Only the office's own settings can be changed."))
    if not 1 <= stale_after_months <= 240:
        raise NotAllowed(_("Give a number of months between 1 and 240."))
    current, created = CoiSettings.objects.get_or_create(office=office)
    before = current.stale_after_months
    if not created:
        claim_version(current, expected_version or current.version)
    current.stale_after_months = stale_after_months
    current.save(update_fields=["stale_after_months"])
    audit_record(
        user=actor,
        action="coi_settings_changed",
        object_type="coisettings",
        object_id=current.pk,
        details={"stale_after_months": [before, stale_after_months]},
    )
    return current
