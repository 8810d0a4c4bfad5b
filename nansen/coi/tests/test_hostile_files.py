"""Files built to exhaust the server are refused within bounded time and memory, with a
reason, and leave nothing behind."""

import base64
import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from pypdf import PdfWriter

from nansen.coi.models import Source
from nansen.coi.services import SourceInput, UploadedSource, source_add, source_update
from nansen.coi.tests.pdf import flate_pdf, tiny_pdf
from nansen.coi.tests.test_pages import token_for
from nansen.core.permissions import NotAllowed

# Three pages, 30 KB: 950,000 text operators per page once unpacked. It took 66 s of CPU
# in one request before reading was bounded.
SLOW_PAGE = b"BT /F1 1 Tf " + b"(a) Tj " * 950_000 + b"ET"
# Under pypdf's parsing budget per stream, but slow across forty pages: the time limit
# has to catch it.
SLOW_PAGES = flate_pdf([b"BT /F1 1 Tf " + b"(a) Tj " * 190_000 + b"ET"], pages=40)
# 220 KB that unpack to 222 MB of content streams.
FLATE_BOMB = flate_pdf([b"BT /F1 1 Tf (x) Tj ET " + b" " * 74_000_000 + b" " * i for i in range(3)])
QUICKLY = 10


def data(**overrides):
    values = {
        "title": "Eritrea: national service",
        "publisher": "EUAA",
        "published_on": date(2024, 4, 1),
        "countries": ["ERI"],
        "text": "",
    }
    values.update(overrides)
    return SourceInput(**values)


def refused(personas, content: bytes) -> str:
    started = time.monotonic()
    with pytest.raises(NotAllowed) as refusal:
        source_add(
            actor=personas.officer,
            data=data(),
            upload=UploadedSource(name="report.pdf", content=content),
        )
    assert time.monotonic() - started < QUICKLY
    assert not Source.objects.exists()
    return str(refusal.value)


def test_it_refuses_content_streams_built_to_be_slow(personas):
    assert "too large or complex" in refused(
        personas, flate_pdf([SLOW_PAGE, SLOW_PAGE + b" ", SLOW_PAGE + b"  "])
    )


@override_settings(COI_EXTRACTION_LIMITS={"wall_seconds": 3, "cpu_seconds": 2})
def test_it_stops_reading_when_the_time_is_up(personas):
    assert "could not be read within" in refused(personas, SLOW_PAGES)


def test_it_refuses_a_flate_bomb(personas):
    assert "too large or complex" in refused(personas, FLATE_BOMB)


@override_settings(COI_EXTRACTION_LIMITS={"memory_mb": 150})
def test_it_refuses_a_file_that_needs_too_much_memory(personas):
    pages = [b"BT /F1 1 Tf (" + b"a" * 9_000_000 + b") Tj ET" + b" " * i for i in range(6)]
    assert "more than 150 MB of memory" in refused(personas, flate_pdf(pages))


def test_it_refuses_too_many_pages(personas):
    many = flate_pdf([b"BT /F1 11 Tf 72 760 Td (page) Tj ET"], pages=2001)
    assert "2001 pages; at most 2000" in refused(personas, many)


def test_it_refuses_a_pdf_protected_by_a_password(personas):
    writer = PdfWriter(clone_from=io.BytesIO(tiny_pdf([["Secret."]])))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "password" in refused(personas, buffer.getvalue())


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << >>\n%%EOF",
        b"%PDF-1.7\n" + b"\x00\xff" * 5000,
        tiny_pdf([["Cut short."]])[:300],
    ],
)
def test_it_refuses_a_damaged_pdf(personas, content):
    assert refused(personas, content)


def test_a_correction_with_a_file_it_cannot_read_changes_nothing(personas):
    source = source_add(actor=personas.officer, data=data(text="Conscription is indefinite."))
    with pytest.raises(NotAllowed, match="too large or complex"):
        source_update(
            actor=personas.officer,
            source=source,
            expected_version=source.version,
            data=data(title="Renamed"),
            upload=UploadedSource(name="bomb.pdf", content=FLATE_BOMB),
        )
    source.refresh_from_db()
    assert source.title == "Eritrea: national service"
    assert source.text == "Conscription is indefinite."
    assert source.file is None


def test_the_page_refuses_the_file_with_its_reason(client, personas):
    client.force_login(personas.officer)
    started = time.monotonic()
    response = client.post(
        "/coi/sources/new/",
        {
            "title": "Bomb",
            "publisher": "EUAA",
            "published_on": "2024-05-01",
            "countries": ["ERI"],
            "language": "eng",
            "file": SimpleUploadedFile("bomb.pdf", FLATE_BOMB, content_type="application/pdf"),
        },
    )
    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 400
    assert "too large or complex to read safely" in response.text
    assert not Source.objects.exists()


def test_the_api_refuses_the_file_with_its_reason(client, personas):
    pdf = flate_pdf([SLOW_PAGE, SLOW_PAGE + b" ", SLOW_PAGE + b"  "])
    started = time.monotonic()
    response = client.post(
        "/api/coi/sources",
        {
            "title": "Slow",
            "publisher": "EUAA",
            "published_on": "2024-01-01",
            "countries": ["ERI"],
            "file": {"name": "slow.pdf", "content_base64": base64.b64encode(pdf).decode()},
        },
        content_type="application/json",
        **token_for(personas.officer),
    )
    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 400
    assert "too large or complex" in response.json()["detail"]
    assert not Source.objects.exists()
