"""An XLSX file is XML in a zip. One that declares an external entity (XXE, OWASP ASVS 5.0
1.5.1) must not make the import read a file of the server into a person's record."""

import io
import zipfile

import pytest
from django.urls import reverse

from nansen.imports.formats import FileRefused, read_table
from nansen.imports.models import ImportJob
from nansen.imports.tests.workbooks import MAIN, PARTS
from nansen.registration.models import Person

MARKER = "NANSEN-SERVER-SECRET-7f3a"

ROW = {
    "household": "A",
    "relationship": "principal",
    "given_name": "Mariam",
    "family_name": "Haddad",
    "sex": "F",
    "birth_date": "1990-02-03",
    "country_of_origin": "SYR",
    "languages": "ara",
}


def _xlsx(secret_file, *, where: str | None) -> bytes:
    """A workbook registering one person. With ``where`` ("sharedStrings" or "sheet"), that
    part declares an external entity for the secret file and the given name refers to it;
    without, the given name is written out."""
    doctype = f'<!DOCTYPE {{root}} [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'
    strings = [*ROW, *ROW.values()]
    if where == "sharedStrings":
        strings[strings.index("Mariam")] = "&xxe;"
    header = "".join(f'<c t="s"><v>{i}</v></c>' for i in range(len(ROW)))
    cells = "".join(f'<c t="s"><v>{len(ROW) + i}</v></c>' for i in range(len(ROW)))
    if where == "sheet":
        given = '<c t="inlineStr"><is><t>&xxe;</t></is></c>'
        cells = cells.replace(f'<c t="s"><v>{strings.index("Mariam")}</v></c>', given)
    parts = {
        **PARTS,
        "xl/sharedStrings.xml": (doctype.format(root="sst") if where == "sharedStrings" else "")
        + f'<sst xmlns="{MAIN}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": (doctype.format(root="worksheet") if where == "sheet" else "")
        + f'<worksheet xmlns="{MAIN}"><sheetData>'
        + f"<row>{header}</row><row>{cells}</row></sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return buffer.getvalue()


def _upload(client, user, data: bytes):
    client.force_login(user)
    upload = io.BytesIO(data)
    upload.name = "persons.xlsx"
    return client.post(reverse("imports:import_new"), {"file": upload})


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


def _read_all(data: bytes) -> list[list[str]]:
    table = read_table("persons.xlsx", data)
    return [table.header, *(cells for _number, cells in table.rows)]


def test_without_an_entity_the_workbook_registers_its_person(client, personas, secret_file):
    """The control: the same workbook, the name written out, is read and registered."""
    data = _xlsx(secret_file, where=None)
    assert _read_all(data) == [list(ROW), list(ROW.values())]
    response = _upload(client, personas.clerk, data)
    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Mariam"]


@pytest.mark.parametrize("where", ["sharedStrings", "sheet"])
def test_an_external_entity_is_never_resolved(secret_file, where):
    """Python's expat, under openpyxl, does not fetch external entities: the reference is left
    undefined and the XML does not parse. Refused or read, the file's content never shows."""
    try:
        values = _read_all(_xlsx(secret_file, where=where))
    except FileRefused as exc:
        assert MARKER not in str(exc)
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError; see the defect below
        assert "undefined entity &xxe;" in str(exc)
        assert MARKER not in str(exc)
    else:
        assert MARKER not in repr(values)


@pytest.mark.parametrize("where", ["sharedStrings", "sheet"])
def test_an_upload_with_an_external_entity_registers_nobody(client, personas, secret_file, where):
    response = _upload(client, personas.clerk, _xlsx(secret_file, where=where))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status in (ImportJob.Status.REFUSED, ImportJob.Status.FAILED)
    assert MARKER not in repr(job.problems)
    assert not Person.objects.exists()
    assert MARKER not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("where", ["sharedStrings", "sheet"])
def test_a_workbook_declaring_an_entity_is_refused_with_a_reason(secret_file, where):
    with pytest.raises(FileRefused):
        _read_all(_xlsx(secret_file, where=where))
