"""Demo data: the Syrian pledges reported in 2015, and referrals in every state.

The pledges and their revisions are as public reports gave them; each names its source and
says "as reported", and where a date or period is not in the report the notes say what was
assumed. The families are synthetic, registered in the demo's UNHCR office, and every step
is taken through the real services (lodging, decision, referral, each status change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from nansen.accounts.models import Office, User
from nansen.accounts.roles import Action
from nansen.procedures.models import Outcome
from nansen.procedures.services import (
    application_lodge,
    application_record_interview,
    decision_record,
)
from nansen.registration.models import Case
from nansen.registration.services import MemberInput, PersonInput, case_register
from nansen.resettlement.demo_pledges import PLEDGES, UNHCR_TABLE_2014_URL
from nansen.resettlement.models import Pledge, ProgrammeType, Referral
from nansen.resettlement.services import (
    PledgeInput,
    pledge_record,
    pledge_revise,
    referral_identify,
    referral_move,
)

DEMO_MARK = "Nansen demo"  # written in each demo referral's notes


@dataclass(frozen=True)
class Member:
    given: str
    given_ar: str
    sex: str
    born: date
    relationship: str = "principal"
    outcome: str = ""  # "" for a dependant who never applied


@dataclass(frozen=True)
class DemoReferral:
    family: str
    family_ar: str
    members: tuple[Member, ...]
    lodged_on: date
    decided_on: date
    pledge: str = ""  # a PledgeSpec key, or "" for a programme without a pledge
    programme_type: str = ProgrammeType.RESETTLEMENT
    receiving_country: str = ""
    categories: tuple[str, ...] = ("protection_needs",)
    priority: str = "normal"
    profile: dict = field(default_factory=dict)
    steps: tuple[tuple[str, date, str], ...] = ()  # (step, date, reason)
    identified_on: date | None = None


def _family(father: str, father_ar: str, mother: str, mother_ar: str, *children) -> tuple:
    return (
        Member(father, father_ar, "M", date(1979, 4, 2), "principal", Outcome.RECOGNIZED),
        Member(mother, mother_ar, "F", date(1984, 9, 15), "spouse", Outcome.RECOGNIZED),
        *(Member(name, ar, sex, born, "child") for name, ar, sex, born in children),
    )


def referrals(today: date) -> tuple[DemoReferral, ...]:
    """Closed referrals under the 2015 pledges, and open ones (dated from ``today``) to
    programmes without a pledge, so every status is shown."""
    days = lambda n: today - timedelta(days=n)  # noqa: E731
    return (
        DemoReferral(
            "Khalil",
            "خليل",
            _family(
                "Omar",
                "عمر",
                "Lina",
                "لينا",
                ("Sami", "سامي", "M", date(2008, 1, 20)),
                ("Nour", "نور", "F", date(2011, 6, 5)),
            ),
            lodged_on=date(2013, 10, 7),
            decided_on=date(2014, 9, 15),
            pledge="AUS",
            identified_on=date(2015, 2, 9),
            steps=(
                ("submit", date(2015, 3, 16), ""),
                ("accept", date(2015, 6, 22), ""),
                ("depart", date(2015, 9, 14), ""),
                ("arrive", date(2015, 9, 15), ""),
            ),
        ),
        DemoReferral(
            "Mansour",
            "منصور",
            _family("Fadi", "فادي", "Rasha", "رشا", ("Jana", "جنى", "F", date(2012, 3, 3))),
            lodged_on=date(2014, 1, 13),
            decided_on=date(2015, 4, 20),
            pledge="AUS",
            categories=("medical",),
            priority="urgent",
            identified_on=date(2015, 8, 3),
            steps=(
                ("submit", date(2015, 9, 7), ""),
                ("accept", date(2015, 12, 14), ""),
                ("depart", date(2016, 3, 1), ""),
                ("arrive", date(2016, 3, 2), ""),
            ),
        ),
        DemoReferral(
            "Darwish",
            "درويش",
            _family("Bassam", "بسام", "Huda", "هدى"),
            lodged_on=date(2013, 11, 4),
            decided_on=date(2014, 12, 1),
            pledge="FRA",
            identified_on=date(2015, 5, 11),
            steps=(("submit", date(2015, 6, 15), ""), ("reject", date(2016, 1, 18), "criteria")),
        ),
        DemoReferral(
            "Sabbagh",
            "صباغ",
            _family(
                "Tarek",
                "طارق",
                "Maha",
                "مها",
                ("Karim", "كريم", "M", date(2005, 2, 1)),
                ("Dana", "دانة", "F", date(2007, 8, 9)),
                ("Adam", "آدم", "M", date(2013, 12, 24)),
            ),
            lodged_on=date(2013, 9, 2),
            decided_on=date(2014, 10, 6),
            pledge="DEU",
            programme_type=ProgrammeType.HUMANITARIAN_ADMISSION,
            categories=(),
            identified_on=date(2015, 7, 6),
            steps=(
                ("submit", date(2015, 8, 10), ""),
                ("withdraw", date(2015, 10, 5), "by_refugee"),
            ),
        ),
        DemoReferral(
            "Nasser",
            "ناصر",
            _family("Walid", "وليد", "Reem", "ريم", ("Yara", "يارا", "F", date(2010, 10, 10))),
            lodged_on=date(2013, 6, 10),
            decided_on=date(2014, 5, 12),
            pledge="DEU",
            programme_type=ProgrammeType.HUMANITARIAN_ADMISSION,
            categories=(),
            identified_on=date(2015, 4, 13),
            steps=(
                ("submit", date(2015, 5, 4), ""),
                ("accept", date(2015, 8, 24), ""),
                ("depart", date(2015, 11, 2), ""),
                ("arrive", date(2015, 11, 3), ""),
            ),
        ),
        DemoReferral(
            "Hamdan",
            "حمدان",
            (
                Member("Ziad", "زياد", "M", date(1991, 5, 30), "principal", Outcome.RECOGNIZED),
                Member("Salma", "سلمى", "F", date(1993, 2, 14), "spouse"),
            ),
            lodged_on=date(2015, 2, 2),
            decided_on=date(2016, 3, 7),
            pledge="JPN",
            programme_type=ProgrammeType.EDUCATION,
            categories=(),
            profile={
                "education_level": "bachelor",
                "field_of_study": "Civil engineering",
                "languages": ["ara", "eng"],
                "admission": "confirmed",
                "institution": "A Japanese graduate school",
            },
            identified_on=date(2017, 1, 16),
            steps=(
                ("submit", date(2017, 2, 13), ""),
                ("accept", date(2017, 6, 19), ""),
                ("depart", date(2017, 8, 28), ""),
                ("arrive", date(2017, 8, 29), ""),
            ),
        ),
        DemoReferral(
            "Aziz",
            "عزيز",
            _family("Rami", "رامي", "Amal", "أمل", ("Lama", "لمى", "F", date(2016, 4, 4))),
            lodged_on=days(900),
            decided_on=days(400),
            receiving_country="CAN",
            categories=("women_girls_at_risk",),
            priority="urgent",
            identified_on=days(20),
        ),
        DemoReferral(
            "Yousef",
            "يوسف",
            _family("Hani", "هاني", "Dima", "ديما"),
            lodged_on=days(1000),
            decided_on=days(500),
            receiving_country="NZL",
            identified_on=days(150),
            steps=(("submit", days(90), ""),),
        ),
        DemoReferral(
            "Saleh",
            "صالح",
            _family("Majd", "مجد", "Rana", "رنا"),
            lodged_on=days(800),
            decided_on=days(300),
            receiving_country="SWE",
            categories=("violence_torture",),
            priority="emergency",
            identified_on=days(60),
            steps=(("submit", days(50), ""), ("accept", days(30), "")),
        ),
        DemoReferral(
            "Othman",
            "عثمان",
            _family("Ayman", "أيمن", "Nada", "ندى", ("Hadi", "هادي", "M", date(2014, 7, 7))),
            lodged_on=days(1100),
            decided_on=days(700),
            receiving_country="CAN",
            identified_on=days(240),
            steps=(("submit", days(200), ""), ("accept", days(60), ""), ("depart", days(2), "")),
        ),
    )


class DemoError(Exception):
    pass


def _user_who_may(action: Action, office: Office | None = None) -> User:
    users = User.objects.filter(is_active=True).select_related("office").order_by("pk")
    if office is not None:
        users = users.filter(office=office)
    for user in users:
        if user.may(action):
            return user
    where = f" in {office.code}" if office else ""
    raise DemoError(f"no user{where} may {action.value}")


def _register(spec: DemoReferral, registrar: User) -> tuple[Case, list]:
    def person(member: Member) -> PersonInput:
        return PersonInput(
            given_name=member.given,
            family_name=spec.family,
            given_name_original=member.given_ar,
            family_name_original=spec.family_ar,
            sex=member.sex,
            birth_date=member.born,
            country_of_origin="SYR",
            nationalities=["SYR"],
            languages=["apc", "ara"] if member.relationship != "child" else ["ara"],
            interpreter_needed=member.relationship != "child",
        )

    principal, *others = spec.members
    case = case_register(
        actor=registrar,
        principal=person(principal),
        dependants=[MemberInput(person=person(m), relationship=m.relationship) for m in others],
    )
    members = list(case.members.select_related("person").order_by("pk"))
    return case, [(m.person, spec.members[i]) for i, m in enumerate(members)]


def create_pledges() -> dict[str, Pledge]:
    actor = _user_who_may(Action.MANAGE_PLEDGES)
    pledges = {}
    for spec in PLEDGES:
        first, *later = spec.revisions
        pledge = pledge_record(actor=actor, data=PledgeInput(**first.terms))
        for revision in later:
            pledge = pledge_revise(
                actor=actor,
                pledge=pledge,
                expected_version=pledge.version,
                data=PledgeInput(**revision.terms),
                reason=revision.reason,
            )
        pledges[spec.key] = pledge
    return pledges


def create_referrals(office: Office, pledges: dict[str, Pledge], today: date) -> list[Referral]:
    registrar = _user_who_may(Action.REGISTER, office)
    lodger = _user_who_may(Action.LODGE_APPLICATION, office)
    decider = _user_who_may(Action.DECIDE_FIRST_INSTANCE, office)
    referrer = _user_who_may(Action.REFER_RESETTLEMENT, office)
    submitter = _user_who_may(Action.SUBMIT_RESETTLEMENT, office)
    created = []
    for spec in referrals(today):
        case, members = _register(spec, registrar)
        applicants = [person for person, member in members if member.outcome]
        applications = application_lodge(
            actor=lodger, case=case, persons=applicants, lodged_on=spec.lodged_on
        )
        outcomes = {person.pk: member.outcome for person, member in members}
        for application in applications:
            application = application_record_interview(
                actor=decider,
                application=application,
                expected_version=application.version,
                interview_on=spec.decided_on - timedelta(days=60),
            )
            decision_record(
                actor=decider,
                application=application,
                expected_version=application.version,
                outcome=outcomes[application.person_id],
                decided_on=spec.decided_on,
                reasons="Demo: the accepted facts establish a well-founded fear of persecution.",
                historical=True,  # the refugees' earlier recognition, entered from the file
            )
        pledge = pledges.get(spec.pledge)
        referral = referral_identify(
            actor=referrer,
            case=case,
            persons=[person for person, _m in members],
            identified_on=spec.identified_on or spec.decided_on,
            pledge=pledge,
            programme_type="" if pledge else spec.programme_type,
            receiving_country="" if pledge else spec.receiving_country,
            categories=list(spec.categories),
            priority=spec.priority,
            profile=spec.profile,
            notes=f"{DEMO_MARK}: synthetic family.",
        )
        for step, on, reason in spec.steps:
            actor = referrer if step == "withdraw" else submitter
            referral = referral_move(
                actor=actor,
                referral=referral,
                expected_version=referral.version,
                step=step,
                on=on,
                reason=reason,
            )
        created.append(referral)
    return created


def seed(*, office: Office | None = None, today: date | None = None) -> tuple[int, int]:
    """Create the demo pledges and referrals; returns (pledges, referrals) created.

    Refuses when demo pledges exist already, so running it twice changes nothing.
    """
    today = today or timezone.localdate()
    if Pledge.objects.filter(source_url=UNHCR_TABLE_2014_URL).exists():
        raise DemoError("the demo pledges are already there")
    if office is None:
        office = Office.objects.filter(kind=Office.Kind.UNHCR_OPERATION).order_by("pk").first()
        if office is None:
            raise DemoError("no UNHCR operation office to refer from (give --office)")
    with transaction.atomic():
        pledges = create_pledges()
        created = create_referrals(office, pledges, today)
    return len(pledges), len(created)
