"""The procedure from the pages: the application page, scheduling and recording an interview,
the decision, the letter, my work, the public deadline calculator."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nansen.procedures import services
from nansen.procedures.models import Decision, Interview, Letter
from nansen.procedures.tests.conftest import at, interview_held
from nansen.testing import register_family


@pytest.fixture
def application(time_machine, personas, family, members):
    time_machine.move_to(at("2025-03-03 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:1], lodged_on=date(2025, 3, 3)
    )
    return application


@pytest.mark.usefixtures("assessments_drafted")
def test_it_schedules_records_decides_and_issues_the_letter_through_the_pages(
    time_machine, client, personas, application, office_setup
):
    client.force_login(personas.clerk)
    url = reverse("procedures:interview_schedule", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "day": "2025-03-10",
            "starts": "10:00",
            "ends": "12:00",
            "interviewer": personas.officer.pk,
            "language": "ara",
            "interpreter": office_setup["karim"].pk,
            "room": office_setup["room"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    interview = Interview.objects.get()
    clash = client.post(
        url,
        {
            "day": "2025-03-10",
            "starts": "11:00",
            "ends": "12:00",
            "interviewer": personas.officer.pk,
            "language": "ara",
            "interpreter": office_setup["huda"].pk,
            "room": office_setup["room2"].pk,
        },
    )
    assert clash.status_code == 400
    assert "Double booking: the applicant" in clash.content.decode()

    time_machine.move_to(at("2025-03-10 12:30"), tick=False)
    client.force_login(personas.officer)  # sessions end after hours; sign in again
    response = client.post(
        reverse("procedures:interview_record", args=[interview.pk]),
        {
            "version": interview.version,
            "started_at": "2025-03-10T10:05",
            "ended_at": "2025-03-10T11:45",
            "present": ["applicant", "interviewer", "interpreter"],
            "account": "I fled after my second arrest.",
            "read_back": "on",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()

    time_machine.move_to(at("2025-04-28 09:00"), tick=False)
    client.force_login(personas.officer)  # a new day, a new session
    application.refresh_from_db()
    response = client.post(
        reverse("procedures:decision_record", args=[application.pk]),
        {
            "version": application.version,
            "outcome": "rejected",
            "decided_on": "2025-04-25",
            "reasons": "The account is not credible.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    response = client.post(
        reverse("procedures:letter_issue", args=[decision.pk]),
        {
            "language": "en",
            "notification_on": "2025-04-28",
            "addressee_kind": "applicant",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    pdf = client.get(reverse("procedures:letter_pdf", args=[letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["X-Content-SHA256"] == letter.sha256
    response = client.post(
        reverse("procedures:letter_notify", args=[letter.pk]), {"notified_on": "2025-04-28"}
    )
    assert response.status_code == 302

    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert "Refused at first instance" in page
    assert "Request for examination (review) of the refusal" in page
    assert "2025-05-07" in page
    assert "I fled after my second arrest." in page  # the officer may see the account
    case_page = client.get(
        reverse("registration:case_detail", args=[application.case_id])
    ).content.decode()
    assert (
        "Request for examination (review) of the refusal: <strong>2025-05-07</strong>" in case_page
    )


def test_the_account_is_shown_only_to_roles_that_see_sensitive_data(
    time_machine, client, personas, family, application, office_setup
):
    interview_held(
        time_machine,
        application,
        personas.officer,
        office_setup["karim"],
        office_setup["room"],
        "2025-03-10",
    )
    url = reverse("procedures:application_detail", args=[application.pk])
    client.force_login(personas.clerk)
    page = client.get(url).content.decode()
    assert "detained twice" not in page
    assert "Only the roles that decide or represent the claim see the account." in page
    family.representatives.add(personas.lawyer)
    client.force_login(personas.lawyer)
    assert "detained twice" in client.get(url).content.decode()
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


def test_a_third_application_says_plainly_that_it_does_not_suspend_removal(
    time_machine, client, personas, family, members
):
    time_machine.move_to(at("2025-01-10 09:00"), tick=False)
    (third,) = services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=members[:1],
        lodged_on=date(2025, 1, 10),
        ordinals={members[0].pk: 3},
    )
    client.force_login(personas.officer)
    page = client.get(reverse("procedures:application_detail", args=[third.pk])).content.decode()
    assert "Removal is NOT suspended." in page
    assert "Third or later application" in page
    assert "ICRRA Art. 61-2-9(4)(i)" in page


def _due(personas, case, on):
    person = case.members.get(relationship="principal").person
    (application,) = services.application_lodge(
        actor=personas.clerk, case=case, persons=[person], lodged_on=date(2025, 3, 3)
    )
    decision = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=on,
        reasons="x",
        without_interview_reason="On the file.",
    )
    services.decision_notify(actor=personas.officer, decision=decision, notified_on=on)
    return application


@pytest.mark.usefixtures("assessments_drafted")
def test_my_work_lists_what_is_due_and_overdue_in_bounded_queries(time_machine, client, personas):
    time_machine.move_to(at("2025-06-10 09:00"), tick=False)
    soon = register_family(personas.clerk, children=0)
    late = register_family(personas.clerk, children=0)
    _due(personas, soon, date(2025, 6, 9))  # last day 2025-06-16
    _due(personas, late, date(2025, 5, 26))  # last day 2025-06-02: passed
    soon.representatives.add(personas.lawyer)
    client.force_login(personas.officer)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("procedures:work"))
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    small, page = queries()
    assert "2025-06-16" in page and "2025-06-02" in page
    assert page.index("Last day passed") < page.index("2025-06-02") < page.index("Due in the next")
    for _ in range(5):
        _due(personas, register_family(personas.clerk, children=0), date(2025, 6, 9))
    large, _page = queries()
    assert small == large

    client.force_login(personas.lawyer)
    page = client.get(reverse("procedures:work")).content.decode()
    assert soon.number in page and late.number not in page


def test_the_deadline_calculator_is_public_and_shows_its_counting(client):
    url = reverse("procedures:deadline_calculator")
    page = client.get(url)
    assert page.status_code == 200
    response = client.get(url, {"rule": "jp-icrra:review-request", "date": "2025-04-28"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "2025-05-07" in text and "Children&#x27;s Day" in text
    fragment = client.get(
        url, {"rule": "unhcr-mandate:appeal", "date": "2025-05-16"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in fragment.content.decode()
    assert "2025-06-15" in fragment.content.decode()
    bad = client.get(url, {"rule": "jp-icrra:nothing", "date": "2025-04-28"})
    assert bad.status_code == 400


@pytest.mark.usefixtures("assessments_drafted")
def test_a_review_goes_through_the_pages(time_machine, client, personas, family, members, dual):
    time_machine.move_to(at("2025-04-28 09:00"), tick=False)
    application = _due(personas, family, date(2025, 4, 28))
    client.force_login(personas.clerk)
    url = reverse("procedures:appeal_lodge", args=[application.pk])
    page = client.get(url).content.decode()
    assert "2025-05-07" in page  # the last day in time is shown before lodging
    response = client.post(
        url,
        {
            "version": application.version,
            "lodged_on": "2025-04-28",
            "grounds": "The risk on return was not assessed.",
        },
    )
    assert response.status_code == 302
    appeal = application.appeals.get()

    client.force_login(personas.supervisor)
    detail = reverse("procedures:appeal_detail", args=[appeal.pk])
    assert client.get(detail).status_code == 200
    client.post(
        reverse("procedures:appeal_assign", args=[appeal.pk]),
        {"version": appeal.version, "officer": personas.appeals.pk},
    )
    for name in ("A", "B", "C"):
        counsellor = services.counsellor_register(
            actor=personas.supervisor, name=f"Counsellor {name}"
        )
        appeal.refresh_from_db()
        client.post(
            reverse("procedures:appeal_designate", args=[appeal.pk]),
            {
                "version": appeal.version,
                "counsellor": counsellor.pk,
                "designated_on": "2025-04-28",
            },
        )
    client.force_login(personas.appeals)
    page = client.get(detail).content.decode()
    assert "Opinions of the 3 refugee examination counsellors" in page
    for counsellor in appeal.designations.values_list("counsellor", flat=True):
        client.post(
            reverse("procedures:appeal_opinion", args=[appeal.pk]),
            {
                "counsellor": counsellor,
                "finding": "no_grounds",
                "summary": "No grounds.",
                "given_on": "2025-04-28",
            },
        )
    appeal.refresh_from_db()
    client.post(
        reverse("procedures:appeal_hearing", args=[appeal.pk]),
        {"version": appeal.version, "waived": "on"},
    )
    appeal.refresh_from_db()
    response = client.post(
        reverse("procedures:appeal_decide", args=[appeal.pk]),
        {
            "version": appeal.version,
            "outcome": "upheld",
            "decided_on": "2025-04-28",
            "reasons": "The counsellors unanimously found no grounds.",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == "upheld"
    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert "Refusal upheld on appeal or review" in page
    assert reverse("procedures:court_lodge", args=[application.pk]) + "?level=district" in page
    assert client.get(reverse("procedures:work")).status_code == 200


@pytest.mark.parametrize(
    ("language", "heading", "stage"),
    [("ja", "期限", "第一次審査で不認定"), ("ar", "المواعيد النهائية", "مرفوض في الدرجة الأولى")],
)
@pytest.mark.usefixtures("assessments_drafted")
def test_the_application_page_speaks_japanese_and_arabic(
    time_machine, client, personas, family, language, heading, stage
):
    time_machine.move_to(at("2025-04-28 09:00"), tick=False)
    application = _due(personas, family, date(2025, 4, 28))
    client.force_login(personas.officer)
    client.cookies["nansen_language"] = language
    page = client.get(
        reverse("procedures:application_detail", args=[application.pk])
    ).content.decode()
    assert heading in page and stage in page
    assert "2025-05-07" in page
