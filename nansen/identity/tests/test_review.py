"""The review queue: decisions with who made them, "different persons" remembered, merge and
unmerge with every reference moved and moved back."""

from datetime import date
from itertools import pairwise

import pytest
from django.urls import reverse

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.identity import services
from nansen.identity.identity_check import case_repeat_check
from nansen.identity.models import CandidatePair, MergeRecord, NameKey, PairStatus
from nansen.identity.selectors import candidates_find
from nansen.procedures.models import Application
from nansen.procedures.services import application_lodge
from nansen.registration.models import CaseMember, IdentityDocument
from nansen.registration.services import DocumentInput, case_register
from nansen.testing import person_input


def register(clerk, **values):
    case = case_register(actor=clerk, principal=person_input(**values))
    return case, case.members.get().person


@pytest.fixture
def twins(personas):
    """One man registered twice: at first as Mohammed, a year later as Muhammad."""
    first_case, first = register(
        personas.clerk,
        given_name="Mohammed",
        family_name="Al-Hassan",
        documents=[DocumentInput(document_type="passport", number="N011", issuing_country="SYR")],
    )
    second_case, second = register(personas.clerk, given_name="Muhammad", family_name="Alhassan")
    application_lodge(
        actor=personas.clerk, case=first_case, persons=[first], lodged_on=date(2024, 5, 2)
    )
    application_lodge(
        actor=personas.clerk, case=second_case, persons=[second], lodged_on=date(2025, 1, 20)
    )
    pair = services.pair_propose(person_ids=(first.pk, second.pk), score=0.97, evidence={})
    return pair, first, second, first_case, second_case


def test_a_decision_is_recorded_with_who_made_it(personas, twins):
    pair = twins[0]
    services.pair_decide(
        actor=personas.officer, pair=pair, expected_version=1, status="more_info", note="Ask."
    )
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == ("more_info", personas.officer)
    decision = pair.decisions.get()
    assert (decision.actor, decision.note) == (personas.officer, "Ask.")
    assert AuditEntry.objects.filter(action="identity_pair_decided", object_id=pair.pk).exists()


def test_a_clerk_may_not_decide(personas, twins):
    from django.http import Http404

    with pytest.raises(Http404):
        services.pair_decide(actor=personas.clerk, pair=twins[0], expected_version=1, status="same")


def test_different_persons_are_never_proposed_again(personas, twins):
    pair, first, second = twins[:3]
    services.pair_decide(actor=personas.officer, pair=pair, expected_version=1, status="different")
    assert services.pair_propose(person_ids=(second.pk, first.pk), score=0.99, evidence={}) is None
    pair.refresh_from_db()
    assert pair.status == PairStatus.DIFFERENT
    assert CandidatePair.objects.count() == 1
    found = case_repeat_check(actor=personas.clerk, case=twins[3]).findings
    assert all(s.person != second for f in found if f.person == first for s, _apps in f.shown)


def test_the_lodging_check_finds_the_earlier_application(personas, twins):
    _pair, first, second, _first_case, second_case = twins
    [finding] = case_repeat_check(actor=personas.clerk, case=second_case).findings
    assert finding.person == second
    [(shown, applications)] = finding.shown
    assert shown.person == first
    assert [a.ordinal for a in applications] == [1]


def test_merge_moves_every_reference_and_unmerge_puts_it_back(personas, twins):
    pair, first, second, first_case, second_case = twins
    services.pair_decide(actor=personas.supervisor, pair=pair, expected_version=1, status="same")
    before = {
        "memberships": sorted(CaseMember.objects.values_list("pk", "case_id", "person_id")),
        "applications": sorted(Application.objects.values_list("pk", "person_id", "ordinal")),
        "documents": sorted(IdentityDocument.objects.values_list("pk", "person_id")),
    }
    merge = services.persons_merge(
        actor=personas.supervisor, pair=pair, survivor=second, expected_version=2
    )
    assert set(CaseMember.objects.filter(person=second).values_list("case_id", flat=True)) == {
        first_case.pk,
        second_case.pk,
    }
    # The absorbed record's first application stays the first; the survivor's is a repeat.
    assert list(
        Application.objects.filter(person=second)
        .order_by("lodged_on")
        .values_list("lodged_on", "ordinal")
    ) == [(date(2024, 5, 2), 1), (date(2025, 1, 20), 2)]
    assert IdentityDocument.objects.get().person == second
    assert not NameKey.objects.filter(person=first).exists()
    assert candidates_find(record=_record_of(second), exclude={second.pk}) == []
    for case in (first_case, second_case):
        event = CaseEvent.objects.get(case=case, verb="persons_merged")
        assert event.details == {"survivor": second.pk, "absorbed": first.pk, "merge": merge.pk}
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED

    services.merge_undo(actor=personas.supervisor, merge=merge)
    after = {
        "memberships": sorted(CaseMember.objects.values_list("pk", "case_id", "person_id")),
        "applications": sorted(Application.objects.values_list("pk", "person_id", "ordinal")),
        "documents": sorted(IdentityDocument.objects.values_list("pk", "person_id")),
    }
    assert after == before
    merge.refresh_from_db()
    assert merge.unmerged_by == personas.supervisor and not merge.active
    assert NameKey.objects.filter(person=first).exists()
    assert CaseEvent.objects.filter(verb="persons_unmerged").count() == 2
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN
    assert [d.status for d in pair.decisions.all()] == ["same", "merged", "open"]


def test_merging_two_members_of_one_case_keeps_the_membership_to_restore(personas):
    case, first = register(personas.clerk, given_name="Omar", family_name="Haddad")
    from nansen.registration.services import MemberInput, case_member_add

    second = case_member_add(
        actor=personas.clerk,
        case=case,
        expected_version=case.version,
        member=MemberInput(
            person=person_input(given_name="Umar", family_name="Hadad"), relationship="other"
        ),
    )
    pair = services.pair_propose(person_ids=(first.pk, second.pk), score=0.9, evidence={})
    services.pair_decide(actor=personas.supervisor, pair=pair, expected_version=1, status="same")
    merge = services.persons_merge(
        actor=personas.supervisor, pair=pair, survivor=first, expected_version=2
    )
    assert list(case.members.values_list("person_id", flat=True)) == [first.pk]
    services.merge_undo(actor=personas.supervisor, merge=merge)
    assert set(case.members.values_list("person_id", "relationship")) == {
        (first.pk, "principal"),
        (second.pk, "other"),
    }


def test_only_pairs_decided_same_are_merged(personas, twins):
    with pytest.raises(NotAllowed):
        services.persons_merge(
            actor=personas.supervisor, pair=twins[0], survivor=twins[1], expected_version=1
        )
    assert not MergeRecord.objects.exists()


def test_the_queue_and_pair_pages_show_only_what_the_user_may_see(client, personas, twins):
    pair = twins[0]
    client.force_login(personas.officer)
    assert twins[1].latin_name in client.get(reverse("identity:identity_queue")).content.decode()
    page = client.get(reverse("identity:identity_pair", args=[pair.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("identity:identity_pair", args=[pair.pk]), {"status": "same", "version": 1}
    )
    assert response.status_code == 302
    client.force_login(personas.outsider)
    assert client.get(reverse("identity:identity_pair", args=[pair.pk])).status_code == 404
    assert (
        twins[1].latin_name not in client.get(reverse("identity:identity_queue")).content.decode()
    )


def test_merge_and_undo_through_the_pages(client, personas, twins):
    pair, first = twins[:2]
    services.pair_decide(actor=personas.supervisor, pair=pair, expected_version=1, status="same")
    client.force_login(personas.supervisor)
    response = client.post(
        reverse("identity:identity_pair_merge", args=[pair.pk]),
        {"survivor": first.pk, "version": 2},
    )
    assert response.status_code == 302
    merge = MergeRecord.objects.get()
    assert merge.survivor == first
    client.post(reverse("identity:identity_merge_undo", args=[merge.pk]))
    merge.refresh_from_db()
    assert merge.unmerged_at is not None


def _record_of(person):
    from nansen.identity.match_records import record_from_person

    return record_from_person(person)


def test_the_pair_page_shows_the_people_registered_with_them(client, personas, twins):
    pair = twins[0]
    pair.evidence = {"together": {"level": "several_alike", "weight": 6.32}}
    pair.save(update_fields=["evidence"])
    client.force_login(personas.officer)
    page = client.get(reverse("identity:identity_pair", args=[pair.pk])).content.decode()
    assert "People registered with them" in page
    assert "several other persons registered with each are alike" in page
    assert "6.3" in page
    page = client.get(
        reverse("identity:identity_pair", args=[pair.pk]), HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()
    assert "それぞれと一緒に登録された人のうち複数組が似ている" in page


def test_decided_batch_pairs_give_their_second_look_level(personas, twins):
    from nansen.identity.models import PairSource
    from nansen.identity.selectors import decided_together_levels

    pair = twins[0]
    pair.source = PairSource.BATCH
    pair.evidence = {"together": {"level": "none_alike", "weight": -5.8}}
    pair.save(update_fields=["source", "evidence"])
    assert decided_together_levels() == []  # still open
    services.pair_decide(
        actor=personas.officer,
        pair=pair,
        expected_version=pair.version,
        status=PairStatus.DIFFERENT,
    )
    assert decided_together_levels() == [("none_alike", False)]


def test_the_batch_proposes_pairs_in_a_few_statements_whatever_their_number(
    personas, twins, django_assert_max_num_queries
):
    """New pairs are created, an open pair takes the new score, a pair decided "different
    persons" is left as it was, a person is never paired with themselves; the number of
    statements does not grow with the number of pairs."""
    from nansen.registration.models import Person

    pair, first, second = twins[0], twins[1], twins[2]
    others = [register(personas.clerk, given_name=f"Person{i}")[1] for i in range(6)]
    decided = services.pair_propose(person_ids=(others[0].pk, others[1].pk), score=0.9, evidence={})
    services.pair_decide(
        actor=personas.officer,
        pair=decided,
        expected_version=decided.version,
        status=PairStatus.DIFFERENT,
    )
    proposals = [
        services.Proposal((second.pk, first.pk), 0.99, {"name": {"level": "same"}}),
        services.Proposal((others[1].pk, others[0].pk), 0.95, {}),
        services.Proposal((others[2].pk, others[2].pk), 0.95, {}),
        *(services.Proposal((a.pk, b.pk), 0.8, {}, cluster="7") for a, b in pairwise(others[2:])),
    ]
    with django_assert_max_num_queries(6):
        created = services.pairs_propose(proposals)
    assert len(created) == 3 and all(p.cluster == "7" for p in created)
    pair.refresh_from_db()
    assert (pair.score, pair.evidence) == (0.99, {"name": {"level": "same"}})
    decided.refresh_from_db()
    assert (decided.status, decided.score) == (PairStatus.DIFFERENT, 0.9)
    assert CandidatePair.objects.count() == 5
    assert Person.objects.count() == 8
    # proposed again (a resumed run): nothing new
    assert services.pairs_propose(proposals) == []
