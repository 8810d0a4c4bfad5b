"""Values for a cell of a CSV or XLSX export, and the limits of a workbook read.

Text that a spreadsheet would run as a formula is defused with a leading apostrophe (OWASP,
"CSV injection"): a user name typed at a failed sign-in, a pledge title, any free text.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from xml.parsers import expat

from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# Reading workbooks ---------------------------------------------------------------------------
#
# An XLSX file is a zip of XML parts. openpyxl, even in read-only mode, holds the whole
# shared-string table in memory (every string, and an element for each); the sheets it
# streams. So a workbook is measured before openpyxl sees it: the zip's declared sizes
# (Python's zipfile stops at the declared size and fails the CRC beyond it, so a part
# cannot unpack to more than it declares), how much each part is compressed, and the
# number of shared strings, counted by a streaming parser that keeps nothing.


class WorkbookRefused(ValueError):
    """The workbook is refused whole, before it is parsed; the message says why."""


@dataclass(frozen=True)
class WorkbookLimits:
    members: int = 1_000
    # A sheet is streamed, row by row: its size costs time, not memory. A million persons
    # written by openpyxl make a sheet of about 1.1 GB.
    total_bytes: int = 2 * 1024 * 1024 * 1024
    # Uncompressed / compressed, for parts over ``ratio_from_bytes``. Spreadsheet XML
    # written by Excel, LibreOffice or openpyxl compresses 5 to 30 times.
    ratio: int = 100
    ratio_from_bytes: int = 1024 * 1024
    shared_strings_bytes: int = 64 * 1024 * 1024
    shared_strings: int = 1_000_000


WORKBOOK_LIMITS = WorkbookLimits()
_SHARED_STRINGS = "sharedstrings.xml"
_EOCD = b"PK\x05\x06"


def workbook_check(data: bytes, *, limits: WorkbookLimits | None = None) -> None:
    """Refuse (``WorkbookRefused``) a workbook that would take more than ``limits`` to read;
    return quietly for one within them."""
    limits = limits or WORKBOOK_LIMITS
    _check_member_count(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused(_("The file is not a readable XLSX workbook.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            raise _too_many_members(limits)
        total = 0
        for member in members:
            total += member.file_size
            if total > limits.total_bytes:
                raise WorkbookRefused(
                    _(
                        "The workbook unpacks to more than %(mb)s MB; split the list, or "
                        "save it as CSV."
                    )
                    % {"mb": limits.total_bytes // (1024 * 1024)}
                )
            if member.file_size > limits.ratio_from_bytes and member.file_size > limits.ratio * max(
                member.compress_size, 1
            ):
                raise WorkbookRefused(
                    _(
                        "A part of the workbook (%(part)s) unpacks to %(ratio)s times its "
                        "size; the file is refused as a compression bomb."
                    )
                    % {
                        "part": member.filename[:80],
                        "ratio": member.file_size // max(member.compress_size, 1),
                    }
                )
        for member in members:
            if member.filename.lower().rsplit("/", 1)[-1] == _SHARED_STRINGS:
                _check_shared_strings(archive, member, limits)


def _too_many_members(limits: WorkbookLimits) -> WorkbookRefused:
    return WorkbookRefused(
        _("The workbook holds more than %(count)s parts; it is not a spreadsheet to import.")
        % {"count": limits.members}
    )


def _check_member_count(data: bytes, limits: WorkbookLimits) -> None:
    """The number of parts, from the zip's end record, before zipfile builds an object for
    each (a 50 MB zip can declare half a million)."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # Not a zip: zipfile says so.
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if entries != 0xFFFF and entries > limits.members:
        raise _too_many_members(limits)


def _check_shared_strings(archive, member, limits: WorkbookLimits) -> None:
    too_many = WorkbookRefused(
        _(
            "The workbook's table of texts is larger than %(count)s texts or %(mb)s MB; "
            "split the list, or save it as CSV."
        )
        % {"count": limits.shared_strings, "mb": limits.shared_strings_bytes // (1024 * 1024)}
    )
    if member.file_size > limits.shared_strings_bytes:
        raise too_many
    counted = 0

    def start(name, attributes):
        nonlocal counted
        local = name.rsplit(":", 1)[-1]
        if local == "sst":
            declared = max(_as_int(attributes.get("count")), _as_int(attributes.get("uniqueCount")))
            if declared > limits.shared_strings:
                raise too_many
        elif local == "si":
            counted += 1
            if counted > limits.shared_strings:
                raise too_many

    def refuse_declarations(*_args):
        raise WorkbookRefused(_("The workbook's XML declares entities; it is refused."))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse_declarations
    parser.StartDoctypeDeclHandler = refuse_declarations
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1024 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise WorkbookRefused(
            _("The workbook's table of texts cannot be read (damaged XML or zip).")
        ) from None


def _as_int(value) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
