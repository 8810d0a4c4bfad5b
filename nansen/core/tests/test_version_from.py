"""The version a posted form carries is required: one reader, refusing what is not one."""

import pytest
from django.test import RequestFactory

from nansen.core.concurrency import VersionMissing, version_from, version_seen
from nansen.core.permissions import NotAllowed


class Record:
    version = 7


def _post(**data):
    return RequestFactory().post("/", data)


def test_it_reads_the_posted_version():
    assert version_from(_post(version="3")) == 3


@pytest.mark.parametrize("raw", ["", "x", "-1", "1.5", "²", "1234567890"])
def test_it_refuses_a_version_that_is_missing_or_not_a_number(raw):
    with pytest.raises(VersionMissing, match="without the version"):
        version_from(_post(version=raw))


def test_it_refuses_a_form_without_the_field():
    with pytest.raises(VersionMissing):
        version_from(_post())


def test_a_missing_version_is_a_refusal_pages_and_the_api_answer_with_400():
    assert issubclass(VersionMissing, NotAllowed)


def test_a_form_page_shows_the_records_version_until_one_is_posted():
    assert version_seen(RequestFactory().get("/"), Record()) == 7
    assert version_seen(_post(version="5"), Record()) == 5
    assert version_seen(_post(), Record()) == 7
