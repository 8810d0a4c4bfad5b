from datetime import date

import pytest

from nansen.eligibility.testing import coi_source
from nansen.procedures import services as procedure_services
from nansen.testing import register_family


def lodge(personas, case, *, lodged_on=date(2025, 1, 10)):
    principal = case.members.get(relationship="principal").person
    (application,) = procedure_services.application_lodge(
        actor=personas.clerk, case=case, persons=[principal], lodged_on=lodged_on
    )
    procedure_services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date(2025, 2, 3),
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def application(personas):
    """A Syrian applicant's application in Tokyo, interviewed."""
    return lodge(personas, register_family(personas.clerk, children=0))


@pytest.fixture
def source(personas):
    return coi_source(personas.officer)
