"""The procedure pages. Each view fetches through the scoped querysets, calls one service
and redirects; a refusal is shown as it is."""

from nansen.procedures.views.appeals import (
    appeal_assign,
    appeal_decide,
    appeal_detail,
    appeal_hearing,
    appeal_lodge,
    appeal_opinion,
)
from nansen.procedures.views.applications import (
    application_contact,
    application_detail,
    application_grounds,
    application_interview,
    application_lodge,
    application_mode,
    application_removal_exception,
    application_reopen,
    decision_record,
)
from nansen.procedures.views.courts import (
    court_details,
    court_hearing,
    court_judgment,
    court_lodge,
    court_service,
    court_stay,
    court_stay_decision,
)
from nansen.procedures.views.dashboard import dashboard
from nansen.procedures.views.interviews import (
    interview_cancel,
    interview_interpreters,
    interview_missed,
    interview_record,
    interview_schedule,
)
from nansen.procedures.views.letters import letter_issue, letter_notify, letter_pdf
from nansen.procedures.views.review import (
    appeal_designate,
    appeal_designation_cancel,
    appeal_hearing_refuse,
    appeal_withdraw,
    counsellor_edit,
    counsellors,
)
from nansen.procedures.views.work import deadline_calculator, profile_rules, work

__all__ = [
    "appeal_assign",
    "appeal_decide",
    "appeal_designate",
    "appeal_designation_cancel",
    "appeal_detail",
    "appeal_hearing",
    "appeal_hearing_refuse",
    "appeal_lodge",
    "appeal_opinion",
    "appeal_withdraw",
    "application_contact",
    "application_detail",
    "application_grounds",
    "application_interview",
    "application_lodge",
    "application_mode",
    "application_removal_exception",
    "application_reopen",
    "counsellor_edit",
    "counsellors",
    "court_details",
    "court_hearing",
    "court_judgment",
    "court_lodge",
    "court_service",
    "court_stay",
    "court_stay_decision",
    "dashboard",
    "deadline_calculator",
    "decision_record",
    "interview_cancel",
    "interview_interpreters",
    "interview_missed",
    "interview_record",
    "interview_schedule",
    "letter_issue",
    "letter_notify",
    "letter_pdf",
    "profile_rules",
    "work",
]
