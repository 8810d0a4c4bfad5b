import pytest
from django.conf import settings
from django.utils import translation

from nansen.testing import VerifiedClient, make_personas


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page request activates its language for the thread; start every test in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also passes the second factor."""
    return VerifiedClient()


@pytest.fixture
def personas(db):
    return make_personas()
