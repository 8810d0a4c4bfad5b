"""Pledges: recorded with their source, revised with every revision kept."""

from datetime import date

import pytest
from django.http import Http404

from nansen.audit.models import AuditEntry
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed
from nansen.resettlement.models import Pledge, PledgeRevision
from nansen.resettlement.selectors import pledge_revisions, revision_changes
from nansen.resettlement.services import pledge_record, pledge_revise
from nansen.resettlement.tests.factories import decided_family, pledge_input, refer


def _revise(personas, pledge, reason="New announcement", **changes):
    pledge.refresh_from_db()
    return pledge_revise(
        actor=personas.supervisor,
        pledge=pledge,
        expected_version=pledge.version,
        data=pledge_input(**changes),
        reason=reason,
    )


def test_a_recorded_pledge_keeps_its_terms_as_revision_one(personas):
    pledge = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(places=500, source_url="https://example.org/table.pdf"),
    )
    (revision,) = pledge_revisions(pledge=pledge)
    assert (revision.number, revision.places, revision.source_url) == (
        1,
        500,
        "https://example.org/table.pdf",
    )
    assert revision.revised_by == personas.supervisor
    assert pledge.eligible_outcomes == ["recognized"]  # the programme's rule
    entry = AuditEntry.objects.get(action="pledge_recorded")
    assert (entry.object_type, entry.object_id) == ("pledge", pledge.pk)


def test_every_revision_of_a_pledge_is_kept(personas):
    pledge = pledge_record(actor=personas.supervisor, data=pledge_input(places=500))
    _revise(personas, pledge, reason="500 more pledged in Geneva", places=1000)
    _revise(
        personas,
        pledge,
        reason="Extended",
        places=1000,
        period_end=date(2017, 12, 31),
        source_title="Later report",
    )
    pledge.refresh_from_db()
    assert (pledge.places, pledge.period_end, pledge.version) == (1000, date(2017, 12, 31), 3)
    history = revision_changes(pledge_revisions(pledge=pledge))
    assert [(r.number, r.places, r.reason) for r, _changed in history] == [
        (1, 500, ""),
        (2, 1000, "500 more pledged in Geneva"),
        (3, 1000, "Extended"),
    ]
    assert [changed for _r, changed in history] == [
        [],
        ["places pledged"],
        ["period until", "source"],
    ]
    assert PledgeRevision.objects.get(pledge=pledge, number=1).places == 500
    assert AuditEntry.objects.filter(action="pledge_revised").count() == 2


def test_a_revision_says_why_and_changes_something(personas, pledge):
    with pytest.raises(NotAllowed, match="Say why"):
        _revise(personas, pledge, reason=" ", places=20)
    with pytest.raises(NotAllowed, match="Nothing was changed"):
        _revise(personas, pledge)
    assert pledge.revisions.count() == 1


def test_a_revision_based_on_an_old_version_is_refused(personas, pledge):
    stale = Pledge.objects.get(pk=pledge.pk)
    _revise(personas, pledge, places=20)
    with pytest.raises(ConcurrentEditError):
        pledge_revise(
            actor=personas.supervisor,
            pledge=stale,
            expected_version=stale.version,
            data=pledge_input(places=30),
            reason="Another report",
        )
    pledge.refresh_from_db()
    assert pledge.places == 20
    assert pledge.revisions.count() == 2


@pytest.mark.usefixtures("assessments_drafted")
def test_country_and_programme_stay_once_cases_are_referred(personas, pledge):
    refer(personas, decided_family(personas), pledge)
    with pytest.raises(NotAllowed, match="Record a new pledge instead"):
        _revise(personas, pledge, receiving_country="AUS")
    _revise(personas, pledge, places=12)


def test_pledges_are_recorded_by_supervisors_only(personas):
    for user in (personas.officer, personas.clerk, personas.statistician, personas.lawyer):
        with pytest.raises(Http404):
            pledge_record(actor=user, data=pledge_input())
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"receiving_country": "XYZ"}, "Not ISO 3166-1"),
        ({"target_nationalities": ["SYR", "ZZZ"]}, "ZZZ"),
        ({"period_end": date(2014, 1, 1)}, "cannot end before it starts"),
        ({"announced_on": date(2999, 1, 1)}, "cannot be in the future"),
        ({"source_title": " "}, "names its source"),
        ({"eligible_outcomes": ["maybe"]}, "Choose the statuses"),
        ({"source_url": "javascript:alert(1)"}, "not a web address"),
    ],
)
def test_a_pledge_is_refused_with_a_reason(personas, changes, message):
    with pytest.raises(NotAllowed, match=message):
        pledge_record(actor=personas.supervisor, data=pledge_input(**changes))
