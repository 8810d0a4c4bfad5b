"""A hand-built caseload whose every figure is known (see each comment)."""

from datetime import date

from nansen.procedures.models import Application, Decision, Instance
from nansen.testing import register_family


def application_lodge(**kwargs):
    from nansen.procedures.services import application_lodge as lodge

    return lodge(**kwargs)


def decision_record(**kwargs):
    """The procedure engine's service. Where the engine asks why a decision is made without
    an interview, the caseload says so (these tests count decisions; how one is reached is
    the engine's and tested there)."""
    import inspect

    from nansen.procedures.services import decision_record as record

    if "without_interview_reason" in inspect.signature(record).parameters:
        kwargs.setdefault("without_interview_reason", "Decided on the file (statistics test).")
    return record(**kwargs)


def decide(personas, application, outcome, day, closure_reason=""):
    application.refresh_from_db()
    return decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        closure_reason=closure_reason,
        decided_on=day,
        reasons="Reasons given.",
    )


def decide_appeal(personas, application, outcome, day):
    """An appeal decision. The procedure engine (issue 3) brings the appeal services; until
    then the row is written as the engine will write it: one Decision at instance "appeal"."""
    return Decision.objects.create(
        application=application,
        instance=Instance.APPEAL,
        outcome=outcome,
        decided_on=day,
        decided_by=personas.appeals,
        reasons="Appeal reasons.",
    )


def members(case):
    return [m.person for m in case.members.select_related("person").order_by("pk")]


def build_caseload(personas):
    """Tokyo's caseload:

    Family A, Syria, 4 persons (man 1988, woman 1990, boy 2015, girl 2016), lodged 2024-02-01,
      decided 2024-09-01 at first instance: recognized, recognized, complementary, closed.
    Family B, Syria, 3 persons (man, woman, boy 2015), lodged 2023-01-10, all rejected at
      first instance on 2023-05-10. On appeal the man is recognized (2023-12-01, overturned),
      the woman rejected again (2023-11-01); she lodges a repeat application on 2024-03-01,
      still pending.
    Family C, Afghanistan, 2 persons, lodged 2024-04-01, pending.
    Osaka decides a family of its own, which Tokyo never counts.
    """
    a = register_family(personas.clerk, children=2)
    apps_a = application_lodge(
        actor=personas.clerk, case=a, persons=members(a), lodged_on=date(2024, 2, 1)
    )
    for application, outcome in zip(
        apps_a, ["recognized", "recognized", "complementary", "closed"], strict=True
    ):
        decide(
            personas,
            application,
            outcome,
            date(2024, 9, 1),
            closure_reason="withdrawn" if outcome == "closed" else "",
        )
    b = register_family(personas.clerk, children=1)
    apps_b = application_lodge(
        actor=personas.clerk, case=b, persons=members(b), lodged_on=date(2023, 1, 10)
    )
    for application in apps_b:
        decide(personas, application, "rejected", date(2023, 5, 10))
    decide_appeal(personas, apps_b[0], "recognized", date(2023, 12, 1))
    decide_appeal(personas, apps_b[1], "rejected", date(2023, 11, 1))
    application_lodge(
        actor=personas.clerk, case=b, persons=[members(b)[1]], lodged_on=date(2024, 3, 1)
    )
    c = register_family(personas.clerk, origin="AFG", children=0)
    application_lodge(actor=personas.clerk, case=c, persons=members(c), lodged_on=date(2024, 4, 1))
    osaka = register_family(personas.outsider, children=0)
    for application in application_lodge(
        actor=personas.outsider, case=osaka, persons=members(osaka), lodged_on=date(2024, 2, 1)
    ):
        application.refresh_from_db()
        decision_record(
            actor=personas.outsider,
            application=application,
            expected_version=application.version,
            outcome="recognized",
            decided_on=date(2024, 3, 1),
            reasons="x",
        )
    assert Application.objects.filter(office=personas.tokyo).count() == 10
    return {"a": a, "b": b, "c": c, "apps_a": apps_a, "apps_b": apps_b}
