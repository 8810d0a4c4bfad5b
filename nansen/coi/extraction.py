"""Text out of an uploaded source: PDF (pypdf, page by page), HTML (the standard library's
parser, paragraphs kept), plain text (its encoding detected).

The reading itself (``nansen.coi.reading``) runs in a child process with its CPU time,
memory and pages capped and a wall-clock timeout, so a hostile file costs the server at most
``limits()`` and is refused with a reason. It still runs while the request waits; once
Nansen has a job runner it belongs there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings
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
    """The file's text, read in a child process held to ``limits()``; a file that cannot
    be read within them is refused with the reason (``NotAllowed``)."""
    if len(content) > MAX_FILE_BYTES:
        raise NotAllowed(_("The file is larger than 50 MB."))
    bounds = limits()
    argument = json.dumps(
        {
            "file_type": str(file_type),
            "cpu_seconds": bounds.cpu_seconds,
            "memory_bytes": bounds.memory_mb * 1024 * 1024,
            "max_pages": bounds.max_pages,
            "max_chars": bounds.max_chars,
        }
    )
    try:
        child = subprocess.run(  # noqa: S603 - our own module, no shell, no user input in argv
            [sys.executable, "-I", "-m", "nansen.coi.reading", argument],
            input=content,
            capture_output=True,
            timeout=bounds.wall_seconds,
            check=False,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        raise NotAllowed(_refusal("time", {"seconds": bounds.wall_seconds}, bounds)) from None
    try:
        answer = json.loads(child.stdout) if child.returncode == 0 else None
    except ValueError:
        answer = None
    if answer is None:
        # Killed by its CPU limit (SIGXCPU, then SIGKILL), or died before answering.
        params: dict = {}
        if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            reason, params = "time", {"seconds": bounds.cpu_seconds}
        elif b"MemoryError" in child.stderr:
            reason = "memory"
        else:
            reason = "malformed"
        raise NotAllowed(_refusal(reason, params, bounds))
    if not answer["ok"]:
        raise NotAllowed(_refusal(answer["reason"], answer.get("params") or {}, bounds))
    return Extracted(
        pages=answer["pages"],
        title=answer.get("title", ""),
        author=answer.get("author", ""),
        created=answer.get("created", ""),
    )


@dataclass(frozen=True)
class Limits:
    """What reading one file may take. Settings: ``COI_EXTRACTION_LIMITS`` (a dict with
    any of these names) overrides the defaults."""

    wall_seconds: float = 20
    cpu_seconds: int = 15
    memory_mb: int = 768
    max_pages: int = 2000
    max_chars: int = 20_000_000


def limits() -> Limits:
    return Limits(**getattr(settings, "COI_EXTRACTION_LIMITS", {}))


def _refusal(reason: str, params: dict, bounds: Limits) -> str:
    if reason == "time":
        return _(
            "The file could not be read within %(seconds)s seconds; it may be damaged or "
            "built to be slow to read. Paste its text, or upload a simpler version."
        ) % {"seconds": f"{params['seconds']:g}"}
    if reason == "memory":
        return _(
            "The file needs more than %(mb)s MB of memory to read (it unpacks to far more "
            "than its size). Paste its text, or upload a simpler version."
        ) % {"mb": bounds.memory_mb}
    if reason == "too_many_pages":
        return _("The PDF has %(count)s pages; at most %(limit)s can be read.") % params
    if reason == "too_much_text":
        return _("The file holds more than %(limit)s characters of text.") % params
    if reason == "too_complex":
        return _(
            "The PDF has a part too large or complex to read safely. Paste its text, or "
            "upload a simpler version."
        )
    if reason == "encrypted":
        return _("The PDF is protected by a password; upload an unprotected copy.")
    if reason == "no_text":
        return _("The PDF has no text layer (a scan?). Paste its text, or add a text version.")
    if reason == "encoding":
        return _("The file's text could not be read (unknown encoding).")
    return _("The file is damaged or not a valid PDF, HTML or text file.")
