"""Downloads are named through one helper: no header injection, no disguised extension,
non-ASCII names with RFC 6266 ``filename*`` and an ASCII fallback, always an attachment."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest

from nansen.coi.services import SourceInput, UploadedSource, source_add
from nansen.core.downloads import content_disposition

INJECTION = "report\r\nSet-Cookie: sessionid=attacker.txt"


def _filename_star(header: str) -> str:
    found = re.search(r"filename\*=UTF-8''([^;]+)", header)
    assert found, header
    return unquote(found.group(1))


def test_an_ascii_name_is_sent_as_it_is():
    assert content_disposition("report.pdf") == 'attachment; filename="report.pdf"'


def test_a_name_cannot_add_a_header():
    header = content_disposition(INJECTION)
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="reportSet-Cookie_ sessionid_attacker.txt"')
    assert _filename_star(header) == "reportSet-Cookie: sessionid=attacker.txt"


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("シリア国別報告書.pdf", "download.pdf"),
        ("تقرير سوريا 2024.pdf", "2024.pdf"),
        ("Évaluation des risques.pdf", "Evaluation des risques.pdf"),
    ],
)
def test_a_non_ascii_name_is_sent_with_filename_star_and_an_ascii_fallback(name, fallback):
    header = content_disposition(name)
    header.encode("ascii")
    assert header.startswith(f'attachment; filename="{fallback}"; ')
    assert _filename_star(header) == name


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override
        ('a"; filename="evil.html', "a_ filename_evil.html"),
        ("../../etc/passwd", "passwd"),
        ("\x00\x1b", "download"),
        ("", "download"),
    ],
)
def test_a_name_is_cleaned_of_controls_quotes_and_paths(name, saved_as):
    header = content_disposition(name)
    assert header.split(";")[0] == "attachment"
    assert re.match(r'attachment; filename="([^"]*)"', header).group(1) == saved_as


def test_a_long_name_keeps_its_extension():
    header = content_disposition("x" * 400 + ".pdf")
    assert header.endswith('.pdf"') and len(header) < 200


@pytest.mark.parametrize("name", [INJECTION, "シリア国別報告書.txt", "تقرير.txt"])
def test_an_uploaded_file_downloads_under_its_cleaned_name(client, personas, name):
    source = source_add(
        actor=personas.officer,
        data=SourceInput(
            title="Returnees",
            publisher="EUAA",
            published_on=date(2024, 1, 1),
            countries=["SYR"],
        ),
        upload=UploadedSource(name=name, content=b"Returnees are questioned."),
    )
    client.force_login(personas.officer)
    response = client.get(f"/coi/sources/{source.pk}/file/")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="')
    assert "\r" not in header and "\n" not in header
    assert not response.has_header("Set-Cookie") or "attacker" not in response["Set-Cookie"]
    assert _filename_star(header) == name.replace("\r\n", "")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_download_is_named_through_the_helper():
    """A new download that writes its own Content-Disposition fails here."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "downloads.py":
            continue
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "Content-Disposition" in line and "content_disposition(" not in line:
                offenders.append(f"{path.relative_to(root)}: {line.strip()}")
        if "FileResponse(" in text or "as_attachment" in text:
            offenders.append(f"{path.relative_to(root)}: FileResponse")
    assert offenders == []
