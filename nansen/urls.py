from django.contrib import admin
from django.urls import include, path

from nansen.api.views import api
from nansen.audit import views as audit_views
from nansen.core import views as core_views
from nansen.procedures import views as procedure_views
from nansen.registration import views as registration_views

handler404 = core_views.not_found

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("accounts/", include("nansen.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", registration_views.case_search, name="case_search"),
    path("cases/register/", registration_views.case_register, name="case_register"),
    path("cases/register/member-form/", registration_views.member_form, name="member_form"),
    path("cases/<int:pk>/", registration_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/members/add/", registration_views.case_member_add, name="case_member_add"),
    path(
        "cases/<int:pk>/representatives/add/",
        registration_views.case_representative_add,
        name="case_representative_add",
    ),
    path(
        "cases/<int:pk>/representatives/<int:user_pk>/remove/",
        registration_views.case_representative_remove,
        name="case_representative_remove",
    ),
    path("cases/<int:pk>/lodge/", procedure_views.application_lodge, name="application_lodge"),
    path("persons/<int:pk>/", registration_views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", registration_views.person_edit, name="person_edit"),
    path(
        "persons/<int:pk>/sensitive/",
        registration_views.person_sensitive_edit,
        name="person_sensitive_edit",
    ),
    path(
        "applications/<int:pk>/interview/",
        procedure_views.application_interview,
        name="application_interview",
    ),
    path(
        "applications/<int:pk>/decision/", procedure_views.decision_record, name="decision_record"
    ),
    path("statistics/", include("nansen.statistics.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.csv", audit_views.audit_log_export, name="audit_log_export"),
    path("", include("nansen.protection.urls")),
    path("", include("nansen.procedures.urls")),
    path("", include("nansen.identity.urls")),
    path("", include("nansen.operations.urls")),
    path("imports/", include("nansen.imports.urls")),
    path("resettlement/", include("nansen.resettlement.urls")),
    path("coi/", include("nansen.coi.urls")),
    path("", include("nansen.eligibility.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
