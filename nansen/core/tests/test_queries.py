"""Pages keep a bounded number of SQL queries whatever the size of the caseload."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nansen.procedures.services import application_lodge, decision_record
from nansen.testing import register_family


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _add_cases(personas, n):
    cases = []
    for _ in range(n):
        case = register_family(personas.clerk, children=2)
        persons = [m.person for m in case.members.all()]
        for application in application_lodge(
            actor=personas.clerk, case=case, persons=persons, lodged_on=date(2024, 1, 1)
        ):
            decision_record(
                actor=personas.officer,
                application=application,
                expected_version=application.version,
                outcome="rejected",
                decided_on=date(2024, 6, 1),
                reasons="x",
                without_interview_reason="Decided on the file.",
            )
        cases.append(case)
    return cases


@pytest.mark.usefixtures("assessments_drafted")
def test_case_list_and_case_page_queries_do_not_grow(client, personas):
    client.force_login(personas.officer)
    (first,) = _add_cases(personas, 1)
    small = (
        _queries(client, reverse("registration:case_search")),
        _queries(client, reverse("registration:case_detail", args=[first.pk])),
        _queries(client, reverse("procedures:dashboard")),
    )
    _add_cases(personas, 12)
    large = (
        _queries(client, reverse("registration:case_search")),
        _queries(client, reverse("registration:case_detail", args=[first.pk])),
        _queries(client, reverse("procedures:dashboard")),
    )
    assert small == large
    assert max(large) <= 20, large


@pytest.mark.usefixtures("assessments_drafted")
def test_statistics_page_queries_do_not_grow(client, personas):
    client.force_login(personas.statistician)
    _add_cases(personas, 1)
    small = _queries(client, reverse("statistics:statistics"))
    _add_cases(personas, 8)
    assert _queries(client, reverse("statistics:statistics")) == small <= 8
