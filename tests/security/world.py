"""One world for the authorisation matrix, built through the real services.

Three *slots* of casework, each a complete family file with every kind of object a URL can
name: a case of the Tokyo bureau the legal representative represents, whose application
and appeal are assigned (to an eligibility officer, to an appeals officer); one of the Tokyo
bureau nobody represents, with nothing assigned; and one of the Osaka bureau the
representative represents, with nothing assigned. So every persona meets objects of its own
office and of another, assigned and unassigned, represented and not. Pledges and
country-of-origin sources are shared reference data, seen by every office.

Every object of a slot carries the slot's *marker* (in names, notes, titles), and its
sensitive fields (reasons for leaving, health, the interview account, material facts)
carry the slot's *sensitive marker*: a page that leaks a record shows its marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db.models import Model

from nansen.accounts.models import ApiToken, Office, User
from nansen.accounts.roles import Role
from nansen.coi.models import Source
from nansen.coi.services import SourceInput, UploadedSource, source_add
from nansen.eligibility import services as eligibility
from nansen.eligibility.models import Conclusion, Part
from nansen.eligibility.services import FactInput
from nansen.eligibility.testing import complete_assessment
from nansen.identity import services as identity
from nansen.identity.models import AccessRequest, Announcement, IdentityCheck, PairStatus
from nansen.imports.services import import_job_create
from nansen.procedures import services as procedures
from nansen.protection.services import guard_exception_request, legal_hold_place
from nansen.registration.models import Case
from nansen.registration.services import (
    MemberInput,
    PersonInput,
    SensitiveInput,
    case_register,
    case_representative_add,
    person_sensitive_update,
)
from nansen.resettlement.models import Pledge
from nansen.resettlement.services import PledgeInput, pledge_record, referral_identify
from nansen.testing import Personas, make_personas, make_user

TOKYO_TIME = ZoneInfo("Asia/Tokyo")
LODGED = date(2025, 5, 1)
INTERVIEW_DAY = date(2025, 5, 12)
DECIDED = date(2025, 5, 20)
APPEALED = date(2025, 5, 21)
SOURCE_TEXT = (
    "Men who evaded military service and return to Syria risk arrest, forced conscription "
    "and ill-treatment in detention.\n\nThe army is deployed along the border."
)

# The role each persona holds; the matrix fails when a role has none.
PERSONA_ROLES: dict[str, set[Role]] = {
    "clerk": {Role.CLERK},
    "officer": {Role.ELIGIBILITY_OFFICER},
    "supervisor": {Role.SUPERVISOR},
    "appeals": {Role.APPEALS_OFFICER},
    "statistician": {Role.STATISTICIAN},
    "admin": {Role.ADMINISTRATOR},
    "lawyer": {Role.LEGAL_REPRESENTATIVE},
    "outsider": {Role.CLERK, Role.ELIGIBILITY_OFFICER},
    "auditor": {Role.AUDITOR},
}


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO_TIME)


@dataclass
class Staff:
    clerk: User
    officer: User
    supervisor: User
    appeals: User


@dataclass
class Slot:
    """One family's file: its objects by kind, each kind with one or more variants."""

    key: str
    office: Office
    represented: bool
    assigned: bool
    marker: str
    sensitive: str
    staff: Staff
    objects: dict[str, list[Model]] = field(default_factory=dict)

    @property
    def case(self) -> Case:
        return self.objects["case"][0]

    @property
    def forbidden(self) -> tuple[str, ...]:
        """What identifies the slot's records on a page: its marker and its case number."""
        return (self.marker, self.case.number)


@dataclass
class World:
    personas: Personas
    slots: list[Slot]
    shared: dict[str, list[Model]]
    shared_marker: str
    access_request: AccessRequest
    tokens: dict[str, str] = field(default_factory=dict)


def _person(marker: str, given: str, sex: str, born: date, **extra) -> PersonInput:
    return PersonInput(
        given_name=f"{given} {marker}",
        family_name=marker,
        given_name_original="أحمد",
        family_name_original="الحسن",
        sex=sex,
        birth_date=born,
        country_of_origin="SYR",
        nationalities=["SYR"],
        languages=["ara"],
        address=f"{marker} street 1",
        **extra,
    )


def _refresh(obj):
    obj.refresh_from_db()
    return obj


def _decide(staff: Staff, application, outcome: str, source: Source, **extra):
    complete_assessment(staff.officer, application, conclusion=outcome, source=source)
    application = _refresh(application)
    return procedures.decision_record(
        actor=staff.officer,
        application=application,
        expected_version=application.version,
        outcome=outcome,
        decided_on=DECIDED,
        reasons="The facts accepted do not establish a well-founded fear.",
        **extra,
    )


def _slot(
    key: str, staff: Staff, lawyer: User | None, source: Source, *, assigned: bool, hour: int
) -> Slot:
    marker = f"Qz{key.replace('-', '')}mark"
    sensitive = f"Sv{key.replace('-', '')}secret"
    slot = Slot(
        key=key,
        office=staff.clerk.office,
        represented=lawyer is not None,
        assigned=assigned,
        marker=marker,
        sensitive=sensitive,
        staff=staff,
    )
    with time_machine.travel(at(LODGED), tick=False) as clock:
        case = case_register(
            actor=staff.clerk,
            principal=_person(marker, "Principal", "M", date(1985, 3, 14)),
            dependants=[
                MemberInput(
                    person=_person(marker, "Spouse", "F", date(1987, 7, 2)), relationship="spouse"
                ),
                MemberInput(
                    person=_person(marker, "Child", "F", date(2012, 1, 5)), relationship="child"
                ),
            ],
        )
        principal, spouse, child = (
            m.person for m in case.members.select_related("person").order_by("pk")
        )
        for person in (principal, spouse):
            person_sensitive_update(
                actor=staff.officer,
                person=person,
                expected_version=person.version,
                data=SensitiveInput(
                    religion="Sunni Islam",
                    medical_notes=f"Scars on both arms ({sensitive}).",
                    flight_reasons=f"Detained for a poem ({sensitive}).",
                ),
            )
        if lawyer is not None:
            case_representative_add(actor=staff.clerk, case=case, representative=lawyer)
        first, second, third = procedures.application_lodge(
            actor=staff.clerk, case=case, persons=[principal, spouse, child], lodged_on=LODGED
        )
        # The principal's claim: interviewed by the officer (who is then in charge of it).
        interview = procedures.interview_schedule(
            actor=staff.officer,
            application=first,
            starts_at=at(INTERVIEW_DAY, hour),
            ends_at=at(INTERVIEW_DAY, hour + 1),
            interviewer=staff.officer,
            language="ara",
            remote=True,
        )
        clock.move_to(at(INTERVIEW_DAY, hour + 1, 30))
        interview = procedures.interview_record(
            actor=staff.officer,
            interview=interview,
            expected_version=interview.version,
            started_at=at(INTERVIEW_DAY, hour, 5),
            ended_at=at(INTERVIEW_DAY, hour, 55),
            present=["applicant", "interviewer"],
            account=f"I was detained twice for my writing ({sensitive}).",
            read_back=True,
            confirmed=True,
        )
        clock.move_to(at(DECIDED, 10))
        refusal = _decide(staff, _refresh(first), Conclusion.REJECTED, source)
        spouse_refusal = _decide(
            staff,
            _refresh(second),
            Conclusion.REJECTED,
            source,
            without_interview_reason="The applicant declined the interview in writing.",
        )
        letter = procedures.letter_issue(actor=staff.officer, decision=refusal, language="en")
        procedures.letter_notify(actor=staff.officer, letter=letter, notified_on=DECIDED)
        procedures.decision_notify(
            actor=staff.officer, decision=spouse_refusal, notified_on=DECIDED
        )
        clock.move_to(at(APPEALED, 10))
        appeals = []
        for application in (first, second):
            application = _refresh(application)
            appeals.append(
                procedures.appeal_lodge(
                    actor=staff.clerk,
                    application=application,
                    expected_version=application.version,
                    lodged_on=APPEALED,
                    grounds=f"The risk on return was not assessed ({sensitive}).",
                )
            )
        assigned_appeal, unassigned_appeal = appeals
        procedures.appeal_assign(
            actor=staff.supervisor,
            appeal=assigned_appeal,
            expected_version=assigned_appeal.version,
            officer=staff.appeals,
        )
        # The child's claim: nobody is in charge yet; its assessment is a draft.
        draft = eligibility.assessment_start(
            actor=staff.officer, application=third, risk_profile="draft_evader"
        )
        fact = eligibility.fact_add(
            actor=staff.officer,
            assessment=draft,
            expected_version=_refresh(draft).version,
            data=FactInput(
                statement=f"The applicant's father was arrested ({sensitive}).",
                evidence="Statements.",
                evidence_kinds=["statement"],
                credibility="accepted",
                reasons="Consistent.",
            ),
        )
        draft = _refresh(draft)
        citation = eligibility.citation_add(
            actor=staff.officer,
            assessment=draft,
            expected_version=draft.version,
            part=Part.FEAR,
            source=source,
            passage=source.passages.order_by("number").first(),
        )
        hold = legal_hold_place(
            actor=staff.supervisor, case=case, reason=f"Litigation pending ({marker})."
        )
        # The family's consent to one sending to Syria, awaiting a supervisor's approval.
        guard_exception = guard_exception_request(
            actor=staff.officer,
            case=case,
            country="SYR",
            recipient=f"Civil registry ({marker})",
            purpose="A birth certificate only the registry can issue.",
            consenting_persons=[principal, spouse, child],
            consent_wording=f"We agree ({marker}).",
            consent_given_on=APPEALED,
        )
        referral = referral_identify(
            actor=staff.supervisor,
            case=case,
            persons=[principal, spouse, child],
            identified_on=APPEALED,
            programme_type="resettlement",
            receiving_country="CAN",
            categories=["protection_needs"],
            notes=f"Urgent ({marker}).",
        )
        # Two records of one man registered twice, merged; and an open pair for review.
        doubles = [
            case_register(
                actor=staff.clerk,
                principal=_person(marker, "Double", "M", date(1979, 1, 1)),
                dependants=[],
            )
            .members.get()
            .person
            for _ in range(2)
        ]
        merged_pair = identity.pair_propose(
            person_ids=(doubles[0].pk, doubles[1].pk), score=0.99, evidence={}
        )
        merged_pair = identity.pair_decide(
            actor=staff.supervisor,
            pair=merged_pair,
            expected_version=merged_pair.version,
            status=PairStatus.SAME,
        )
        merge = identity.persons_merge(
            actor=staff.supervisor,
            pair=merged_pair,
            survivor=merged_pair.person_a,
            expected_version=_refresh(merged_pair).version,
        )
        open_pair = identity.pair_propose(
            person_ids=(principal.pk, child.pk), score=0.6, evidence={}
        )
        job = import_job_create(
            actor=staff.clerk, file_name=f"{marker}.csv", data=b"given_name\nNobody\n"
        )
    slot.objects = {
        "case": [case],
        "person": [principal],
        # In an assigned slot an eligibility officer is in charge of the application and an
        # appeals officer has the appeal, and the assessment is complete; in the others
        # nobody is in charge, the appeal awaits assignment and the assessment is a draft.
        "application": [_refresh(first) if assigned else _refresh(third)],
        "interview": [interview],
        "decision": [refusal],
        "letter": [letter],
        "appeal": [_refresh(assigned_appeal) if assigned else _refresh(unassigned_appeal)],
        "assessment": [_refresh(first).assessment if assigned else _refresh(draft)],
        "fact": [fact],
        "citation": [citation],
        "legal_hold": [hold],
        "guard_exception": [guard_exception],
        "referral": [referral],
        "candidate_pair": [open_pair],
        "merge": [merge],
        "import": [job],
        # The office's register of counsellors (no record of the case: their own names).
        "counsellor": [
            procedures.counsellor_register(actor=staff.supervisor, name=f"Counsellor {key}")
        ],
    }
    if lawyer is not None:
        slot.objects["representative"] = [lawyer]
    return slot


def _announcement(user: User, about: Slot, found: Slot) -> Announcement:
    """As a repeat check of ``about``'s principal by ``user`` would have recorded it."""
    person, other = about.objects["person"][0], found.objects["person"][0]
    return Announcement.objects.create(
        identity_check=IdentityCheck.objects.create(user=user, query="0" * 64),
        user=user,
        person=person,
        case=about.case,
        office_id=other.office_id,
        other_person=other,
    )


def build_world() -> World:
    personas = make_personas()
    osaka = Staff(
        clerk=personas.outsider,
        officer=personas.outsider,
        supervisor=make_user("osaka_supervisor", personas.osaka, Role.SUPERVISOR),
        appeals=make_user("osaka_appeals", personas.osaka, Role.APPEALS_OFFICER),
    )
    tokyo = Staff(
        clerk=personas.clerk,
        officer=personas.officer,
        supervisor=personas.supervisor,
        appeals=personas.appeals,
    )
    shared_marker = "Qzsharedmark"
    with time_machine.travel(at(LODGED - timedelta(days=1)), tick=False):
        source = source_add(
            actor=personas.officer,
            data=SourceInput(
                title=f"Syria: Military service ({shared_marker})",
                publisher="European Union Agency for Asylum (EUAA)",
                published_on=date(2024, 4, 1),
                countries=["SYR"],
                topics=["military service"],
            ),
            upload=UploadedSource(name="report.txt", content=SOURCE_TEXT.encode()),
        )
        pledge = pledge_record(
            actor=personas.supervisor,
            data=PledgeInput(
                receiving_country="CAN",
                programme_type="resettlement",
                title=f"Syrian refugees ({shared_marker})",
                places=10,
                announced_on=date(2025, 3, 1),
                source_title="Government announcement",
                target_nationalities=["SYR"],
                period_start=date(2025, 1, 1),
                period_end=date(2026, 12, 31),
            ),
        )
    slots = [
        _slot("tky-rep", tokyo, personas.lawyer, source, assigned=True, hour=9),
        _slot("tky-unrep", tokyo, None, source, assigned=False, hour=11),
        _slot("osa-rep", osaka, personas.lawyer, source, assigned=False, hour=13),
    ]
    # An access request names an announcement: what a check told one user of a record in
    # another office, about one of their own persons (the record itself stays on the
    # server). Tokyo's supervisor was told of Osaka's principal; Osaka's supervisor of
    # Tokyo's, and asked for access (Tokyo answers it).
    tokyo_told = _announcement(personas.supervisor, slots[0], slots[2])
    osaka_told = _announcement(osaka.supervisor, slots[2], slots[0])
    access_request = identity.record_access_request(
        actor=osaka.supervisor,
        announcement=osaka_told,
        reason="Possibly registered in Tokyo before.",
    )
    for slot in slots:
        slot.objects["announcement"] = [
            a for a in (tokyo_told, osaka_told) if a.person_id == slot.objects["person"][0].pk
        ]
    world = World(
        personas=personas,
        slots=slots,
        shared={"pledge": [Pledge.objects.get(pk=pledge.pk)], "source": [source]},
        shared_marker=shared_marker,
        access_request=access_request,
    )
    for name in PERSONA_ROLES:
        _token, raw = ApiToken.issue(
            scope=ApiToken.Scope.READ_WRITE, user=getattr(personas, name), name="matrix"
        )
        world.tokens[name] = raw
    return world
