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
    REGISTER = "register", _("Register persons and cases")
    EDIT_REGISTRATION = "edit_registration", _("Correct registration data")
    LODGE_APPLICATION = "lodge_application", _("Lodge applications")
    RECORD_INTERVIEW = "record_interview", _("Record interviews")
    DECIDE_FIRST_INSTANCE = "decide_first_instance", _("Record first-instance decisions")
    VIEW_STATISTICS = "view_statistics", _("See statistics")
    ADMINISTER = "administer", _("Manage offices and users")
    VIEW_AUDIT = "view_audit", _("Read the audit log")


# Staff who work the office's caseload see its persons and cases; a legal representative
# sees only the cases they represent; statisticians, administrators and auditors see no
# names (the audit log holds ids, not personal data).
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(
        {Action.VIEW_CASEWORK, Action.REGISTER, Action.EDIT_REGISTRATION, Action.LODGE_APPLICATION}
    ),
    Role.ELIGIBILITY_OFFICER: frozenset(
        {
            Action.VIEW_CASEWORK,
            Action.EDIT_REGISTRATION,
            Action.RECORD_INTERVIEW,
            Action.DECIDE_FIRST_INSTANCE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Action.VIEW_CASEWORK,
            Action.EDIT_REGISTRATION,
            Action.LODGE_APPLICATION,
            Action.RECORD_INTERVIEW,
            Action.DECIDE_FIRST_INSTANCE,
            Action.VIEW_STATISTICS,
        }
    ),
    Role.APPEALS_OFFICER: frozenset({Action.VIEW_CASEWORK}),
    Role.LEGAL_REPRESENTATIVE: frozenset({Action.VIEW_REPRESENTED}),
    Role.STATISTICIAN: frozenset({Action.VIEW_STATISTICS}),
    Role.ADMINISTRATOR: frozenset({Action.ADMINISTER}),
    Role.AUDITOR: frozenset({Action.VIEW_AUDIT}),
}


def actions_for(roles: set[str] | frozenset[str]) -> frozenset[Action]:
    allowed: set[Action] = set()
    for role in roles:
        allowed |= ROLE_ACTIONS.get(Role(role), frozenset())
    return frozenset(allowed)
