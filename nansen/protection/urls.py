from django.urls import path

from nansen.protection import views

app_name = "protection"

urlpatterns = [
    path("cases/<int:pk>/disclosures/new/", views.disclosure_new, name="disclosure_new"),
    path("cases/<int:pk>/guard-exceptions/", views.guard_exceptions, name="guard_exceptions"),
    path(
        "cases/<int:pk>/guard-exceptions/<int:exception_pk>/approve/",
        views.guard_exception_approve,
        name="guard_exception_approve",
    ),
    path("cases/<int:pk>/hold/", views.legal_hold_place, name="legal_hold_place"),
    path("cases/<int:pk>/hold/<int:hold_pk>/lift/", views.legal_hold_lift, name="legal_hold_lift"),
    path("persons/<int:pk>/export/", views.person_export, name="person_export"),
    path(
        "persons/<int:pk>/export.json",
        views.person_export,
        {"form": "json"},
        name="person_export_json",
    ),
    path("persons/<int:pk>/anonymise/", views.person_anonymise, name="person_anonymise"),
    path("protection/retention/", views.retention_review, name="retention_review"),
]
