"""A workbook is measured before it is parsed: one that would unpack to far more than its
size, or hold a table of texts too large to keep in memory, is refused whole, and an
import of a workbook within the limits stays within the memory bound of docs/imports.md."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.urls import reverse

from nansen.core import spreadsheet
from nansen.core.spreadsheet import WorkbookLimits, WorkbookRefused, workbook_check
from nansen.imports import services
from nansen.imports.formats import FileRefused, read_table
from nansen.imports.models import ImportJob
from nansen.imports.tests.workbooks import persons, registration_workbook, string_bomb
from nansen.registration.models import Person

MB = 1024 * 1024
# docs/imports.md, "Memory": reading a workbook holds at most READ_BASE plus PER_STRING for
# each text of its table; validating and writing, PER_PERSON for each person.
READ_BASE = 32 * MB
PER_STRING = 200
PER_PERSON = 12 * 1024


@pytest.fixture
def small_limits(monkeypatch):
    """A twentieth of the default table of texts, so that a workbook at the limit is quick to
    build and read; no limit on compression, to reach the count."""
    limits = WorkbookLimits(shared_strings=50_000, shared_strings_bytes=4 * MB, ratio=10**6)
    monkeypatch.setattr(spreadsheet, "WORKBOOK_LIMITS", limits)
    return limits


def test_a_table_of_texts_built_to_exhaust_memory_is_refused_before_parsing():
    bomb = string_bomb(256)
    assert len(bomb) < 1 * MB
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FileRefused, match="compression bomb"):
            read_table("persons.xlsx", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 8 * MB


def test_a_table_of_texts_over_the_limit_is_refused_by_its_size(monkeypatch):
    monkeypatch.setattr(spreadsheet, "WORKBOOK_LIMITS", WorkbookLimits(ratio=10_000))
    with pytest.raises(WorkbookRefused, match="table of texts is larger than"):
        workbook_check(string_bomb(65))


def test_a_table_of_texts_over_the_limit_is_refused_by_its_declared_count(small_limits):
    with pytest.raises(WorkbookRefused, match="larger than 50000 texts"):
        workbook_check(string_bomb(1, declared=50_001))


def test_a_table_of_texts_that_understates_its_count_is_counted(small_limits):
    data = registration_workbook(persons(3), strings=50_001)
    shared = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    assert b'count="50001"' in shared
    understated = _replace_part(data, "xl/sharedStrings.xml", shared.replace(b'"50001"', b'"10"'))
    with pytest.raises(WorkbookRefused, match="larger than 50000 texts"):
        workbook_check(understated)


def test_a_workbook_of_too_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(1_001):
            archive.writestr(f"xl/media/{i}.xml", "")
    with pytest.raises(WorkbookRefused, match="more than 1000 parts"):
        workbook_check(buffer.getvalue())


def test_a_workbook_unpacking_past_the_total_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheet, "WORKBOOK_LIMITS", WorkbookLimits(total_bytes=MB))
    with pytest.raises(WorkbookRefused, match="unpacks to more than 1 MB"):
        workbook_check(registration_workbook(persons(20_000)))


def test_a_workbook_declaring_entities_in_its_table_of_texts_is_refused():
    data = registration_workbook(persons(1))
    shared = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    laughs = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    declared = shared.replace(b"?>\n", b"?>\n" + laughs, 1)
    with pytest.raises(WorkbookRefused, match="declares entities"):
        workbook_check(_replace_part(data, "xl/sharedStrings.xml", declared))


def test_the_page_refuses_the_bomb_whole_without_a_line(client, personas):
    client.force_login(personas.clerk)
    upload = io.BytesIO(string_bomb(256))
    upload.name = "persons.xlsx"
    response = client.post(reverse("imports:import_new"), {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    [problem] = job.problems
    assert problem["line"] == 0
    assert "compression bomb" in problem["message"]
    assert not Person.objects.exists()


def test_openpyxl_reads_in_read_only_mode(monkeypatch):
    import openpyxl

    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    table = read_table("persons.xlsx", registration_workbook(persons(2)))
    assert len(list(table.rows)) == 2
    assert calls == [{"read_only": True, "data_only": True}]


def test_an_import_at_the_limits_stays_within_the_stated_memory(personas, small_limits):
    count = 500
    data = registration_workbook(persons(count), strings=small_limits.shared_strings)
    job = services.import_job_create(actor=personas.clerk, file_name="persons.xlsx", data=data)
    tracemalloc.start()
    try:
        services.import_run(actor=personas.clerk, job=job, data=data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.problems
    assert Person.objects.count() == count
    bound = READ_BASE + PER_STRING * small_limits.shared_strings + PER_PERSON * count
    assert peak < bound, f"peak {peak / MB:.1f} MB, bound {bound / MB:.1f} MB"


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            body = content if member.filename == name else source.read(member)
            archive.writestr(member.filename, body)
    return buffer.getvalue()
