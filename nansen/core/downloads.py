"""Files sent to the browser: one way to name them.

A file name can come from a user (an uploaded COI file) or from a record; put in a header
as it is, a CR/LF starts a header of the attacker's choosing, a quote ends the name, and a
right-to-left override disguises ``report‮fdp.exe``. So every download is named through
``content_disposition``: control and format characters removed, the path dropped,
always an attachment (never rendered by the browser), an ASCII ``filename`` for old clients
and, for any other name, RFC 6266's ``filename*=UTF-8''…`` with the name as it was.

Django's ``content_disposition_header`` sends ``filename*`` alone for a non-ASCII name (no
ASCII fallback) and leaves control characters in it, percent-encoded; hence this module.
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

MAX_NAME_CHARS = 150
# Cc: control (CR, LF, NUL, ESC…); Cf: format (bidirectional overrides, zero widths);
# Zl, Zp: line and paragraph separators.
_DROPPED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9._()\- ]+")


def clean_filename(name: str, *, default: str = "download") -> str:
    """``name`` fit for a header and a file system: printable characters only, no path,
    no leading dot, at most MAX_NAME_CHARS characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_CHARS]
    return name or default


def ascii_filename(name: str, *, default: str = "download") -> str:
    """The ASCII ``filename`` sent beside ``filename*``: accents dropped, any other
    character replaced with ``_``; the extension kept."""
    stem, extension = os.path.splitext(name)
    stem, extension = _fold(stem), _fold(extension.lstrip("."))
    if not stem.strip("_ "):
        stem = default
    return f"{stem}.{extension}" if extension.strip("_") else stem


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _FALLBACK_UNSAFE.sub("_", folded).strip(" .")


def content_disposition(filename: str, *, default: str = "download") -> str:
    """The ``Content-Disposition`` value of a download named ``filename``."""
    name = clean_filename(filename, default=default)
    fallback = ascii_filename(name, default=default)
    value = f'attachment; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def attachment_response(content, *, filename: str, content_type: str) -> HttpResponse:
    """A response that the browser saves as ``filename`` (never displays)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
