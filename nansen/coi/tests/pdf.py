"""A minimal PDF writer for tests: pages of ASCII text in Helvetica, one line each."""

from __future__ import annotations

import zlib


def tiny_pdf(pages: list[list[str]], *, title: str = "", created: str = "") -> bytes:
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        stream = "BT /F1 11 Tf 72 760 Td 14 TL "
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream += f"({escaped}) Tj T* "
        stream += "ET"
        content = add(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream".encode("latin-1"))
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    references = " ".join(f"{k} 0 R" for k in kids)
    pages = add(f"<< /Type /Pages /Kids [{references}] /Count {len(kids)} >>".encode())
    assert pages == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    info = add(f"<< /Title ({title}) /CreationDate (D:{created}000000Z) >>".encode())
    return _pdf_file(objects, root=catalog, info=info)


def flate_pdf(streams: list[bytes], *, pages: int | None = None) -> bytes:
    """A PDF whose pages draw the given content streams, each compressed with FlateDecode;
    with ``pages``, that many pages share the streams in turn. For files built to be costly
    to read: a compressed stream can unpack to thousands of times its size."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    contents = []
    for stream in streams:
        packed = zlib.compress(stream, 9)
        head = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        contents.append(add(head + packed + b"\nendstream"))
    count = pages or len(streams)
    pages_id = len(objects) + count + 1
    kids = [
        add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> "
            f"/Contents {contents[i % len(contents)]} 0 R >>".encode()
        )
        for i in range(count)
    ]
    references = " ".join(f"{k} 0 R" for k in kids)
    assert add(f"<< /Type /Pages /Kids [{references}] /Count {count} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    return _pdf_file(objects, root=catalog)


def _pdf_file(objects: list[bytes], *, root: int, info: int | None = None) -> bytes:
    """The numbered objects written out with their cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"/Size {len(objects) + 1} /Root {root} 0 R"
    if info is not None:
        trailer += f" /Info {info} 0 R"
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
