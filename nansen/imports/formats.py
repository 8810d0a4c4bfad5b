"""Reading an import file into rows of text: CSV in the encodings offices use, or XLSX.

Nothing here knows what a column means (that is validation.py); this turns bytes into a
header and numbered rows, or refuses the file with a :class:`FileRefused` that says why.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from nansen.core.spreadsheet import WorkbookRefused, workbook_check

# Encodings an office may choose; detection considers the same ones.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "shift_jis": "Shift_JIS (Japanese)",
    "cp1256": "Windows-1256 (Arabic)",
}
_DETECTABLE = ["shift_jis", "cp1256"]
_DELIMITERS = (",", ";", "\t")
# A field larger than this is not a name or an address: refuse instead of holding it.
MAX_FIELD_CHARS = 10_000


class FileRefused(ValueError):
    """The file cannot be read at all (format, encoding, size); the message says why."""


@dataclass
class Table:
    """The header and the rows, each row with the line (CSV) or row (XLSX) it came from."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    file_format: str
    encoding: str = ""


def file_format(name: str, data: bytes) -> str:
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_table(name: str, data: bytes, *, encoding: str | None = None) -> Table:
    """The file as a table; ``encoding`` (one of ENCODINGS) overrides detection for CSV."""
    if file_format(name, data) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data, encoding)


# CSV ----------------------------------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file: a byte-order mark, else strict UTF-8, else the likeliest
    of Shift_JIS and Windows-1256 (charset-normalizer), else refuse."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=_DETECTABLE).best()
    if best is None:
        raise FileRefused(
            _(
                "The file's character encoding could not be recognised. Save it as UTF-8, "
                "or choose its encoding."
            )
        )
    return "shift_jis" if "jis" in best.encoding else "cp1256"


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    chosen = encoding or detect_encoding(data)
    if chosen not in ENCODINGS:
        raise FileRefused(_("Unknown encoding: %(name)s.") % {"name": chosen[:40]})
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            _("The file is not valid %(encoding)s (line %(line)s).")
            % {"encoding": ENCODINGS[chosen], "line": line}
        ) from None
    if chosen == "utf-16" and text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise FileRefused(_("The file contains NUL characters: it is not a text (CSV) file."))
    return text, chosen


def _delimiter(first_line: str) -> str:
    return max(_DELIMITERS, key=first_line.count)


def _read_csv(data: bytes, encoding: str | None) -> Table:
    text, chosen = _decode(data, encoding)
    first_line = text.split("\n", 1)[0]
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FileRefused(_("Line 1 cannot be read: %(error)s") % {"error": exc}) from None
    if not header or not any(cell.strip() for cell in header):
        raise FileRefused(_("The file is empty: the first line must name the columns."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(
                    _("Line %(line)s cannot be read: %(error)s")
                    % {"line": reader.line_num, "error": exc}
                ) from None
            if any(row):
                yield start, row
            start = reader.line_num + 1

    return Table(header=header, rows=rows(), file_format="csv", encoding=chosen)


# XLSX ---------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook_check(data)
    except WorkbookRefused as exc:
        raise FileRefused(str(exc)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # ParseError: XML that does not parse, such as a part declaring an entity (never
    # resolved: the parser does not load external entities).
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, ParseError) as exc:
        raise FileRefused(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(exc).__name__}
        ) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileRefused(_("The workbook has no sheet."))
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(values, ())]
    except Exception as exc:
        raise FileRefused(
            _("The first sheet cannot be read (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRefused(_("The file is empty: the first line must name the columns."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [_cell_text(v) for v in row]
                if any(c.strip() for c in cells):
                    if any(len(c) > MAX_FIELD_CHARS for c in cells):
                        raise FileRefused(
                            _("Row %(line)s has a cell longer than %(limit)s characters.")
                            % {"line": number, "limit": MAX_FIELD_CHARS}
                        )
                    yield number, cells
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(
                _("The sheet cannot be read (%(error)s).") % {"error": type(exc).__name__}
            ) from None
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), file_format="xlsx")
