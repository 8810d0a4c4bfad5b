"""Posting on a possible duplicate's page: the version the page showed is required, and a
refusal keeps what was typed."""

import pytest
from django.urls import reverse

from nansen.identity import services
from nansen.identity.models import MergeRecord
from nansen.testing import register_family


@pytest.fixture
def pair(personas):
    first, second = (
        register_family(personas.clerk, children=0).members.get(relationship="principal").person
        for _ in range(2)
    )
    return services.pair_propose(person_ids=(first.pk, second.pk), score=0.97, evidence={})


def test_it_refuses_a_decision_without_the_version(client, personas, pair):
    client.force_login(personas.officer)
    response = client.post(
        reverse("identity:identity_pair", args=[pair.pk]),
        {"status": "same", "note": "Same passport."},
    )
    assert response.status_code == 400
    assert "without the version of the record" in response.text
    assert "Same passport." in response.text
    pair.refresh_from_db()
    assert (pair.status, pair.version) == ("open", 1)


def test_a_stale_merge_is_a_409_on_the_pairs_page(client, personas, pair):
    services.pair_decide(actor=personas.supervisor, pair=pair, expected_version=1, status="same")
    client.force_login(personas.supervisor)
    response = client.post(
        reverse("identity:identity_pair_merge", args=[pair.pk]),
        {"survivor": pair.person_a_id, "version": 1},
    )
    assert response.status_code == 409
    assert "Someone else saved" in response.text
    assert "Merge the records" in response.text
    assert not MergeRecord.objects.exists()
