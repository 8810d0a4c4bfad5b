"""Court proceedings under jp-icrra: the District Court, the appeal to the High Court and the
final appeal to the Supreme Court, their hearings, judgments and service, the State's appeal
against a revocation, and the stay of execution; through the services, the pages, the API
and the command line, with time pinned."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from nansen.accounts.models import ApiToken
from nansen.audit.models import CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import Appeal, CourtHearing, Deadline, Decision
from nansen.procedures.tests.conftest import at

REASONS = "The accepted facts do not show a well-founded fear under Art. 1A(2)."


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _refusal_upheld_on_review(time_machine, personas, family, person):
    """An application refused in 2025, its refusal upheld on review and the ruling notified
    on 2 June 2025: six months to bring the action before the District Court."""
    time_machine.move_to(at("2025-01-06 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=[person], lodged_on=_day("2025-01-06")
    )
    time_machine.move_to(at("2025-02-03 10:00"), tick=False)
    refusal = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=_day("2025-02-03"),
        reasons=REASONS,
        without_interview_reason="The applicant declined the interview in writing.",
    )
    services.decision_notify(
        actor=personas.officer, decision=refusal, notified_on=refusal.decided_on
    )
    time_machine.move_to(at("2025-02-05 10:00"), tick=False)
    application.refresh_from_db()
    review = services.appeal_lodge(
        actor=personas.clerk,
        application=application,
        expected_version=application.version,
        lodged_on=_day("2025-02-05"),
        grounds="The risk on return was not assessed.",
    )
    services.appeal_assign(
        actor=personas.supervisor,
        appeal=review,
        expected_version=review.version,
        officer=personas.appeals,
    )
    time_machine.move_to(at("2025-06-02 10:00"), tick=False)
    for name in ("Counsellor A", "Counsellor B", "Counsellor C"):
        counsellor = services.counsellor_register(actor=personas.supervisor, name=name)
        review.refresh_from_db()
        services.counsellor_designate(
            actor=personas.supervisor,
            appeal=review,
            expected_version=review.version,
            counsellor=counsellor,
            designated_on=_day("2025-03-03"),
        )
        services.counsellor_opinion_record(
            actor=personas.appeals,
            appeal=review,
            counsellor=counsellor,
            finding="no_grounds",
            summary=f"Opinion of {name}.",
            given_on=_day("2025-05-20"),
        )
    review.refresh_from_db()
    services.appeal_hearing_record(
        actor=personas.appeals, appeal=review, expected_version=review.version, waived=True
    )
    review.refresh_from_db()
    services.appeal_decide(
        actor=personas.appeals,
        appeal=review,
        expected_version=review.version,
        outcome="upheld",
        decided_on=_day("2025-06-02"),
        reasons="The counsellors found no grounds.",
    )
    ruling = Decision.objects.get(application=application, instance="appeal")
    services.decision_notify(actor=personas.appeals, decision=ruling, notified_on=ruling.decided_on)
    application.refresh_from_db()
    assert application.stage == "upheld"
    return application


def _lodge(actor, application, level: str, on: str, **kwargs) -> Appeal:
    application.refresh_from_db()
    return services.court_proceeding_lodge(
        actor=actor,
        application=application,
        expected_version=application.version,
        level=level,
        lodged_on=_day(on),
        grounds=kwargs.pop("grounds", "The refusal misreads the evidence of persecution."),
        **kwargs,
    )


def _judgment(appeal: Appeal, outcome: str, on: str, actor, served_on: str | None = None):
    appeal.refresh_from_db()
    return services.court_judgment_record(
        actor=actor,
        appeal=appeal,
        expected_version=appeal.version,
        outcome=outcome,
        decided_on=_day(on),
        reasons="Summary of the court's reasons.",
        served_on=_day(served_on) if served_on else None,
    )


def _serve(appeal: Appeal, on: str, actor) -> list[Deadline]:
    appeal.refresh_from_db()
    return services.court_judgment_service_record(
        actor=actor, appeal=appeal, expected_version=appeal.version, served_on=_day(on)
    )


@pytest.fixture
def upheld(time_machine, personas, family, members, assessments_drafted):
    return _refusal_upheld_on_review(time_machine, personas, family, members[0])


@pytest.fixture
def in_court(time_machine, personas, upheld):
    """The action before the Tokyo District Court, brought on 1 July 2025."""
    time_machine.move_to(at("2025-07-01 10:00"), tick=False)
    return _lodge(
        personas.clerk,
        upheld,
        "district",
        "2025-07-01",
        court="Tokyo District Court",
        case_number="令和7年(行ウ)第123号",
    )


# --- the three instances --------------------------------------------------------------------


def test_a_refusal_goes_through_the_district_court_the_high_court_and_the_supreme_court(
    time_machine, personas, upheld, in_court
):
    application = upheld
    district = in_court
    assert (district.court_level, district.appellant, district.in_time) == (
        "district",
        "applicant",
        True,
    )
    assert (district.court, district.court_case_number) == (
        "Tokyo District Court",
        "令和7年(行ウ)第123号",
    )
    assert district.decision == Decision.objects.get(application=application, instance="appeal")
    application.refresh_from_db()
    assert application.stage == "in_court"
    assert Deadline.objects.get(rule="court-action").status == "met"

    # Judgment on Tuesday 14 April 2026, served a week later: two weeks from the day after
    # service end on Children's Day, then the substitute holiday: Thursday 7 May.
    time_machine.move_to(at("2026-04-21 15:00"), tick=False)
    _judgment(district, "upheld", "2026-04-14", personas.appeals)
    application.refresh_from_db()
    assert application.stage == "court_upheld"
    district.refresh_from_db()
    first_judgment = district.new_decision
    # The refusal as the judgment upholds it: its outcome and kind of decision.
    assert (first_judgment.instance, first_judgment.outcome, first_judgment.form) == (
        "judicial",
        "rejected",
        district.decision.form,
    )
    assert first_judgment.form
    assert not Deadline.objects.filter(rule="court-appeal").exists()
    (deadline,) = _serve(district, "2026-04-21", personas.clerk)
    assert (deadline.rule, deadline.due_on, deadline.party, deadline.event) == (
        "court-appeal",
        date(2026, 5, 7),
        "applicant",
        "judgment_served",
    )
    assert deadline.decision == first_judgment

    time_machine.move_to(at("2026-05-07 16:00"), tick=False)
    high = _lodge(personas.clerk, application, "high", "2026-05-07", court="Tokyo High Court")
    assert (high.court_level, high.appellant, high.in_time, high.due_on) == (
        "high",
        "applicant",
        True,
        date(2026, 5, 7),
    )
    assert high.decision_id == district.decision_id
    deadline.refresh_from_db()
    assert (deadline.status, deadline.closed_by) == ("met", "lodge_court_appeal")
    application.refresh_from_db()
    assert application.stage == "in_high_court"

    time_machine.move_to(at("2026-11-30 10:00"), tick=False)
    _judgment(high, "upheld", "2026-11-26", personas.appeals, served_on="2026-11-30")
    application.refresh_from_db()
    assert application.stage == "high_court_upheld"
    first_judgment.refresh_from_db()
    assert first_judgment.superseded_at is not None
    high.refresh_from_db()
    standing = Decision.objects.filter(application=application).standing()
    assert [(d.instance, d.pk) for d in standing.filter(instance="judicial")] == [
        ("judicial", high.new_decision_id)
    ]
    final = Deadline.objects.get(rule="final-appeal")
    assert (final.due_on, final.status) == (date(2026, 12, 14), "open")

    time_machine.move_to(at("2026-12-10 10:00"), tick=False)
    supreme = _lodge(personas.supervisor, application, "supreme", "2026-12-10")
    assert supreme.court_level == "supreme" and supreme.in_time
    application.refresh_from_db()
    assert application.stage == "in_supreme_court"

    time_machine.move_to(at("2027-09-01 10:00"), tick=False)
    _judgment(supreme, "upheld", "2027-09-01", personas.appeals, served_on="2027-09-01")
    application.refresh_from_db()
    assert application.stage == "supreme_court_upheld"
    # The Supreme Court's judgment is final: nothing opens, nothing more can be lodged.
    assert not Deadline.objects.filter(application=application, status="open").exists()
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        _lodge(personas.clerk, application, "supreme", "2027-09-02")

    verbs = list(
        CaseEvent.objects.filter(object_type="appeal", object_id__in=[district.pk, high.pk])
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "appeal_lodged",
        "judgment_recorded",
        "judgment_served",
        "appeal_lodged",
        "judgment_recorded",
        "judgment_served",
    ]
    served = CaseEvent.objects.filter(verb="judgment_served").first()
    assert served.details["court_level"] == "district"
    assert served.details["served_on"] == "2026-04-21"


def test_a_late_appeal_to_the_high_court_needs_its_justification(
    time_machine, personas, upheld, in_court
):
    time_machine.move_to(at("2026-04-21 15:00"), tick=False)
    _judgment(in_court, "upheld", "2026-04-14", personas.appeals, served_on="2026-04-21")
    time_machine.move_to(at("2026-05-08 10:00"), tick=False)
    with pytest.raises(
        NotAllowed,
        match=r"jp-icrra › lodge_court_appeal \(Code of Civil Procedure Art\. 281\(1\).*"
        r"the last day was 2026-05-07",
    ):
        _lodge(personas.clerk, upheld, "high", "2026-05-08")
    late = _lodge(
        personas.clerk,
        upheld,
        "high",
        "2026-05-08",
        late_justification="The applicant was in hospital from 1 to 7 May (CCP Art. 97(1)).",
    )
    assert (late.in_time, late.due_on) == (False, date(2026, 5, 7))
    assert CaseEvent.objects.filter(verb="appeal_lodged").latest("pk").details["late_accepted"]


def test_an_appeal_needs_a_judgment_of_the_court_below(time_machine, personas, upheld, in_court):
    time_machine.move_to(at("2025-09-01 10:00"), tick=False)
    # Still before the District Court: neither an appeal nor a second action.
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        _lodge(personas.clerk, upheld, "high", "2025-09-01")
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        _lodge(personas.clerk, upheld, "district", "2025-09-01")
    _judgment(in_court, "upheld", "2025-09-01", personas.appeals)
    # Straight to the Supreme Court, skipping the High Court: refused, naming the rule.
    with pytest.raises(NotAllowed, match=r"jp-icrra › lodge_final_appeal.*not possible"):
        _lodge(personas.clerk, upheld, "supreme", "2025-09-01")
    # The appeal is possible, with no period running until the service is recorded.
    high = _lodge(personas.clerk, upheld, "high", "2025-09-01")
    assert (high.due_on, high.in_time) == (None, True)


def test_a_revocation_sends_the_case_back_to_the_minister_unless_the_state_appeals(
    time_machine, personas, upheld, in_court
):
    application = upheld
    time_machine.move_to(at("2026-04-21 15:00"), tick=False)
    _judgment(in_court, "remitted", "2026-04-14", personas.appeals, served_on="2026-04-21")
    application.refresh_from_db()
    assert application.stage == "remitted"
    # Every decision standing is set aside; no period opens for the applicant, who won.
    assert not Decision.objects.filter(application=application).standing().exists()
    assert not Deadline.objects.filter(application=application, status="open").exists()
    in_court.refresh_from_db()
    assert in_court.new_decision is None
    assert in_court.judgment_label == "Refusal revoked: the Minister decides again"

    # The State appeals on the last day: the case goes back to court, against the same
    # decision, and the application leaves "remitted".
    time_machine.move_to(at("2026-05-07 11:00"), tick=False)
    state = _lodge(personas.supervisor, application, "high", "2026-05-07")
    assert (state.appellant, state.in_time, state.due_on) == ("state", True, date(2026, 5, 7))
    assert state.decision_id == in_court.decision_id
    application.refresh_from_db()
    assert application.stage == "in_high_court"

    # The High Court reverses: the refusal stands, as a decision of the judicial instance,
    # and now the applicant has two weeks for a final appeal.
    time_machine.move_to(at("2026-10-05 10:00"), tick=False)
    _judgment(state, "upheld", "2026-10-01", personas.appeals, served_on="2026-10-05")
    application.refresh_from_db()
    assert application.stage == "high_court_upheld"
    (judicial,) = Decision.objects.filter(application=application).standing()
    assert (judicial.instance, judicial.outcome) == ("judicial", "rejected")
    final = Deadline.objects.get(application=application, rule="final-appeal")
    assert final.due_on == date(2026, 10, 19)
    supreme = _lodge(personas.clerk, application, "supreme", "2026-10-05")
    assert supreme.appellant == "applicant"


def test_a_state_appeal_after_the_re_examination_began_is_refused(
    time_machine, personas, upheld, in_court
):
    time_machine.move_to(at("2026-04-21 15:00"), tick=False)
    _judgment(in_court, "remitted", "2026-04-14", personas.appeals, served_on="2026-04-21")
    upheld.refresh_from_db()
    services.decision_record(
        actor=personas.officer,
        application=upheld,
        expected_version=upheld.version,
        outcome="recognized",
        decided_on=_day("2026-04-21"),
        reasons="As the judgment says.",
        without_interview_reason="Decided on the court's findings.",
    )
    with pytest.raises(NotAllowed, match=r"jp-icrra › lodge_court_appeal.*not possible"):
        _lodge(personas.supervisor, upheld, "high", "2026-04-21")


def test_a_judgment_is_recorded_by_whoever_may_decide_appeals_and_served_after_it(
    time_machine, personas, upheld, in_court
):
    time_machine.move_to(at("2025-09-01 10:00"), tick=False)
    with pytest.raises(Http404):  # a clerk may not record judgments at all
        _judgment(in_court, "upheld", "2025-09-01", personas.clerk)
    with pytest.raises(NotAllowed, match="upholds the refusal or revokes it"):
        _judgment(in_court, "overturned", "2025-09-01", personas.appeals)
    with pytest.raises(NotAllowed, match="served before it was given"):
        _judgment(in_court, "upheld", "2025-09-01", personas.appeals, served_on="2025-08-31")
    with pytest.raises(NotAllowed, match="Record the judgment before its service"):
        _serve(in_court, "2025-09-01", personas.clerk)
    _judgment(in_court, "upheld", "2025-09-01", personas.appeals)
    with pytest.raises(NotAllowed, match="not possible at the stage"):
        _judgment(in_court, "remitted", "2025-09-01", personas.appeals)
    _serve(in_court, "2025-09-01", personas.clerk)
    with pytest.raises(NotAllowed, match="already recorded"):
        _serve(in_court, "2025-09-01", personas.clerk)


def test_the_old_entry_points_record_court_proceedings_too(time_machine, personas, upheld):
    """The appeal services of instance "judicial" are the District Court's proceeding."""
    time_machine.move_to(at("2025-07-01 10:00"), tick=False)
    upheld.refresh_from_db()
    action = services.appeal_lodge(
        actor=personas.clerk,
        application=upheld,
        expected_version=upheld.version,
        lodged_on=_day("2025-07-01"),
        grounds="Action for revocation.",
        instance="judicial",
    )
    assert action.court_level == "district"
    services.appeal_decide(
        actor=personas.appeals,
        appeal=action,
        expected_version=action.version,
        outcome="upheld",
        decided_on=_day("2025-07-01"),
        reasons="Claim dismissed.",
    )
    upheld.refresh_from_db()
    assert upheld.stage == "court_upheld"


def test_one_proceeding_per_decision_and_court_level(time_machine, personas, upheld, in_court):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(
            application=upheld,
            instance="judicial",
            court_level="district",
            decision=in_court.decision,
            lodged_on=in_court.lodged_on,
            in_time=True,
            lodged_by=personas.clerk,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=in_court.pk).update(court_level="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=in_court.pk).update(appellant="state")


# --- hearings, court details, the stay of execution ------------------------------------------


def test_hearings_and_the_court_case_number_are_recorded_until_the_judgment(
    time_machine, personas, upheld, in_court
):
    time_machine.move_to(at("2025-09-01 10:00"), tick=False)
    services.court_hearing_record(
        actor=personas.clerk, appeal=in_court, held_on=_day("2025-09-01"), note="First argument."
    )
    # A hearing the court has set may be recorded ahead.
    services.court_hearing_record(actor=personas.clerk, appeal=in_court, held_on=_day("2025-11-10"))
    with pytest.raises(NotAllowed, match="before the proceeding was lodged"):
        services.court_hearing_record(
            actor=personas.clerk, appeal=in_court, held_on=_day("2025-06-30")
        )
    in_court.refresh_from_db()
    services.court_proceeding_update(
        actor=personas.clerk,
        appeal=in_court,
        expected_version=in_court.version,
        court="Osaka District Court",
        case_number="令和7年(行ウ)第456号",
    )
    in_court.refresh_from_db()
    assert (in_court.court, in_court.court_case_number) == (
        "Osaka District Court",
        "令和7年(行ウ)第456号",
    )
    hearings = list(CourtHearing.objects.filter(appeal=in_court))
    assert [(h.held_on, h.note) for h in hearings] == [
        (date(2025, 9, 1), "First argument."),
        (date(2025, 11, 10), ""),
    ]
    time_machine.move_to(at("2025-12-01 10:00"), tick=False)
    _judgment(in_court, "upheld", "2025-12-01", personas.appeals)
    with pytest.raises(NotAllowed, match="no more hearings"):
        services.court_hearing_record(
            actor=personas.clerk, appeal=in_court, held_on=_day("2025-12-01")
        )
    assert CaseEvent.objects.filter(verb="court_hearing_recorded").count() == 2
    assert CaseEvent.objects.filter(verb="court_details_recorded").count() == 1


def test_a_stay_of_execution_is_applied_for_then_granted_or_refused(
    time_machine, personas, upheld, in_court
):
    time_machine.move_to(at("2025-07-20 10:00"), tick=False)
    with pytest.raises(NotAllowed, match="No stay of execution was applied for"):
        services.court_stay_decide(
            actor=personas.clerk,
            appeal=in_court,
            expected_version=in_court.version,
            outcome="granted",
            decided_on=_day("2025-07-20"),
        )
    services.court_stay_apply(
        actor=personas.clerk,
        appeal=in_court,
        expected_version=in_court.version,
        applied_on=_day("2025-07-01"),
    )
    in_court.refresh_from_db()
    with pytest.raises(NotAllowed, match="already applied for"):
        services.court_stay_apply(
            actor=personas.clerk,
            appeal=in_court,
            expected_version=in_court.version,
            applied_on=_day("2025-07-02"),
        )
    with pytest.raises(NotAllowed, match="before it was applied for"):
        services.court_stay_decide(
            actor=personas.clerk,
            appeal=in_court,
            expected_version=in_court.version,
            outcome="refused",
            decided_on=_day("2025-06-30"),
        )
    services.court_stay_decide(
        actor=personas.clerk,
        appeal=in_court,
        expected_version=in_court.version,
        outcome="refused",
        decided_on=_day("2025-07-15"),
    )
    in_court.refresh_from_db()
    assert (in_court.stay_outcome, in_court.stay_decided_on, in_court.stay_court) == (
        "refused",
        date(2025, 7, 15),
        "Tokyo District Court",
    )
    # After a refusal a new application may be made; this one is granted.
    services.court_stay_apply(
        actor=personas.clerk,
        appeal=in_court,
        expected_version=in_court.version,
        applied_on=_day("2025-07-16"),
    )
    in_court.refresh_from_db()
    assert (in_court.stay_applied_on, in_court.stay_outcome, in_court.stay_decided_on) == (
        date(2025, 7, 16),
        "",
        None,
    )
    services.court_stay_decide(
        actor=personas.clerk,
        appeal=in_court,
        expected_version=in_court.version,
        outcome="granted",
        decided_on=_day("2025-07-18"),
    )
    in_court.refresh_from_db()
    assert (in_court.stay_outcome, in_court.stay_decided_on) == ("granted", date(2025, 7, 18))
    events = CaseEvent.objects.filter(verb__startswith="stay_").order_by("pk")
    assert [(e.verb, e.details.get("outcome", "")) for e in events] == [
        ("stay_applied", ""),
        ("stay_decided", "refused"),
        ("stay_applied", ""),
        ("stay_decided", "granted"),
    ]
    assert events[2].details["after_refusal"] is True


def test_a_stay_belongs_to_a_court_proceeding(time_machine, personas, upheld):
    review = Appeal.objects.get(application=upheld, instance="appeal")
    with pytest.raises(NotAllowed, match="not a court proceeding"):
        services.court_stay_apply(
            actor=personas.clerk,
            appeal=review,
            expected_version=review.version,
            applied_on=_day("2025-06-02"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=review.pk).update(stay_applied_on=date(2025, 6, 2))


# --- pages ---------------------------------------------------------------------------------


def test_the_pages_record_a_proceeding_its_hearing_stay_judgment_and_an_appeal(
    time_machine, personas, upheld, client
):
    time_machine.move_to(at("2025-07-01 10:00"), tick=False)
    client.force_login(personas.appeals)
    page = client.get(reverse("procedures:application_detail", args=[upheld.pk]))
    assert (
        f"{reverse('procedures:court_lodge', args=[upheld.pk])}?level=district"
        in page.content.decode()
    )
    form = client.get(reverse("procedures:court_lodge", args=[upheld.pk]) + "?level=district")
    assert form.status_code == 200
    assert "2025-12-02" in form.content.decode()  # six months from the ruling's notification
    response = client.post(
        reverse("procedures:court_lodge", args=[upheld.pk]) + "?level=district",
        {
            "version": upheld.version,
            "lodged_on": "2025-07-01",
            "court": "Tokyo District Court",
            "case_number": "令和7年(行ウ)第123号",
            "grounds": "The refusal misreads the evidence.",
        },
    )
    assert response.status_code == 302
    district = Appeal.objects.get(application=upheld, instance="judicial")
    assert district.court_case_number == "令和7年(行ウ)第123号"

    detail = reverse("procedures:appeal_detail", args=[district.pk])
    page = client.get(detail).content.decode()
    assert (
        "令和7年(行ウ)第123号" in page
        and reverse("procedures:court_judgment", args=[district.pk]) in page
    )
    client.post(reverse("procedures:court_hearing", args=[district.pk]), {"held_on": "2025-07-01"})
    client.post(
        reverse("procedures:court_stay", args=[district.pk]),
        {"version": district.version, "applied_on": "2025-07-01"},
    )
    district.refresh_from_db()
    client.post(
        reverse("procedures:court_stay_decision", args=[district.pk]),
        {"version": district.version, "outcome": "granted", "decided_on": "2025-07-01"},
    )
    district.refresh_from_db()
    assert district.stay_outcome == "granted"
    assert district.court_hearings.count() == 1

    time_machine.move_to(at("2026-04-21 10:00"), tick=False)
    client.force_login(personas.appeals)
    response = client.post(
        reverse("procedures:court_judgment", args=[district.pk]),
        {
            "version": district.version,
            "outcome": "upheld",
            "decided_on": "2026-04-14",
            "served_on": "2026-04-21",
            "reasons": "Claim dismissed.",
        },
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert (district.outcome, district.served_on) == ("upheld", date(2026, 4, 21))
    page = client.get(detail).content.decode()
    assert "Refusal upheld" in page and "2026-04-21" in page

    upheld.refresh_from_db()
    page = client.get(reverse("procedures:application_detail", args=[upheld.pk])).content.decode()
    high_url = f"{reverse('procedures:court_lodge', args=[upheld.pk])}?level=high"
    assert high_url in page
    form = client.get(high_url).content.decode()
    assert "2026-05-07" in form
    client.post(
        high_url,
        {"version": upheld.version, "lodged_on": "2026-04-21", "grounds": "Appeal."},
    )
    upheld.refresh_from_db()
    assert upheld.stage == "in_high_court"


def test_a_refused_step_is_shown_on_the_court_page(
    time_machine, personas, upheld, in_court, client
):
    time_machine.move_to(at("2025-07-02 10:00"), tick=False)
    client.force_login(personas.clerk)
    response = client.post(
        reverse("procedures:court_stay_decision", args=[in_court.pk]),
        {"version": in_court.version, "outcome": "granted", "decided_on": "2025-07-02"},
        follow=True,
    )
    assert "No stay of execution was applied for" in response.content.decode()
    # A clerk records court papers but not the judgment.
    page = client.get(reverse("procedures:appeal_detail", args=[in_court.pk])).content.decode()
    assert reverse("procedures:court_judgment", args=[in_court.pk]) not in page
    assert reverse("procedures:court_stay", args=[in_court.pk]) in page
    assert (
        client.post(reverse("procedures:court_judgment", args=[in_court.pk]), {}).status_code == 404
    )


# --- API -----------------------------------------------------------------------------------


def _api(client, user):
    _token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_the_api_records_court_proceedings(time_machine, personas, upheld, client):
    time_machine.move_to(at("2025-07-01 10:00"), tick=False)
    api = _api(client, personas.appeals)
    response = api.post(
        f"/api/procedures/applications/{upheld.pk}/court-proceedings",
        {
            "version": upheld.version,
            "level": "district",
            "lodged_on": "2025-07-01",
            "grounds": "Action for revocation.",
            "court": "Tokyo District Court",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["court_level"], body["appellant"], body["court"]) == (
        "district",
        "applicant",
        "Tokyo District Court",
    )
    pk = body["id"]
    response = api.post(
        f"/api/procedures/appeals/{pk}/court-hearings",
        {"held_on": "2025-07-01", "note": "Scheduling."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["court_hearings"][0]["note"] == "Scheduling."
    response = api.post(
        f"/api/procedures/appeals/{pk}/stay",
        {"version": response.json()["version"], "applied_on": "2025-07-01"},
        content_type="application/json",
    )
    assert response.json()["stay_applied_on"] == "2025-07-01"
    response = api.post(
        f"/api/procedures/appeals/{pk}/stay-decision",
        {"version": response.json()["version"], "outcome": "granted", "decided_on": "2025-07-01"},
        content_type="application/json",
    )
    assert response.json()["stay_outcome"] == "granted"

    time_machine.move_to(at("2026-04-21 10:00"), tick=False)
    api = _api(client, personas.appeals)
    response = api.post(
        f"/api/procedures/appeals/{pk}/judgment",
        {
            "version": response.json()["version"],
            "outcome": "upheld",
            "decided_on": "2026-04-14",
            "reasons": "Claim dismissed.",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    response = api.post(
        f"/api/procedures/appeals/{pk}/judgment-service",
        {"version": response.json()["version"], "served_on": "2026-04-21"},
        content_type="application/json",
    )
    assert [(d["rule"], d["due_on"]) for d in response.json()] == [("court-appeal", "2026-05-07")]

    procedure = api.get(f"/api/procedures/applications/{upheld.pk}").json()
    assert procedure["stage"] == "court_upheld"
    (court,) = [a for a in procedure["appeals"] if a["instance"] == "judicial"]
    assert (court["served_on"], court["stay_outcome"]) == ("2026-04-21", "granted")

    upheld.refresh_from_db()
    response = api.post(
        f"/api/procedures/applications/{upheld.pk}/court-proceedings",
        {"version": upheld.version, "level": "supreme", "lodged_on": "2026-04-21", "grounds": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "jp-icrra › lodge_final_appeal" in response.json()["detail"]


def test_the_api_hides_hearing_notes_from_roles_without_sensitive_data(
    time_machine, personas, upheld, in_court, client
):
    services.court_hearing_record(
        actor=personas.clerk, appeal=in_court, held_on=_day("2025-07-01"), note="Testimony."
    )
    api = _api(client, personas.clerk)
    procedure = api.get(f"/api/procedures/applications/{upheld.pk}").json()
    (court,) = [a for a in procedure["appeals"] if a["instance"] == "judicial"]
    assert court["court_hearings"] == [
        {"id": court["court_hearings"][0]["id"], "held_on": "2025-07-01", "note": None}
    ]


# --- the calculator ------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["court-appeal", "final-appeal"])
def test_the_command_line_counts_two_weeks_from_service(rule):
    out = StringIO()
    call_command(
        "procedures",
        "deadline",
        "--profile",
        "jp-icrra",
        "--rule",
        rule,
        "--date",
        "2026-04-21",
        stdout=out,
    )
    assert out.getvalue().strip() == "2026-05-07"


@pytest.mark.django_db
def test_the_public_calculator_and_api_offer_the_appeals_against_a_judgment(client):
    page = client.get(reverse("procedures:deadline_calculator"))
    assert "jp-icrra:court-appeal" in page.content.decode()
    assert "jp-icrra:final-appeal" in page.content.decode()
    result = client.get(
        reverse("procedures:deadline_calculator"),
        {"rule": "jp-icrra:final-appeal", "date": "2026-04-21"},
    )
    assert "2026-05-07" in result.content.decode()
    response = client.get(
        "/api/procedures/deadline",
        {"profile": "jp-icrra", "rule": "court-appeal", "date": "2026-04-21"},
    )
    assert response.json()["last_day"] == "2026-05-07"
    assert "2026-05-05 is closed (Children's Day)" in response.json()["steps"]
