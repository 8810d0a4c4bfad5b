"""Adding and correcting sources: text or files, who changed what, and the rules."""

from datetime import date

import pytest
from django.http import Http404

from nansen.audit.models import AuditEntry
from nansen.coi.models import Passage, SourceChange
from nansen.coi.services import SourceInput, UploadedSource, source_add, source_update
from nansen.coi.tests.pdf import tiny_pdf
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed


def data(**overrides):
    values = {
        "title": "Syria: Military service",
        "publisher": "EUAA",
        "published_on": date(2024, 4, 1),
        "countries": ["syr"],
        "topics": ["Military  service"],
        "text": "First paragraph.\n\nSecond paragraph,\nwrapped on two lines.",
    }
    values.update(overrides)
    return SourceInput(**values)


def test_it_splits_the_text_into_numbered_passages(personas):
    source = source_add(actor=personas.officer, data=data())
    assert [(p.number, p.page, p.text) for p in source.passages.order_by("number")] == [
        (1, None, "First paragraph."),
        (2, None, "Second paragraph, wrapped on two lines."),
    ]
    assert source.country_codes == ["SYR"]
    assert [t.name for t in source.topics.all()] == ["military service"]


def test_a_pdf_is_indexed_page_by_page(personas):
    pdf = tiny_pdf(
        [["Introduction to the report."], ["Evaders are arrested at checkpoints."]],
        title="Report",
        created="20240301",
    )
    source = source_add(
        actor=personas.officer,
        data=data(text=""),
        upload=UploadedSource(name="report.pdf", content=pdf),
    )
    assert source.file_type == "pdf"
    assert source.file_name == "report.pdf"
    assert [(p.page, p.text) for p in source.passages.order_by("number")] == [
        (1, "Introduction to the report."),
        (2, "Evaders are arrested at checkpoints."),
    ]


def test_an_html_file_keeps_its_paragraphs_and_drops_scripts(personas):
    page = (
        b"<html><head><title>T</title><script>var x = 'secret';</script></head><body>"
        b"<nav>Menu</nav><h1>Returnees</h1><p>Returnees are questioned.</p>"
        b"<p>Some are detained &amp; disappear.</p></body></html>"
    )
    source = source_add(
        actor=personas.officer,
        data=data(text=""),
        upload=UploadedSource(name="page.html", content=page),
    )
    assert [p.text for p in source.passages.order_by("number")] == [
        "Returnees",
        "Returnees are questioned.",
        "Some are detained & disappear.",
    ]


def test_it_refuses_a_file_it_cannot_read(personas):
    with pytest.raises(NotAllowed, match="not a PDF, HTML or text file"):
        source_add(
            actor=personas.officer,
            data=data(text=""),
            upload=UploadedSource(name="photo.jpg", content=b"\xff\xd8\xff\xe0 binary"),
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"countries": []}, "at least one country"),
        ({"countries": ["QQQ"]}, "ISO 3166-1"),
        ({"language": "english"}, "ISO 639-3"),
        ({"title": " "}, "title"),
        ({"publisher": ""}, "author or publisher"),
        ({"published_on": date(2099, 1, 1)}, "future"),
        ({"text": ""}, "upload it as a file"),
    ],
)
def test_it_refuses_an_incomplete_description(personas, overrides, message):
    with pytest.raises(NotAllowed, match=message):
        source_add(actor=personas.officer, data=data(**overrides))


def test_only_staff_who_manage_country_information_add_sources(personas):
    for user in (personas.clerk, personas.lawyer, personas.statistician):
        with pytest.raises(Http404):
            source_add(actor=user, data=data())


def test_who_added_and_changed_a_source_is_recorded(personas):
    source = source_add(actor=personas.officer, data=data())
    source_update(
        actor=personas.supervisor,
        source=source,
        expected_version=source.version,
        data=data(title="Syria: Military service (update)", text="New text."),
    )
    changes = list(SourceChange.objects.filter(source=source).order_by("at", "pk"))
    assert [(c.actor, c.created) for c in changes] == [
        (personas.officer, True),
        (personas.supervisor, False),
    ]
    assert set(changes[1].fields) == {"title", "text"}
    assert changes[1].before["title"] == "Syria: Military service"
    source.refresh_from_db()
    assert (source.created_by, source.updated_by) == (personas.officer, personas.supervisor)
    assert list(Passage.objects.filter(source=source).values_list("text", flat=True)) == [
        "New text."
    ]
    assert list(
        AuditEntry.objects.filter(object_type="source", object_id=source.pk)
        .order_by("sequence")
        .values_list("action", "user__username")
    ) == [("coi_source_added", "officer"), ("coi_source_changed", "supervisor")]


def test_a_concurrent_correction_is_refused(personas):
    source = source_add(actor=personas.officer, data=data())
    stale = source.version
    source_update(
        actor=personas.officer, source=source, expected_version=stale, data=data(title="First")
    )
    with pytest.raises(ConcurrentEditError):
        source_update(
            actor=personas.supervisor,
            source=source,
            expected_version=stale,
            data=data(title="Second"),
        )
    source.refresh_from_db()
    assert source.title == "First"


def test_sources_are_shared_across_offices(client, personas):
    source = source_add(actor=personas.officer, data=data())
    client.force_login(personas.outsider)  # another office
    assert client.get(f"/coi/sources/{source.pk}/").status_code == 200
