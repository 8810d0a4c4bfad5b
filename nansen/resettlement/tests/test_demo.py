"""``nansen resettlement demo``: the 2015 pledges with their sources, referrals in every
state, made through the services."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from nansen.accounts.models import Office
from nansen.accounts.roles import Role
from nansen.audit.models import CaseEvent
from nansen.resettlement.models import Pledge, Referral, ReferralStatus
from nansen.resettlement.selectors import fulfilment_by_pledge
from nansen.testing import make_user


@pytest.fixture
def unhcr_office(personas):
    office = Office.objects.create(
        code="UNKL", name="UNHCR Malaysia", kind=Office.Kind.UNHCR_OPERATION, country="MYS"
    )
    make_user("unhcr", office, Role.CLERK, Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR)
    return office


def test_the_demo_records_the_2015_pledges_and_referrals_in_every_state(unhcr_office):
    out = StringIO()
    call_command("resettlement", "demo", stdout=out)
    assert "4 pledges, 10 referrals" in out.getvalue()

    pledges = {p.receiving_country: p for p in Pledge.objects.all()}
    assert {c: p.places for c, p in pledges.items()} == {
        "AUS": 5600,
        "FRA": 1000,
        "DEU": 35000,
        "JPN": 150,
    }
    assert pledges["DEU"].programme_type == "humanitarian_admission"
    assert pledges["JPN"].programme_type == "education"
    for pledge in pledges.values():
        assert "as reported" in pledge.source_title
        assert pledge.revisions.filter(number=1).exists()
    assert pledges["JPN"].revisions.get(number=1).places is None  # only considered in 2015
    assert [r.places for r in pledges["DEU"].revisions.order_by("number")] == [20000, 30000, 35000]

    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(Referral.objects.values_list("office__code", flat=True)) == {"UNKL"}
    fulfilment = fulfilment_by_pledge(list(pledges.values()))
    assert fulfilment[pledges["AUS"].pk].arrived == 7  # two families: 4 and 3 persons
    assert fulfilment[pledges["JPN"].pk].arrived == 2
    assert CaseEvent.objects.filter(verb="referral_arrived").count() == 4

    with pytest.raises(CommandError, match="already there"):
        call_command("resettlement", "demo", stdout=StringIO())


def test_the_demo_needs_an_office_to_refer_from(personas):
    with pytest.raises(CommandError, match="no UNHCR operation office"):
        call_command("resettlement", "demo", stdout=StringIO())
    assert not Pledge.objects.exists()
