"""The resettlement pages: who sees what, the forms, the HTMX status panel, the exports."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.resettlement.models import Pledge, Referral
from nansen.resettlement.services import pledge_record
from nansen.resettlement.tests.factories import decided_family, members, move, pledge_input, refer

DASHBOARD = reverse("resettlement:dashboard")


def _url(name, *args):
    return reverse(f"resettlement:{name}", args=args)


@pytest.mark.parametrize(
    "persona", ["clerk", "officer", "supervisor", "appeals", "statistician", "lawyer", "auditor"]
)
def test_every_role_sees_the_pledges(client, personas, pledge, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Syrian refugees" in response.text
    assert client.get(_url("pledge_detail", pledge.pk)).status_code == 200


def test_no_one_signed_out_sees_them(client, pledge):
    assert client.get(DASHBOARD).status_code == 302


def test_a_supervisor_records_and_revises_a_pledge(client, personas):
    client.force_login(personas.supervisor)
    form = {
        "receiving_country": "FRA",
        "programme_type": "resettlement",
        "title": "Syrians",
        "places": "500",
        "target_nationalities": "syr",
        "announced_on": "2014-07-01",
        "source_title": "UN Tribune (as reported)",
        "source_url": "http://untribune.com/22-countries-agreed-resettle-syrian-refugees/",
    }
    response = client.post(_url("pledge_new"), form)
    pledge = Pledge.objects.get()
    assert response.url == _url("pledge_detail", pledge.pk)
    assert pledge.target_nationalities == ["SYR"]

    revised = {**form, "places": "1000", "reason": "500 more in Geneva", "version": "1"}
    response = client.post(_url("pledge_revise", pledge.pk), revised)
    assert response.status_code == 302
    page = client.get(_url("pledge_detail", pledge.pk)).text
    assert "Revision 2" in page and "500 more in Geneva" in page and "places pledged" in page

    stale = client.post(_url("pledge_revise", pledge.pk), {**revised, "places": "900"})
    assert stale.status_code == 409
    assert "Someone else saved" in stale.text


def test_an_officer_may_not_record_a_pledge(client, personas, pledge):
    client.force_login(personas.officer)
    assert client.get(_url("pledge_new")).status_code == 404
    assert client.get(_url("pledge_revise", pledge.pk)).status_code == 404
    assert "Record a pledge" not in client.get(DASHBOARD).text


def test_a_case_is_found_by_its_number_and_referred(client, personas, pledge, family):
    client.force_login(personas.officer)
    response = client.get(_url("refer_start"), {"number": family.number, "pledge": pledge.pk})
    assert response.url == _url("referral_new", family.pk) + f"?pledge={pledge.pk}"
    principal, spouse, _child = members(family)
    response = client.post(
        _url("referral_new", family.pk),
        {
            "pledge": pledge.pk,
            f"person_{principal.pk}": "on",
            f"person_{spouse.pk}": "on",
            "categories": ["protection_needs", "women_girls_at_risk"],
            "priority": "urgent",
            "identified_on": "2015-06-01",
        },
    )
    referral = Referral.objects.get()
    assert response.url == _url("referral_detail", referral.pk)
    assert list(referral.persons.order_by("pk")) == [principal, spouse]
    assert referral.categories == ["protection_needs", "women_girls_at_risk"]
    page = client.get(response.url).text
    assert "Women and girls at risk" in page and "Ahmad AL-HASSAN" in page
    assert "Record acceptance" not in page  # the officer may not submit
    assert AuditEntry.objects.filter(action="referral_view", object_id=referral.pk).exists()


def test_a_refused_referral_says_why_and_keeps_the_form(client, personas, pledge, family):
    refer(personas, family, pledge)
    client.force_login(personas.officer)
    principal = members(family)[0]
    response = client.post(
        _url("referral_new", family.pk),
        {
            "pledge": pledge.pk,
            f"person_{principal.pk}": "on",
            "categories": ["medical"],
            "priority": "normal",
            "identified_on": "2015-06-02",
        },
    )
    assert response.status_code == 400
    assert "already has an open referral" in response.text


def test_another_office_neither_sees_nor_refers_the_case(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    client.force_login(personas.outsider)
    assert client.get(_url("referral_detail", referral.pk)).status_code == 404
    assert client.get(_url("referral_new", family.pk)).status_code == 404
    assert client.get(_url("case_referrals", family.pk)).status_code == 404
    found = client.get(_url("refer_start"), {"number": family.number})
    assert "No case with this number" in found.text
    assert family.number not in client.get(_url("referral_list")).text
    assert family.number not in client.get(DASHBOARD).text


def test_the_statistician_sees_fulfilment_but_no_case(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))
    client.force_login(personas.statistician)
    page = client.get(_url("pledge_detail", pledge.pk)).text
    assert family.number not in page
    assert client.get(_url("referral_list")).status_code == 404
    assert client.get(_url("referral_detail", referral.pk)).status_code == 404


def test_the_status_panel_moves_in_place_with_htmx(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    client.force_login(personas.supervisor)
    response = client.post(
        _url("referral_step", referral.pk, "submit"),
        {"version": referral.version, "submit-on": "2015-07-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.startswith('<section id="referral-status"')
    assert "The referral is now “Submitted”." in response.text
    assert "Record acceptance" in response.text and "Record rejection" in response.text
    referral.refresh_from_db()
    assert (referral.status, referral.submitted_on) == ("submitted", date(2015, 7, 1))

    refused = client.post(
        _url("referral_step", referral.pk, "reject"),
        {"version": referral.version, "reject-on": "2015-08-01"},
        HTTP_HX_REQUEST="true",
    )
    assert 'role="alert"' in refused.text
    referral.refresh_from_db()
    assert referral.status == "submitted"


def test_it_refuses_a_step_without_the_version(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    client.force_login(personas.supervisor)
    response = client.post(
        _url("referral_step", referral.pk, "submit"), {"submit-on": "2015-07-01"}
    )
    assert response.status_code == 400
    assert "without the version of the record" in response.text
    assert 'value="2015-07-01"' in response.text
    assert Referral.objects.get().version == referral.version
    assert not CaseEvent.objects.filter(verb="referral_submitted").exists()


@pytest.mark.usefixtures("assessments_drafted")
def test_without_htmx_a_refused_step_reloads_the_page_with_the_reason(client, personas, pledge):
    case = decided_family(personas, outcomes=("recognized", "rejected"))
    referral = refer(personas, case, pledge)
    client.force_login(personas.supervisor)
    response = client.post(
        _url("referral_step", referral.pk, "submit"),
        {"version": referral.version, "submit-on": "2015-07-01"},
    )
    assert response.status_code == 400
    assert "cannot be submitted" in response.text
    assert "Rania AL-HASSAN" in response.text


def test_the_education_profile_fields_follow_the_chosen_pledge(client, personas, family):
    students = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(receiving_country="JPN", programme_type="education", places=None),
    )
    client.force_login(personas.officer)
    fragment = client.get(
        _url("referral_new", family.pk), {"pledge": students.pk}, HTTP_HX_REQUEST="true"
    ).text
    assert fragment.startswith('<div id="profile-fields">')
    assert "Field of study" in fragment and "Admission" in fragment
    plain = client.get(_url("referral_new", family.pk), HTTP_HX_REQUEST="true").text
    assert "Field of study" not in plain


def test_the_pledge_page_draws_fulfilment_over_time(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    for step, on in (("submit", date(2015, 7, 1)), ("accept", date(2015, 8, 1))):
        move(personas, referral, step, on)
    client.force_login(personas.supervisor)
    page = client.get(_url("pledge_detail", pledge.pk)).text
    assert 'class="fill-accepted"' in page
    assert "2015 Q3" in page
    assert family.number in page


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_referrals_export_as_csv_and_xlsx_without_names(client, personas, pledge, family):
    referral = refer(personas, family, pledge, notes="=HYPERLINK(1)")
    move(personas, referral, "withdraw", date(2015, 6, 2), reason="by_refugee")
    client.force_login(personas.supervisor)
    rows = _csv(client.get(_url("referrals_export", "csv")))
    assert rows[0][:3] == ["Referral", "Case", "Office"]
    assert rows[1][1] == family.number and rows[1][6] == "3"
    assert rows[1][-1] == "The refugee no longer wishes to go"
    assert "AL-HASSAN" not in "".join(map(str, rows))

    sheet = load_workbook(
        io.BytesIO(client.get(_url("referrals_export", "xlsx")).content), read_only=True
    ).active
    values = list(sheet.values)
    assert values[1][1] == family.number
    entries = AuditEntry.objects.filter(action="referral_export", channel="export")
    assert entries.count() == 2
    assert client.get(_url("referrals_export", "pdf")).status_code == 404


def test_fulfilment_exports_for_every_role(client, personas, pledge):
    pledge_record(actor=personas.supervisor, data=pledge_input(title="=cmd|' /C calc'!A0"))
    client.force_login(personas.statistician)
    rows = _csv(client.get(_url("fulfilment_export", "csv")))
    assert rows[0][:2] == ["Pledge", "Receiving country"]
    titles = {row[3] for row in rows[1:]}
    assert titles == {"Syrian refugees", "'=cmd|' /C calc'!A0"}
    workbook = load_workbook(
        io.BytesIO(client.get(_url("pledge_fulfilment_export", pledge.pk, "xlsx")).content)
    )
    assert workbook.active["A1"].value == "Period"


@pytest.mark.usefixtures("assessments_drafted")
def test_the_dashboard_stays_within_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    for index in range(6):
        pledge = pledge_record(actor=personas.supervisor, data=pledge_input(title=f"P{index}"))
        refer(personas, decided_family(personas), pledge)
    client.force_login(personas.supervisor)
    with django_assert_max_num_queries(25):
        assert client.get(DASHBOARD).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(_url("pledge_detail", pledge.pk)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(_url("referral_list")).status_code == 200


def test_each_referral_change_is_in_the_case_history(client, personas, pledge, family):
    referral = refer(personas, family, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))
    client.force_login(personas.officer)
    page = client.get(reverse("registration:case_detail", args=[family.pk])).text
    verbs = list(
        CaseEvent.objects.filter(case=family, object_type="referral").values_list("verb", flat=True)
    )
    assert verbs == ["referral_identified", "referral_submitted"]
    assert "Referral submitted to the receiving country" in page


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [("ja", "第三国定住と受入れ経路", "提出済み"), ("ar", "إعادة التوطين والمسارات", "مُقدَّمة")],
)
def test_the_pages_speak_japanese_and_arabic(
    client, personas, pledge, family, language, heading, status
):
    referral = refer(personas, family, pledge)
    move(personas, referral, "submit", date(2015, 7, 1))
    client.force_login(personas.supervisor)
    client.cookies["nansen_language"] = language
    assert heading in client.get(DASHBOARD).text
    assert status in client.get(_url("referral_detail", referral.pk)).text
