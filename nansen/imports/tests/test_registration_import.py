import codecs
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from nansen.audit import chain
from nansen.audit.models import AuditEntry, CaseEvent
from nansen.imports.columns import COLUMN_NAMES
from nansen.imports.models import ImportJob
from nansen.imports.templates_files import template_csv, template_xlsx
from nansen.registration.models import Case, IdentityDocument, Person
from nansen.testing import register_family

HEADER = ",".join(COLUMN_NAMES)


def _csv(*rows: dict) -> str:
    lines = [HEADER]
    for row in rows:
        lines.append(",".join(row.get(name, "") for name in COLUMN_NAMES))
    return "\r\n".join(lines) + "\r\n"


def _person(household, relationship, given, **extra):
    values = {
        "household": household,
        "relationship": relationship,
        "given_name": given,
        "family_name": "Haddad",
        "sex": "F",
        "birth_date": "1990-02-03",
        "country_of_origin": "SYR",
        "languages": "ara",
    }
    values.update(extra)
    return values


FAMILIES = _csv(
    _person("A", "principal", "Mariam", given_name_original="مريم", interpreter_needed="yes"),
    _person("A", "child", "Yusuf", sex="M", birth_date="2016"),
    _person(
        "B",
        "principal",
        "Omar",
        sex="M",
        birth_date="1979-11",
        family_name="Nasser",
        document_type="passport",
        document_number="N123",
        document_issuing_country="SYR",
    ),
)


def _upload(client, user, content: bytes, name="persons.csv", **extra):
    client.force_login(user)
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("imports:import_new"), {"file": upload, **extra})


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_a_valid_file_registers_every_family_as_a_case(client, personas):
    response = _upload(client, personas.clerk, FAMILIES.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_detail", args=[job.uid])
    assert job.status == "done" and job.persons_created == 3 and job.cases_created == 2
    numbers = list(Case.objects.order_by("number").values_list("number", flat=True))
    assert numbers == ["TKY-2026-000001", "TKY-2026-000002"]
    family = Case.objects.get(number="TKY-2026-000001")
    members = {m.person.given_name: m.relationship for m in family.members.select_related("person")}
    assert members == {"Mariam": "principal", "Yusuf": "child"}
    mariam = Person.objects.get(given_name="Mariam")
    mariam.full_clean()  # what the import wrote passes the model's own validation
    assert mariam.search_text == "mariam | haddad | مريم"
    assert mariam.interpreter_needed and mariam.languages == ["ara"]
    assert mariam.office == personas.tokyo and mariam.created_by == personas.clerk
    yusuf = Person.objects.get(given_name="Yusuf")
    assert (yusuf.birth_date, yusuf.birth_date_precision) == (date(2016, 1, 1), "year")
    assert IdentityDocument.objects.get().person.given_name == "Omar"
    events = CaseEvent.objects.filter(verb="case_registered")
    assert events.count() == 2
    assert events.get(case=family).details == {"members": 2, "import": str(job.uid)}
    entry = AuditEntry.objects.get(action="registration_imported")
    assert entry.details["persons"] == 3 and entry.details["cases"] == 2
    assert "Mariam" not in str(entry.details)
    assert chain.verify().ok
    page = client.get(reverse("imports:import_detail", args=[job.uid])).content.decode()
    assert "3 persons registered in 2 cases (TKY-2026-000001 to TKY-2026-000002)" in page


def test_case_numbers_continue_after_those_given_by_the_page(personas):
    register_family(personas.clerk)
    data = FAMILIES.encode()
    from nansen.imports import services

    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=data)
    services.import_run(actor=personas.clerk, job=job, data=data)
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]


def test_a_file_with_problems_is_refused_whole_with_every_problem(client, personas):
    content = _csv(
        _person("A", "principal", "Mariam"),
        _person("A", "cousin", "Yusuf", birth_date="2016-13-01"),
        _person("B", "spouse", "", family_name="", sex="Q", country_of_origin="ZZZ"),
        _person("C", "principal", "Ali", languages="arabic", birth_date="2999"),
    )
    _upload(client, personas.clerk, content.encode())
    job = ImportJob.objects.get()
    assert job.status == "refused"
    assert Person.objects.count() == 0 and Case.objects.count() == 0
    found = {(p["line"], p["column"]) for p in job.problems}
    assert found == {
        (3, "relationship"),
        (3, "birth_date"),
        (4, "given_name"),
        (4, "sex"),
        (4, "country_of_origin"),
        (4, "relationship"),  # household B has no principal applicant
        (5, "languages"),
        (5, "birth_date"),
    }
    assert job.problem_count == 8
    page = client.get(reverse("imports:import_detail", args=[job.uid])).content.decode()
    assert "Nothing was registered" in page
    assert "ZZZ is not an ISO 3166-1 alpha-3 country code." in page


def test_unknown_and_missing_columns_are_named(personas):
    from nansen.imports import services

    data = b"household,relationship,given_nme,sex\nA,principal,Mariam,F\n"
    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=data)
    job = services.import_run(actor=personas.clerk, job=job, data=data)
    columns = {p["column"] for p in job.problems if p["line"] == 1}
    assert columns == {"given_nme", "country_of_origin"}


@pytest.mark.parametrize(
    ("encoding", "given", "original"),
    [
        ("utf-8", "Mariam", "مريم"),
        ("utf-8-sig", "Mariam", "مريم"),
        ("utf-16", "Mariam", "مريم"),
        ("cp1256", "Mariam", "مريم"),
        ("shift_jis", "Hanako", "花子"),
    ],
)
def test_each_encoding_is_recognised(client, personas, encoding, given, original):
    content = _csv(
        _person("A", "principal", given, given_name_original=original, family_name_original="")
    )
    data = content.encode(encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
    _upload(client, personas.clerk, data)
    job = ImportJob.objects.get()
    assert job.status == "done", job.problems
    assert job.encoding == encoding
    assert Person.objects.get().given_name_original == original


def test_a_chosen_encoding_overrides_detection(client, personas):
    data = _csv(_person("A", "principal", "Mariam", given_name_original="مريم")).encode("cp1256")
    _upload(client, personas.clerk, data, encoding="shift_jis")
    job = ImportJob.objects.get()
    # Windows-1256 bytes are not valid Shift_JIS, or decode to other letters: either way
    # the clerk's choice is what was used.
    assert job.encoding in ("shift_jis", "")


def test_an_xlsx_file_imports_like_a_csv(client, personas):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMN_NAMES))
    row = _person("A", "principal", "Mariam", interpreter_needed="yes")
    values = [row.get(name, "") for name in COLUMN_NAMES]
    values[COLUMN_NAMES.index("birth_date")] = date(1990, 2, 3)  # a real date cell
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _upload(client, personas.clerk, buffer.getvalue(), name="persons.xlsx")
    job = ImportJob.objects.get()
    assert (job.status, job.file_format) == ("done", "xlsx")
    assert Person.objects.get().birth_date == date(1990, 2, 3)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_as_it_is(client, personas, form):
    client.force_login(personas.clerk)
    url = reverse(f"imports:import_template_{form}")
    response = client.get(url)
    assert response.status_code == 200
    if form == "csv":
        assert response.content == template_csv()
    else:
        assert response.content[:2] == template_xlsx()[:2] == b"PK"
    _upload(client, personas.clerk, response.content, name=f"template.{form}")
    job = ImportJob.objects.get()
    assert job.status == "done", job.problems
    assert job.persons_created == 2 and job.cases_created == 1


def test_duplicates_in_the_file_and_in_the_registry_are_reported(client, personas):
    register_family(personas.clerk, children=0)  # Ahmad Al-Hassan, 1988-03-14
    content = _csv(
        _person("A", "principal", "Mariam"),
        _person("B", "principal", "MARIAM"),  # same folded name and date as line 2
        _person("C", "principal", "Ahmad", family_name="Al Hassan", birth_date="1988-03-14"),
    )
    _upload(client, personas.clerk, content.encode())
    job = ImportJob.objects.get()
    assert job.status == "refused"
    messages = {p["line"]: p["message"] for p in job.problems}
    assert messages[3] == "Same name and date of birth as line 2."
    assert "already registered (case TKY-" in messages[4]
    assert Person.objects.count() == 2  # only the family registered before


def test_a_person_registered_in_another_office_is_not_revealed(client, personas):
    register_family(personas.outsider, children=0)
    content = _csv(
        _person("A", "principal", "Ahmad", family_name="Al-Hassan", birth_date="1988-03-14")
    )
    _upload(client, personas.clerk, content.encode())
    assert ImportJob.objects.get().status == "done"


def test_only_those_who_register_may_import(client, personas):
    for user in (personas.officer, personas.statistician, personas.lawyer, personas.admin):
        client.force_login(user)
        assert client.get(reverse("imports:import_new")).status_code == 404
    job_data = FAMILIES.encode()
    _upload(client, personas.clerk, job_data)
    job = ImportJob.objects.get()
    client.force_login(personas.outsider)  # a clerk of another office
    assert client.get(reverse("imports:import_detail", args=[job.uid])).status_code == 404


def test_a_file_too_large_for_the_page_is_refused(client, personas, monkeypatch):
    monkeypatch.setattr("nansen.imports.forms.MAX_UPLOAD_BYTES", 100)
    response = _upload(client, personas.clerk, FAMILIES.encode())
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_rows_refuse_the_file(personas):
    from nansen.imports import services

    data = FAMILIES.encode()
    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=data)
    job = services.import_run(actor=personas.clerk, job=job, data=data, max_rows=2)
    assert job.status == "refused"
    assert "more than 2 persons" in job.problems[0]["message"]


def test_an_unfinished_import_page_polls_for_progress(client, personas):
    from nansen.imports import services
    from nansen.imports.progress import FileProgress

    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=b"")
    FileProgress(job.uid)("writing", 500, 2000)
    client.force_login(personas.clerk)
    response = client.get(reverse("imports:import_detail", args=[job.uid]), HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'value="500"' in fragment and "500 of 2000 persons" in fragment
    FileProgress(job.uid).remove()


def test_the_command_line_import_reports_counts_and_problems(personas, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(FAMILIES, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("imports", "registration", str(good), "--user", "clerk", stdout=out, stderr=err)
    assert "Registered 3 persons in 2 cases" in out.getvalue()
    assert "writing: 3/3 persons" in err.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(_person("A", "principal", "Ali", sex="Q")), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="refused"):
        call_command("imports", "registration", str(bad), "--user", "clerk", stdout=out)
    assert "line 2, column sex: Write F, M or X." in out.getvalue()


def test_the_command_line_refuses_a_user_who_may_not_register(personas, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(FAMILIES, encoding="utf-8")
    with pytest.raises(CommandError, match="may not register"):
        call_command("imports", "registration", str(path), "--user", "statistician")


def test_an_import_cut_off_by_a_restart_says_so_and_stops_polling(client, personas):
    from nansen.imports import services

    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=b"")
    an_hour_ago = job.created_at - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status="writing", created_at=an_hour_ago)
    client.force_login(personas.clerk)
    page = client.get(reverse("imports:import_detail", args=[job.uid])).content.decode()
    assert "The import was interrupted" in page
    assert "hx-trigger" not in page


def test_imported_persons_are_in_the_identity_index_like_registered_ones(personas):
    from nansen.identity.models import MatchProfile
    from nansen.imports import services

    data = FAMILIES.encode()
    job = services.import_job_create(actor=personas.clerk, file_name="f.csv", data=data)
    services.import_run(actor=personas.clerk, job=job, data=data)
    assert MatchProfile.objects.count() == Person.objects.count() == 3
    assert AuditEntry.objects.get(action="registration_imported").details["identity_indexed"]
