"""Workbooks written part by part for tests: a registration list of any size, with its
table of texts padded to a given count, or a table of texts built to unpack to far more
than the file's size."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="Persons" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
HEADER = ["household", "relationship", "given_name", "family_name", "sex", "birth_date"]
HEADER += ["country_of_origin", "languages"]


def persons(count: int) -> list[list[str]]:
    """``count`` households of one principal applicant each, no two alike."""
    born = date(1950, 1, 1)
    rows = []
    for i in range(count):
        birth = (born + timedelta(days=i)).isoformat()
        rows.append([f"H{i}", "principal", "Mariam", "Haddad", "F", birth, "SYR", "ara"])
    return rows


def registration_workbook(rows: list[list[str]], *, strings: int = 0) -> bytes:
    """The header and ``rows``, every cell a shared string; with ``strings``, the table of
    texts is padded with distinct unused texts to that many entries."""
    table: dict[str, int] = {}
    sheet = io.StringIO()
    sheet.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}"><sheetData>')
    for row in [HEADER, *rows]:
        sheet.write("<row>")
        for value in row:
            sheet.write(f'<c t="s"><v>{table.setdefault(value, len(table))}</v></c>')
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")
    texts = list(table)
    texts += [f"unused text {i:07d}" for i in range(max(0, strings - len(texts)))]
    shared = io.StringIO()
    shared.write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sst xmlns="{MAIN}" count="{len(texts)}" uniqueCount="{len(texts)}">'
    )
    for text in texts:
        shared.write(f"<si><t>{text}</t></si>")
    shared.write("</sst>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
        archive.writestr("xl/sharedStrings.xml", shared.getvalue())
    return buffer.getvalue()


def string_bomb(megabytes: int, *, declared: int | None = None) -> bytes:
    """A valid workbook of one header line whose table of texts unpacks to ``megabytes``
    MB of one repeated text (a few hundred KB packed). ``declared`` is the count its header
    claims (the true count when None)."""
    text = "<si><t>" + "A" * 1017 + "</t></si>"  # 1 KB
    count = megabytes * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, body in PARTS.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + body)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="s"><v>0</v></c></row>'
            "</sheetData></worksheet>",
        )
        claimed = count if declared is None else declared
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{MAIN}" count="{claimed}" uniqueCount="{claimed}">'.encode())
            block = (text * 1024).encode()
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</sst>")
    return buffer.getvalue()
