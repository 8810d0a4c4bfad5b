"""Roles and what each may do: the one table that answers "may this user do that?".

Objects a user may not see are filtered by the scoped querysets (``visible_to``); this table
decides which actions a user may take on what they see. Both answer 404 when they say no.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Registration clerk")
    ELIGIBILITY_OFFICER = "eligibility_officer", _("Eligibility officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    APPEALS_OFFICER = "appeals_officer", _("Appeals officer")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    STATISTICIAN = "statistician", _("Statistician")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


class Action(models.TextChoices):
    VIEW_CASEWORK = "view_casework", _("See the persons and cases of the office")
    VIEW_REPRESENTED = "view_represented", _("See the cases one represents")
    VIEW_SENSITIVE = (
        "view_sensitive",
        _("See and record sensitive data (ethnicity, religion, health, reasons for leaving)"),
    )
    REGISTER = "register", _("Register persons and cases")
    EDIT_REGISTRATION = "edit_registration", _("Correct registration data")
    LODGE_APPLICATION = "lodge_application", _("Lodge applications")
    RECORD_INTERVIEW = "record_interview", _("Record interviews")
    DECIDE_FIRST_INSTANCE = "decide_first_instance", _("Record first-instance decisions")
    SCHEDULE_INTERVIEW = "schedule_interview", _("Schedule interviews")
    LODGE_APPEAL = "lodge_appeal", _("Record appeals, requests for review and court actions")
    ASSIGN_APPEAL = "assign_appeal", _("Assign appeals to appeals officers")
    DECIDE_APPEAL = "decide_appeal", _("Record decisions on appeal or review")
    MANAGE_COUNSELLORS = (
        "manage_counsellors",
        _("Keep the office's register of refugee examination counsellors"),
    )
    ISSUE_LETTER = "issue_letter", _("Issue decision letters and record their notification")
    VIEW_STATISTICS = "view_statistics", _("See statistics")
    UNMASK_STATISTICS = (
        "unmask_statistics",
        _("See statistics with small numbers unmasked, for a named purpose (recorded)"),
    )
    MONITOR_CONSISTENCY = (
        "monitor_consistency",
        _("Compare decision-makers' grant rates (consistency monitor)"),
    )
    ADMINISTER = "administer", _("Manage offices and users")
    VIEW_AUDIT = "view_audit", _("Read the audit log")
    REVIEW_IDENTITY = "review_identity", _("Review possible duplicate records")
    MERGE_PERSONS = "merge_persons", _("Merge and unmerge duplicate person records")
    REQUEST_RECORD_ACCESS = (
        "request_record_access",
        _("Ask another office for access to a possible earlier registration"),
    )
    DISCLOSE = "disclose", _("Disclose information to third parties")
    PROTECT_DATA = "protect_data", _("Export, anonymise and hold personal data")
    APPROVE_GUARD_EXCEPTION = (
        "approve_guard_exception",
        _("Approve, with the person's consent, an exception to the country-of-origin guard"),
    )
    VIEW_PLEDGES = "view_pledges", _("See resettlement and pathway pledges and their fulfilment")
    MANAGE_PLEDGES = "manage_pledges", _("Record and revise pledges")
    REFER_RESETTLEMENT = (
        "refer_resettlement",
        _("Refer cases for resettlement or a complementary pathway, and withdraw referrals"),
    )
    SUBMIT_RESETTLEMENT = (
        "submit_resettlement",
        _("Submit referrals and record acceptances, rejections, departures and arrivals"),
    )
    VIEW_COI = "view_coi", _("Read the country-of-origin information library")
    MANAGE_COI = "manage_coi", _("Add and correct country-of-origin information sources")
    ASSESS_ELIGIBILITY = "assess_eligibility", _("Draft eligibility assessments")
    REVIEW_ASSESSMENT = "review_assessment", _("Review eligibility assessments (four eyes)")
    SET_ASSESSMENT_POLICY = (
        "set_assessment_policy",
        _("Set the office's rules for assessments (supervisor review, age of sources)"),
    )


# Staff who work the office's caseload see its persons and cases; a legal representative
# sees only the cases they represent; statisticians, administrators and auditors see no
# names (the audit log holds ids, not personal data).
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(
        {
            Action.VIEW_CASEWORK,
            Action.REGISTER,
            Action.EDIT_REGISTRATION,
            Action.LODGE_APPLICATION,
            Action.VIEW_PLEDGES,
            Action.SCHEDULE_INTERVIEW,
            Action.LODGE_APPEAL,
            Action.VIEW_COI,
        }
    ),
    Role.ELIGIBILITY_OFFICER: frozenset(
        {
            Action.VIEW_SENSITIVE,
            Action.DISCLOSE,
            Action.VIEW_CASEWORK,
            Action.EDIT_REGISTRATION,
            Action.RECORD_INTERVIEW,
            Action.DECIDE_FIRST_INSTANCE,
            Action.SCHEDULE_INTERVIEW,
            Action.ISSUE_LETTER,
            Action.REVIEW_IDENTITY,
            Action.VIEW_PLEDGES,
            Action.REFER_RESETTLEMENT,
            Action.VIEW_COI,
            Action.MANAGE_COI,
            Action.ASSESS_ELIGIBILITY,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Action.VIEW_SENSITIVE,
            Action.DISCLOSE,
            Action.PROTECT_DATA,
            Action.APPROVE_GUARD_EXCEPTION,
            Action.VIEW_CASEWORK,
            Action.EDIT_REGISTRATION,
            Action.LODGE_APPLICATION,
            Action.RECORD_INTERVIEW,
            Action.DECIDE_FIRST_INSTANCE,
            Action.REVIEW_IDENTITY,
            Action.MERGE_PERSONS,
            Action.REQUEST_RECORD_ACCESS,
            Action.VIEW_STATISTICS,
            Action.UNMASK_STATISTICS,
            Action.MONITOR_CONSISTENCY,
            Action.VIEW_PLEDGES,
            Action.MANAGE_PLEDGES,
            Action.REFER_RESETTLEMENT,
            Action.SUBMIT_RESETTLEMENT,
            Action.SCHEDULE_INTERVIEW,
            Action.LODGE_APPEAL,
            Action.ASSIGN_APPEAL,
            Action.MANAGE_COUNSELLORS,
            Action.ISSUE_LETTER,
            Action.VIEW_COI,
            Action.MANAGE_COI,
            Action.ASSESS_ELIGIBILITY,
            Action.REVIEW_ASSESSMENT,
            Action.SET_ASSESSMENT_POLICY,
        }
    ),
    Role.APPEALS_OFFICER: frozenset(
        {
            Action.VIEW_CASEWORK,
            Action.VIEW_SENSITIVE,
            Action.VIEW_PLEDGES,
            Action.LODGE_APPEAL,
            Action.ASSIGN_APPEAL,
            Action.DECIDE_APPEAL,
            Action.ISSUE_LETTER,
            Action.VIEW_COI,
            Action.MANAGE_COI,
        }
    ),
    Role.LEGAL_REPRESENTATIVE: frozenset(
        {Action.VIEW_REPRESENTED, Action.VIEW_SENSITIVE, Action.VIEW_PLEDGES, Action.VIEW_COI}
    ),
    Role.STATISTICIAN: frozenset({Action.VIEW_STATISTICS, Action.VIEW_PLEDGES}),
    Role.ADMINISTRATOR: frozenset({Action.ADMINISTER, Action.VIEW_PLEDGES}),
    Role.AUDITOR: frozenset({Action.VIEW_AUDIT, Action.VIEW_PLEDGES}),
}


# Actions that open persons and cases to a user.
READS_PERSONAL_DATA: frozenset[Action] = frozenset(
    {Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED, Action.VIEW_SENSITIVE}
)
# Actions a user may take without an office: administering reaches no office's records.
OFFICE_FREE_ACTIONS: frozenset[Action] = frozenset({Action.ADMINISTER})


def needs_second_administrator(role: Role | str) -> bool:
    """True when granting ``role`` takes two administrators (four eyes): it opens personal
    data, or it is the administrator role itself, whose holder could approve the next grant
    (otherwise one administrator could make a second account and approve through it)."""
    actions = ROLE_ACTIONS[Role(role)]
    return bool(actions & READS_PERSONAL_DATA) or Action.ADMINISTER in actions


def actions_for(roles: set[str] | frozenset[str]) -> frozenset[Action]:
    allowed: set[Action] = set()
    for role in roles:
        allowed |= ROLE_ACTIONS.get(Role(role), frozenset())
    return frozenset(allowed)
