"""The library's pages and API."""

import base64
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nansen.coi.models import Source
from nansen.coi.tests.conftest import add
from nansen.coi.tests.pdf import tiny_pdf


def test_the_library_lists_sources_in_a_bounded_number_of_queries(
    client, personas, library, django_assert_max_num_queries
):
    for i in range(10):
        add(personas.officer, f"Paragraph {i}.", title=f"Extra {i}")
    client.force_login(personas.officer)
    with django_assert_max_num_queries(14):
        response = client.get("/coi/")
    assert response.status_code == 200
    assert "Treatment of returnees" in response.text


def test_the_library_search_ranks_and_highlights(client, personas, library):
    client.force_login(personas.lawyer)
    response = client.get("/coi/", {"q": "draft evaders returned at the airport", "country": "SYR"})
    assert response.status_code == 200
    text = response.text
    assert text.index("Treatment of returnees") < text.index("Road security")
    assert "<mark>evaders</mark>" in text


def test_the_library_is_not_for_roles_without_need(client, personas, library):
    for user in (personas.statistician, personas.admin, personas.auditor):
        client.force_login(user)
        assert client.get("/coi/").status_code == 404


def test_an_officer_adds_a_source_with_a_pdf(client, personas):
    client.force_login(personas.officer)
    pdf = tiny_pdf([["Evaders are arrested at checkpoints."]])
    response = client.post(
        "/coi/sources/new/",
        {
            "title": "Checkpoints",
            "publisher": "EUAA",
            "published_on": "2024-05-01",
            "countries": ["SYR"],
            "topics": "military service, checkpoints",
            "language": "eng",
            "file": SimpleUploadedFile("report.pdf", pdf, content_type="application/pdf"),
        },
    )
    source = Source.objects.get(title="Checkpoints")
    assert response.status_code == 302
    assert source.passages.get().page == 1
    detail = client.get(f"/coi/sources/{source.pk}/")
    assert "Evaders are arrested at checkpoints." in detail.text
    download = client.get(f"/coi/sources/{source.pk}/file/")
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert download.content == pdf


def test_a_clerk_cannot_add_sources(client, personas):
    client.force_login(personas.clerk)
    assert client.get("/coi/sources/new/").status_code == 404
    assert client.get("/coi/").status_code == 200


def test_a_correction_made_meanwhile_is_not_overwritten(client, personas, library):
    source = library["answer"]
    client.force_login(personas.officer)
    form = {
        "title": "Mine",
        "publisher": source.publisher,
        "published_on": "2025-03-01",
        "countries": ["SYR"],
        "topics": "",
        "language": "eng",
        "text": "x",
        "version": source.version,
    }
    assert client.post(f"/coi/sources/{source.pk}/edit/", form).status_code == 302
    response = client.post(f"/coi/sources/{source.pk}/edit/", {**form, "title": "Theirs"})
    assert response.status_code == 409
    assert "Someone else saved" in response.text
    source.refresh_from_db()
    assert source.title == "Mine"


def test_it_refuses_a_correction_without_the_version(client, personas, library):
    source = library["answer"]
    client.force_login(personas.officer)
    form = {
        "title": "Mine",
        "publisher": source.publisher,
        "published_on": "2025-03-01",
        "countries": ["SYR"],
        "topics": "",
        "language": "eng",
        "text": "x",
    }
    response = client.post(f"/coi/sources/{source.pk}/edit/", form)
    assert response.status_code == 400
    assert "without the version of the record" in response.text
    assert 'value="Mine"' in response.text
    source.refresh_from_db()
    assert (source.title, source.version) == ("Treatment of returnees", 1)


def token_for(user):
    from nansen.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=user, name="t", scope=ApiToken.Scope.READ_WRITE)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_searches_and_adds_sources(client, personas, library):
    auth = token_for(personas.officer)
    found = client.get("/api/coi/search", {"q": "draft evaders returned"}, **auth).json()
    assert found[0]["source"]["title"] == "Treatment of returnees"
    assert "<mark>" in found[0]["snippet_html"]
    pdf = tiny_pdf([["Deserters are punished."]])
    created = client.post(
        "/api/coi/sources",
        {
            "title": "Deserters",
            "publisher": "UNHCR",
            "published_on": "2024-01-01",
            "countries": ["SYR"],
            "file": {"name": "d.pdf", "content_base64": base64.b64encode(pdf).decode()},
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["passages"] == 1
    assert (
        client.get("/api/coi/search", {"q": "deserters"}, **auth).json()[0]["passage"]["page"] == 1
    )
    refused = client.post(
        "/api/coi/sources",
        {
            "title": "x",
            "publisher": "y",
            "published_on": "2024-01-01",
            "countries": ["QQQ"],
            "text": "t",
        },
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400


def test_the_openapi_document_lists_the_coi_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/coi/search", "/api/coi/sources", "/api/coi/sources/{source_id}"} <= set(paths)


def test_import_from_a_csv_file(tmp_path, personas):
    (tmp_path / "r.pdf").write_bytes(tiny_pdf([["Returnees are questioned."]]))
    (tmp_path / "sources.csv").write_text(
        "title,publisher,published_on,countries,topics,url,language,text,file\n"
        "Returnees,UNHCR,2024-02-01,SYR;LBN,returnees;detention,https://example.org/r,eng,,"
        "r.pdf\n"
        "Women,EUAA,2023-07-01,SYR,women,,eng,Women face obstacles.,\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("coi", "import", str(tmp_path), "--user", "officer", stdout=out)
    assert "2 source(s) added." in out.getvalue()
    returnees = Source.objects.get(title="Returnees")
    assert returnees.country_codes == ["LBN", "SYR"]
    assert returnees.file_type == "pdf"


def test_an_import_with_a_bad_line_adds_nothing(tmp_path, personas):
    from django.core.management.base import CommandError

    path = tmp_path / "list.csv"
    path.write_text(
        "title,publisher,published_on,countries,text\n"
        "Good,UNHCR,2024-02-01,SYR,Text.\n"
        "Bad,UNHCR,2024-02-01,,Text.\n"
    )
    with pytest.raises(CommandError, match="Line 3"):
        call_command("coi", "import", str(path), "--user", "officer")
    assert not Source.objects.exists()


def test_import_a_folder_of_pdfs_described_by_themselves(tmp_path, personas):
    (tmp_path / "a.pdf").write_bytes(
        tiny_pdf([["Text."]], title="Syria report", created="20240301")
    )
    call_command(
        "coi",
        "import",
        str(tmp_path),
        "--user",
        "officer",
        "--country",
        "SYR",
        "--topic",
        "military service",
        stdout=io.StringIO(),
    )
    source = Source.objects.get()
    assert (source.title, source.published_on) == ("Syria report", date(2024, 3, 1))


def test_the_demo_library_loads_and_answers(personas):
    out = io.StringIO()
    call_command("coi", "demo", "--user", "officer", stdout=out)
    assert Source.objects.count() == 8
    call_command("coi", "demo", "--user", "officer", stdout=io.StringIO())
    assert Source.objects.count() == 8
    japanese = io.StringIO()
    call_command("coi", "search", "兵役 逮捕", stdout=japanese)
    assert "デモ用の日本語要約" in japanese.getvalue()
    out = io.StringIO()
    call_command("coi", "search", "draft evaders arrested on return", stdout=out)
    assert "military" in out.getvalue().lower()
