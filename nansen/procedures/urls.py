from django.urls import path

from nansen.procedures import views

app_name = "procedures"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("work/", views.work, name="work"),
    path("deadlines/", views.deadline_calculator, name="deadline_calculator"),
    path("procedures/rules/", views.profile_rules, name="profile_rules"),
    path("cases/<int:pk>/lodge/", views.application_lodge, name="application_lodge"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/interview/",
        views.application_interview,
        name="application_interview",
    ),
    path("applications/<int:pk>/decision/", views.decision_record, name="decision_record"),
    path("applications/<int:pk>/mode/", views.application_mode, name="application_mode"),
    path("applications/<int:pk>/contact/", views.application_contact, name="application_contact"),
    path(
        "applications/<int:pk>/reasonable-grounds/",
        views.application_grounds,
        name="application_grounds",
    ),
    path(
        "applications/<int:pk>/removal-exception/",
        views.application_removal_exception,
        name="application_removal_exception",
    ),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="application_reopen"),
    path(
        "applications/<int:pk>/interviews/new/",
        views.interview_schedule,
        name="interview_schedule",
    ),
    path(
        "applications/<int:pk>/interviews/interpreters/",
        views.interview_interpreters,
        name="interview_interpreters",
    ),
    path("interviews/<int:pk>/record/", views.interview_record, name="interview_record"),
    path("interviews/<int:pk>/missed/", views.interview_missed, name="interview_missed"),
    path("interviews/<int:pk>/cancel/", views.interview_cancel, name="interview_cancel"),
    path("applications/<int:pk>/appeals/new/", views.appeal_lodge, name="appeal_lodge"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/assign/", views.appeal_assign, name="appeal_assign"),
    path("appeals/<int:pk>/opinions/", views.appeal_opinion, name="appeal_opinion"),
    path("appeals/<int:pk>/hearing/", views.appeal_hearing, name="appeal_hearing"),
    path("appeals/<int:pk>/decision/", views.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/designations/", views.appeal_designate, name="appeal_designate"),
    path(
        "appeals/<int:pk>/designations/cancel/",
        views.appeal_designation_cancel,
        name="appeal_designation_cancel",
    ),
    path(
        "appeals/<int:pk>/hearing/refusal/",
        views.appeal_hearing_refuse,
        name="appeal_hearing_refuse",
    ),
    path("appeals/<int:pk>/withdrawal/", views.appeal_withdraw, name="appeal_withdraw"),
    path("counsellors/", views.counsellors, name="counsellors"),
    path("counsellors/<int:pk>/", views.counsellor_edit, name="counsellor_edit"),
    path("applications/<int:pk>/court/new/", views.court_lodge, name="court_lodge"),
    path("appeals/<int:pk>/court/", views.court_details, name="court_details"),
    path("appeals/<int:pk>/court/hearings/", views.court_hearing, name="court_hearing"),
    path("appeals/<int:pk>/court/judgment/", views.court_judgment, name="court_judgment"),
    path("appeals/<int:pk>/court/service/", views.court_service, name="court_service"),
    path("appeals/<int:pk>/court/stay/", views.court_stay, name="court_stay"),
    path(
        "appeals/<int:pk>/court/stay/decision/",
        views.court_stay_decision,
        name="court_stay_decision",
    ),
    path("decisions/<int:pk>/letters/new/", views.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/notify/", views.letter_notify, name="letter_notify"),
]
