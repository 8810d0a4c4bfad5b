"""Every write of the procedure engine: one transaction each, starting with the permission
check, asking the application's profile whether the step is allowed, writing the case
history. Pages, the API and the command line call these same functions."""

from nansen.procedures.services.appeals import (
    appeal_assign,
    appeal_decide,
    appeal_hearing_record,
    appeal_lodge,
)
from nansen.procedures.services.applications import (
    application_contact_record,
    application_lodge,
    application_mode_set,
    application_reasonable_grounds_record,
    application_record_interview,
    application_removal_exception_record,
    application_reopen,
    decision_notify,
    decision_record,
)
from nansen.procedures.services.courts import (
    court_hearing_record,
    court_judgment_record,
    court_judgment_service_record,
    court_proceeding_lodge,
    court_proceeding_update,
    court_stay_apply,
    court_stay_decide,
)
from nansen.procedures.services.interviews import (
    interview_cancel,
    interview_record,
    interview_record_missed,
    interview_schedule,
)
from nansen.procedures.services.letters import letter_issue, letter_notify
from nansen.procedures.services.review import (
    appeal_hearing_refuse,
    appeal_withdraw,
    counsellor_designate,
    counsellor_designation_cancel,
    counsellor_opinion_record,
    counsellor_register,
    counsellor_update,
)

__all__ = [
    "appeal_assign",
    "appeal_decide",
    "appeal_hearing_record",
    "appeal_hearing_refuse",
    "appeal_lodge",
    "appeal_withdraw",
    "application_contact_record",
    "application_lodge",
    "application_mode_set",
    "application_reasonable_grounds_record",
    "application_record_interview",
    "application_removal_exception_record",
    "application_reopen",
    "counsellor_designate",
    "counsellor_designation_cancel",
    "counsellor_opinion_record",
    "counsellor_register",
    "counsellor_update",
    "court_hearing_record",
    "court_judgment_record",
    "court_judgment_service_record",
    "court_proceeding_lodge",
    "court_proceeding_update",
    "court_stay_apply",
    "court_stay_decide",
    "decision_notify",
    "decision_record",
    "interview_cancel",
    "interview_record",
    "interview_record_missed",
    "interview_schedule",
    "letter_issue",
    "letter_notify",
]
