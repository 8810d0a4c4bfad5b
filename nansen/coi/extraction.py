"""Text out of an uploaded source: PDF (pypdf, page by page), HTML (the standard library's
parser, paragraphs kept), plain text (its encoding detected)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from nansen.coi.models import FileType
from nansen.core.permissions import NotAllowed

MAX_FILE_BYTES = 50 * 1024 * 1024
EXTENSIONS = {
    ".pdf": FileType.PDF,
    ".html": FileType.HTML,
    ".htm": FileType.HTML,
    ".txt": FileType.TEXT,
    ".text": FileType.TEXT,
    ".md": FileType.TEXT,
}


@dataclass
class Extracted:
    """The text of a file, as pages (one for a file without pages), and what the file says
    about itself (title, author, date) where it says anything."""

    pages: list[str]
    title: str = ""
    author: str = ""
    created: str = ""  # ISO date, from the file's metadata

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.pages if p.strip())


def file_type_for(name: str, content: bytes) -> str:
    """The type of an uploaded file, from its content first (a PDF starts with %PDF),
    then its name."""
    if content[:5] == b"%PDF-":
        return FileType.PDF
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return FileType.HTML
    raise NotAllowed(_("“%(name)s” is not a PDF, HTML or text file.") % {"name": name or "?"})


def extract(content: bytes, file_type: str) -> Extracted:
    if len(content) > MAX_FILE_BYTES:
        raise NotAllowed(_("The file is larger than 50 MB."))
    if file_type == FileType.PDF:
        return _pdf(content)
    text = _decode(content)
    if file_type == FileType.HTML:
        return _html(text)
    return Extracted(pages=[text])


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig",):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            pass
    best = from_bytes(content).best()
    if best is None:
        raise NotAllowed(_("The file's text could not be read (unknown encoding)."))
    return str(best)


def _pdf(content: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [_tidy_pdf_page(page.extract_text() or "") for page in reader.pages]
        meta = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise NotAllowed(_("The PDF could not be read: %(error)s") % {"error": exc}) from exc
    if not any(p.strip() for p in pages):
        raise NotAllowed(
            _("The PDF has no text layer (a scan?). Paste its text, or add a text version.")
        )
    created = ""
    raw_date = meta.get("/CreationDate") if hasattr(meta, "get") else None
    if isinstance(raw_date, str):
        found = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw_date)
        if found:
            created = "-".join(found.groups())
    return Extracted(
        pages=pages,
        title=str(meta.get("/Title") or "").strip() if hasattr(meta, "get") else "",
        author=str(meta.get("/Author") or "").strip() if hasattr(meta, "get") else "",
        created=created,
    )


def _tidy_pdf_page(text: str) -> str:
    """A PDF page's text with words split at line ends joined again, and each line that
    ends a sentence closing its paragraph (PDFs mark no paragraphs)."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line or re.search(r"[.!?。！？؟:]$", line):
            out.append("")
    return "\n".join(out)


_BLOCK_TAGS = (
    "p div section article header footer li ul ol table tr h1 h2 h3 h4 h5 h6 br "
    "blockquote pre dd dt figcaption"
)
_BLOCKS = frozenset(_BLOCK_TAGS.split())
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "nav"})


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def _html(text: str) -> Extracted:
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    body = re.sub(r"\n[ \t]+", "\n", "".join(parser.parts))
    return Extracted(pages=[body.strip()], title=parser.title.strip())
