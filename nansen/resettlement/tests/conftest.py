import pytest
from django.utils import translation

from nansen.resettlement.services import pledge_record
from nansen.resettlement.tests.factories import decided_family, pledge_input


@pytest.fixture
def pledge(personas):
    return pledge_record(actor=personas.supervisor, data=pledge_input())


@pytest.fixture
def family(personas, assessments_drafted):
    return decided_family(personas)


@pytest.fixture(autouse=True)
def _in_english():
    """The tests read messages in English. A page requested in another language leaves that
    language active in the thread (LocaleMiddleware does not reset it), so each test starts
    and ends in English."""
    translation.activate("en")
    yield
    translation.activate("en")
