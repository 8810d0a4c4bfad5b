"""Reading sources in bulk: a CSV file (with the text, or a file path relative to it), or
a folder of PDF, HTML and text files (described by a sources.csv in it, or by what each
file says of itself)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from nansen.coi.extraction import EXTENSIONS, extract, file_type_for
from nansen.coi.services import ImportRow, SourceInput, UploadedSource
from nansen.core.permissions import NotAllowed

CSV_NAME = "sources.csv"


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _date(value: str, line: int) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise NotAllowed(
            _("Line %(line)s: published_on must be YYYY-MM-DD, not “%(value)s”.")
            % {"line": line, "value": value}
        ) from None


def rows_from_csv(path: Path) -> list[ImportRow]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = []
    for line, record in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        upload = None
        if (record.get("file") or "").strip():
            file_path = (path.parent / record["file"].strip()).resolve()
            if not file_path.is_file():
                raise NotAllowed(
                    _("Line %(line)s: there is no file %(path)s.")
                    % {"line": line, "path": file_path}
                )
            upload = UploadedSource(name=file_path.name, content=file_path.read_bytes())
        rows.append(
            ImportRow(
                line=line,
                data=SourceInput(
                    title=record.get("title", ""),
                    publisher=record.get("publisher", ""),
                    published_on=_date(record.get("published_on", ""), line),
                    countries=_split(record.get("countries", "")),
                    topics=_split(record.get("topics", "")),
                    url=(record.get("url") or "").strip(),
                    language=(record.get("language") or "eng").strip(),
                    text=record.get("text") or "",
                    reliability_note=record.get("reliability_note") or "",
                ),
                upload=upload,
            )
        )
    return rows


def rows_from_folder(
    folder: Path, *, countries: list[str], topics: list[str], language: str
) -> list[ImportRow]:
    """The sources of a folder: as its sources.csv describes them, or else every PDF, HTML
    and text file in it, described by what the file says of itself (title, author, date),
    with the countries and topics given."""
    if (folder / CSV_NAME).is_file():
        return rows_from_csv(folder / CSV_NAME)
    rows = []
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTENSIONS)
    for number, path in enumerate(files, start=1):
        content = path.read_bytes()
        try:
            extracted = extract(content, file_type_for(path.name, content))
        except NotAllowed as exc:
            raise NotAllowed(f"{path.name}: {exc}") from exc
        if not extracted.created:
            raise NotAllowed(
                _(
                    "%(file)s: the file gives no date of publication; describe the folder's "
                    "files in %(csv)s."
                )
                % {"file": path.name, "csv": CSV_NAME}
            )
        rows.append(
            ImportRow(
                line=number,
                data=SourceInput(
                    title=extracted.title or path.stem,
                    publisher=extracted.author or "?",
                    published_on=date.fromisoformat(extracted.created),
                    countries=countries,
                    topics=topics,
                    language=language,
                ),
                upload=UploadedSource(name=path.name, content=content),
            )
        )
    return rows
