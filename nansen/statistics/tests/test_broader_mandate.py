"""A refugee recognised under UNHCR's broader mandate is counted as UNHCR counts one: among
the recognized (dec_recognized: Convention and mandate status), never as complementary
protection (dec_other), in the rates and in the export in UNHCR's layout alike."""

from datetime import UTC, date, datetime
from fractions import Fraction

from nansen.accounts.models import Office
from nansen.accounts.roles import Role
from nansen.eligibility.testing import complete_assessment
from nansen.procedures import services
from nansen.statistics.exports import unhcr_decision_rows
from nansen.statistics.selectors import decision_table
from nansen.testing import make_user, register_family


def _decide(officer, application, outcome: str, day: date):
    services.application_record_interview(
        actor=officer,
        application=application,
        expected_version=application.version,
        interview_on=day,
    )
    application.refresh_from_db()
    return services.decision_record(
        actor=officer,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        decided_on=day,
        reasons="As assessed.",
    )


def test_a_broader_mandate_recognition_counts_as_recognized(db, time_machine):
    time_machine.move_to(datetime(2024, 7, 1, 3, tzinfo=UTC), tick=False)
    kuala_lumpur = Office.objects.create(
        code="KUL", name="UNHCR Malaysia", kind=Office.Kind.UNHCR_OPERATION, country="MYS"
    )
    clerk = make_user("kul-clerk", kuala_lumpur, Role.CLERK)
    officer = make_user("kul-officer", kuala_lumpur, Role.ELIGIBILITY_OFFICER)
    supervisor = make_user("kul-supervisor", kuala_lumpur, Role.SUPERVISOR)

    forms = {}
    # Before and after 1 December 2023 and 10 June 2024 alike (UNHCR's rules do not move).
    for day, outcomes in (
        (date(2023, 11, 30), ("recognized", "recognized_broader")),
        (date(2024, 6, 10), ("recognized_broader", "rejected")),
    ):
        case = register_family(clerk, children=0)
        persons = [m.person for m in case.members.select_related("person").order_by("pk")]
        applications = services.application_lodge(
            actor=clerk, case=case, persons=persons, lodged_on=day
        )
        for application, conclusion in zip(applications, outcomes, strict=True):
            assert application.profile == "unhcr-mandate"
            complete_assessment(officer, application, conclusion=conclusion)
            outcome = "recognized" if conclusion == "recognized_broader" else conclusion
            decision = _decide(officer, application, outcome, day)
            forms[decision.form] = forms.get(decision.form, 0) + 1
    assert forms == {"recognition": 1, "recognition-broader-mandate": 2, "rejection": 1}

    rows = {
        r["year"]: r
        for r in unhcr_decision_rows(user=supervisor)
        if r["dec_level"] == "FI" and r["coo"] == "SYR"
    }
    counts = {
        year: [row[c] for c in ("dec_recognized", "dec_other", "dec_rejected", "dec_total")]
        for year, row in rows.items()
    }
    assert counts == {2023: [2, 0, 0, 2], 2024: [1, 0, 1, 2]}
    assert {row["procedure_type"] for row in rows.values()} == {"U"}

    total = decision_table(user=supervisor, by=("year",)).total
    assert (total.recognized, total.complementary, total.rejected) == (3, 0, 1)
    assert total.recognition_rate == total.protection_rate == Fraction(3, 4)
