"""Fulfilment arithmetic: persons, never cases; departed is not arrived."""

from datetime import date

import pytest
import time_machine

from nansen.resettlement.charts import progress_bars
from nansen.resettlement.selectors import (
    Fulfilment,
    fulfilment_by_pledge,
    fulfilment_over_time,
    waiting_longest,
)
from nansen.resettlement.services import pledge_record
from nansen.resettlement.tests.factories import decided_family, members, move, pledge_input, refer


def _to(personas, referral, *steps):
    dates = {
        "submit": date(2015, 7, 1),
        "accept": date(2015, 9, 1),
        "depart": date(2015, 11, 2),
        "arrive": date(2015, 11, 3),
        "reject": date(2015, 8, 1),
    }
    for step in steps:
        reason = "criteria" if step == "reject" else ""
        move(personas, referral, step, dates[step], reason=reason)


@pytest.mark.usefixtures("assessments_drafted")
def test_fulfilment_counts_persons_not_cases(personas, pledge):
    # Three families: 4, 3 and 5 persons.
    arrived = refer(personas, decided_family(personas, children=2), pledge)
    departed = refer(personas, decided_family(personas, children=1), pledge)
    accepted = refer(personas, decided_family(personas, children=3), pledge)
    _to(personas, arrived, "submit", "accept", "depart", "arrive")
    _to(personas, departed, "submit", "accept", "depart")
    _to(personas, accepted, "submit", "accept")

    f = fulfilment_by_pledge([pledge])[pledge.pk]
    assert (f.submitted, f.accepted, f.departed, f.arrived) == (12, 12, 7, 4)
    assert f.places == 10
    assert f.share_fulfilled == 40.0  # arrived persons ÷ places: 4 ÷ 10
    assert f.share_departed == 70.0
    assert f.remaining == 6
    assert f.furthest() == [("arrived", 4), ("departed", 3), ("accepted", 5), ("submitted", 0)]


@pytest.mark.usefixtures("assessments_drafted")
def test_only_chosen_members_count(personas, pledge):
    case = decided_family(personas, children=2)
    principal, spouse, *_children = members(case)
    referral = refer(personas, case, pledge, persons=[principal, spouse])
    _to(personas, referral, "submit", "accept", "depart", "arrive")
    assert fulfilment_by_pledge([pledge])[pledge.pk].arrived == 2


@pytest.mark.usefixtures("assessments_drafted")
def test_rejected_and_withdrawn_persons_count_apart(personas, pledge):
    rejected = refer(personas, decided_family(personas, children=0), pledge)
    _to(personas, rejected, "submit", "reject")
    withdrawn = refer(personas, decided_family(personas, children=1), pledge)
    move(personas, withdrawn, "withdraw", date(2015, 6, 2), reason="by_refugee")
    preparing = refer(personas, decided_family(personas, children=2), pledge)

    f = fulfilment_by_pledge([pledge])[pledge.pk]
    assert (f.identified, f.submitted, f.accepted, f.rejected, f.withdrawn) == (4, 2, 0, 2, 3)
    assert f.arrived == 0 and f.share_fulfilled == 0.0
    assert preparing.status == "identified"


@pytest.mark.usefixtures("assessments_drafted")
def test_a_pledge_without_a_number_of_places_has_no_share(personas):
    pledge = pledge_record(actor=personas.supervisor, data=pledge_input(places=None))
    referral = refer(personas, decided_family(personas, children=0), pledge)
    _to(personas, referral, "submit", "accept", "depart", "arrive")
    f = fulfilment_by_pledge([pledge])[pledge.pk]
    assert (f.arrived, f.share_fulfilled, f.remaining) == (2, None, None)
    assert progress_bars([("x", f)]).bars[0].target_x is None


@pytest.mark.usefixtures("assessments_drafted")
def test_fulfilment_over_time_is_cumulative_by_quarter(personas):
    pledge = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(period_start=date(2015, 1, 1), period_end=date(2015, 12, 31)),
    )
    referral = refer(personas, decided_family(personas, children=1), pledge)
    _to(personas, referral, "submit", "accept", "depart", "arrive")
    periods = fulfilment_over_time(pledge=pledge, today=date(2016, 6, 1))
    assert [p.label for p in periods] == ["2015 Q1", "2015 Q2", "2015 Q3", "2015 Q4"]
    assert [
        (p.fulfilment.submitted, p.fulfilment.accepted, p.fulfilment.departed, p.fulfilment.arrived)
        for p in periods
    ] == [(0, 0, 0, 0), (0, 0, 0, 0), (3, 3, 0, 0), (3, 3, 3, 3)]
    assert periods[-1].end == date(2015, 12, 31)


def test_a_long_pledge_is_shown_by_year(personas):
    pledge = pledge_record(
        actor=personas.supervisor,
        data=pledge_input(period_start=date(2013, 3, 1), period_end=None),
    )
    periods = fulfilment_over_time(pledge=pledge, today=date(2018, 2, 1))
    assert [p.label for p in periods] == ["2013", "2014", "2015", "2016", "2017", "2018"]


def test_the_chart_stacks_persons_by_the_furthest_stage_against_the_places():
    chart = progress_bars(
        [("A", Fulfilment(places=10, submitted=8, accepted=6, departed=4, arrived=2))]
    )
    (bar,) = chart.bars
    assert [(s.stage, s.count) for s in bar.segments] == [
        ("arrived", 2),
        ("departed", 2),
        ("accepted", 2),
        ("submitted", 2),
    ]
    assert bar.note == "20.0 %"
    assert bar.segments[0].width * 5 == bar.target_x - bar.segments[0].x


@time_machine.travel("2016-03-01 09:00 +0000", tick=False)
@pytest.mark.usefixtures("assessments_drafted")
def test_the_longest_waiting_referrals_come_first_and_overdue_ones_are_marked(personas, pledge):
    older = refer(personas, decided_family(personas), pledge, identified_on=date(2015, 5, 1))
    newer = refer(personas, decided_family(personas), pledge, priority="emergency")
    move(personas, newer, "submit", date(2015, 7, 1))
    hidden = refer(personas, decided_family(personas), pledge, identified_on=date(2015, 4, 1))

    waiting = dict(waiting_longest(user=personas.officer))
    assert [w.referral for w in waiting["identified"]] == [hidden, older]
    (submitted,) = waiting["submitted"]
    assert submitted.referral == newer and submitted.days == 244 and submitted.overdue
    assert waiting_longest(user=personas.outsider)[0][1] == []
