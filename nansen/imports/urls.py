from django.urls import path

from nansen.imports import views

app_name = "imports"

urlpatterns = [
    path("registration/", views.import_new, name="import_new"),
    path(
        "registration/template.csv",
        views.template_download,
        {"form": "csv"},
        name="import_template_csv",
    ),
    path(
        "registration/template.xlsx",
        views.template_download,
        {"form": "xlsx"},
        name="import_template_xlsx",
    ),
    path("<uuid:uid>/", views.import_detail, name="import_detail"),
]
