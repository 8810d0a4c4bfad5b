from django.urls import path

from nansen.resettlement import views

app_name = "resettlement"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("fulfilment.<str:fmt>", views.fulfilment_export, name="fulfilment_export"),
    path("pledges/new/", views.pledge_new, name="pledge_new"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/revise/", views.pledge_revise, name="pledge_revise"),
    path(
        "pledges/<int:pk>/fulfilment.<str:fmt>",
        views.pledge_fulfilment_export,
        name="pledge_fulfilment_export",
    ),
    path("refer/", views.refer_start, name="refer_start"),
    path("cases/<int:case_pk>/", views.case_referrals, name="case_referrals"),
    path("cases/<int:case_pk>/refer/", views.referral_new, name="referral_new"),
    path("referrals/", views.referral_index, name="referral_list"),
    path("referrals/export.<str:fmt>", views.referrals_export, name="referrals_export"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/steps/<str:step>/", views.referral_step, name="referral_step"),
]
